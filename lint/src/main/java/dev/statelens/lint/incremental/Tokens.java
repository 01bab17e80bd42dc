package dev.statelens.lint.incremental;

import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.ToolFactory;
import org.eclipse.jdt.core.compiler.IScanner;
import org.eclipse.jdt.core.compiler.ITerminalSymbols;
import org.eclipse.jdt.core.compiler.InvalidInputException;

/**
 * A source text as JDT's scanner splits it, without comments and whitespace: what the compiler
 * sees. Two texts with equal tokens compile to the same thing; only positions differ.
 */
public final class Tokens {

  private final String text;
  private final int[] types;
  private final int[] starts;
  /** Exclusive. */
  private final int[] ends;

  private Tokens(String text, int[] types, int[] starts, int[] ends) {
    this.text = text;
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }

  /** The tokens of {@code text}, or null where the scanner rejects it (then nothing is reused). */
  public static Tokens scan(String text) {
    String level = JavaCore.latestSupportedJavaVersion();
    IScanner scanner = ToolFactory.createScanner(false, false, false, level, level);
    scanner.setSource(text.toCharArray());
    int n = 0;
    int[] types = new int[Math.max(16, text.length() / 4)];
    int[] starts = new int[types.length];
    int[] ends = new int[types.length];
    try {
      for (int t = scanner.getNextToken(); t != ITerminalSymbols.TokenNameEOF;
          t = scanner.getNextToken()) {
        if (n == types.length) {
          types = java.util.Arrays.copyOf(types, n * 2);
          starts = java.util.Arrays.copyOf(starts, n * 2);
          ends = java.util.Arrays.copyOf(ends, n * 2);
        }
        types[n] = t;
        starts[n] = scanner.getCurrentTokenStartPosition();
        ends[n] = scanner.getCurrentTokenEndPosition() + 1;
        n++;
      }
    } catch (InvalidInputException | RuntimeException e) {
      return null;
    }
    return new Tokens(text, java.util.Arrays.copyOf(types, n), java.util.Arrays.copyOf(starts, n),
        java.util.Arrays.copyOf(ends, n));
  }

  public String text() {
    return text;
  }

  public int size() {
    return types.length;
  }

  public int start(int token) {
    return starts[token];
  }

  public int end(int token) {
    return ends[token];
  }

  /** The token's kind ({@code ITerminalSymbols.TokenName...}). */
  public int type(int token) {
    return types[token];
  }

  /** Same kind and same characters. */
  boolean sameToken(int token, Tokens other, int otherToken) {
    int length = ends[token] - starts[token];
    return types[token] == other.types[otherToken]
        && length == other.ends[otherToken] - other.starts[otherToken]
        && text.regionMatches(starts[token], other.text, other.starts[otherToken], length);
  }

  /** The token starting exactly at {@code offset}, or -1. */
  public int startingAt(int offset) {
    int i = java.util.Arrays.binarySearch(starts, offset);
    return i >= 0 ? i : -1;
  }

  /** The token ending exactly at {@code endOffset} (exclusive), or -1. */
  public int endingAt(int endOffset) {
    int i = java.util.Arrays.binarySearch(ends, endOffset);
    return i >= 0 ? i : -1;
  }

  /** The first token starting at or after {@code offset} ({@link #size()} if none). */
  public int firstFrom(int offset) {
    int i = java.util.Arrays.binarySearch(starts, offset);
    return i >= 0 ? i : -i - 1;
  }
}
