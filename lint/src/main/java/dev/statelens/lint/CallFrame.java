package dev.statelens.lint;

import java.nio.file.Path;

/**
 * One step of the path from a transform call to a finding: the transform call itself
 * ({@code jit(counter::count)}) or a call made by transformed code ({@code Model.helper()}).
 *
 * @param description what is called, e.g. {@code jit(counter::count)} or {@code Model.helper}
 * @param file the file of the call expression
 * @param offset the call expression's character offset (suppressions on enclosing declarations
 *     of a call also cover what it reaches)
 * @param line the call expression's line (1-based)
 */
public record CallFrame(String description, Path file, int offset, int line) {

  /** {@code description (File.java:12)}. */
  public String render() {
    return description + " (" + file.getFileName() + ":" + line + ")";
  }
}
