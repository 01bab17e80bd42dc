/** StateLens lint: finds side effects in functions handed to {@code jit}, {@code grad}, {@code valueAndGrad} and {@code vmap}. */
package dev.statelens.lint;
