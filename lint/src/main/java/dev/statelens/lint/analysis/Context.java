package dev.statelens.lint.analysis;

import dev.statelens.lint.CallFrame;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an effect happens: in which function, reached from which transform call, through which
 * calls.
 *
 * @param site the transform call the analysis started from
 * @param function the function containing the effect ({@code Counter.count}, or
 *     {@code the lambda at Main.java:12})
 * @param isEntry whether that function is the transformed function itself (not a callee)
 * @param chain the transform call, then each call leading to this function
 * @param file the file of the function
 */
public record Context(
    TransformSite site, String function, boolean isEntry, List<CallFrame> chain, Path file) {

  /**
   * "inside Counter.count, which is jitted at Main.java:12", "inside the lambda jitted at
   * Main.java:12" (a lambda written in the call: it said "the lambda at Main.java:12, which is
   * jitted at Main.java:12") or "inside Model.helper, called from code jitted at Main.java:12".
   */
  public String where() {
    String participle = site.underJit() && site.kind() != TransformKind.JIT
        ? site.kind().participle() + " under jit"
        : site.kind().participle();
    if (isEntry && function.equals("the lambda at " + site.location())) {
      return "inside the lambda " + participle + " at " + site.location();
    }
    return isEntry
        ? "inside " + function + ", which is " + participle + " at " + site.location()
        : "inside " + function + ", called from code " + participle + " at " + site.location();
  }
}
