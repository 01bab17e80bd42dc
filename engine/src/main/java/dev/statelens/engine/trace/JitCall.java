package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.TreeDef;
import java.util.List;

/**
 * One completed top-level call of a jitted function, as reported to {@link JitListener}s.
 *
 * @param function the jitted function
 * @param step 0-based count of this function's top-level calls
 * @param compiled true if this call traced (and compiled) a new graph
 * @param retraceReason why it retraced (e.g. {@code arg0.weight changed from f32[3] to f32[4]}),
 *     null on the first trace and on cached calls
 * @param args the Java arguments as passed
 * @param inputTree structure of the argument list; {@link Signature#argPaths} names its leaves
 * @param inputs input leaves, in order
 * @param result the returned Java value
 * @param outputTree structure of the result
 * @param outputs output leaves, in order
 * @param graph the cached graph that ran
 * @param startNanos {@link System#nanoTime()} at the start
 * @param endNanos {@link System#nanoTime()} at the end
 */
public record JitCall(JitFunction function, long step, boolean compiled, String retraceReason,
    List<Object> args, TreeDef inputTree, List<Array> inputs, Object result, TreeDef outputTree,
    List<Array> outputs, CompiledGraph graph, long startNanos, long endNanos) {

  /** Input leaf paths rooted at arg0, arg1, ... */
  public List<String> inputPaths() {
    return Signature.argPaths(inputTree);
  }

  /** Output leaf paths, as {@link TreeDef#paths()} gives them (the root unnamed). */
  public List<String> outputPaths() {
    return outputTree.paths();
  }

  public long wallNanos() {
    return endNanos - startNanos;
  }
}
