/** StateLens engine: JAX's model of computation in Java. */
package dev.statelens.engine;
