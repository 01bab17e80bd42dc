package dev.statelens.lint.incremental;

import dev.statelens.lint.SourceRange;
import java.util.Arrays;

/**
 * Lines and columns of a text without parsing it, as JDT's {@code CompilationUnit} numbers them
 * (a line ends after {@code \n}, {@code \r\n} or a lone {@code \r}; lines 1-based, columns
 * 0-based); {@link #range} gives what {@code Ranges.of} gives for the same offsets.
 */
public final class LineTable {

  private final int[] starts;
  private final int length;

  private LineTable(int[] starts, int length) {
    this.starts = starts;
    this.length = length;
  }

  public static LineTable of(String text) {
    int[] starts = new int[16];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    return new LineTable(Arrays.copyOf(starts, n), text.length());
  }

  /** 1-based line of an offset; -1 outside the text. */
  public int line(int offset) {
    if (offset < 0 || offset > length) {
      return -1;
    }
    int i = Arrays.binarySearch(starts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** 0-based column of an offset; -1 outside the text. */
  public int column(int offset) {
    int line = line(offset);
    return line < 0 ? -1 : offset - starts[line - 1];
  }

  /** The number of lines. */
  public int lines() {
    return starts.length;
  }

  /** Where line {@code line} (1-based) starts. */
  public int start(int line) {
    return starts[line - 1];
  }

  /** As {@code Ranges.of(cu, offset, length)}. */
  public SourceRange range(int offset, int length) {
    int line = Math.max(1, line(offset));
    int column = Math.max(0, column(offset)) + 1;
    if (length <= 0) {
      return new SourceRange(offset, 0, line, column, line, column);
    }
    int last = offset + length - 1;
    int endLine = line(last);
    int endColumn = column(last);
    if (endLine < 1 || endColumn < 0) {
      return new SourceRange(offset, length, line, column, line, column + length);
    }
    return new SourceRange(offset, length, line, column, Math.max(line, endLine), endColumn + 2);
  }
}
