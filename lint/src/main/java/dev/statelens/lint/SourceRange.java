package dev.statelens.lint;

/**
 * A region of a source file. Lines and columns are 1-based; {@code endColumn} is exclusive (the
 * column after the last character), as SARIF expects. Offsets are 0-based character offsets, as
 * Eclipse markers expect.
 */
public record SourceRange(int offset, int length, int line, int column, int endLine, int endColumn) {

  public SourceRange {
    if (offset < 0 || length < 0 || line < 1 || column < 1 || endLine < line) {
      throw new IllegalArgumentException(
          "invalid source range: offset " + offset + ", length " + length + ", " + line + ":"
              + column + "-" + endLine + ":" + endColumn);
    }
  }

  public int endOffset() {
    return offset + length;
  }

  public boolean contains(int position) {
    return position >= offset && position < offset + Math.max(length, 1);
  }
}
