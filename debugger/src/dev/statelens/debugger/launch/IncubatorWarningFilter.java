package dev.statelens.debugger.launch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A training JVM's stderr without the {@value #WARNING} line the JVM prints for the
 * {@code --add-modules jdk.incubator.vector} a StateLens Training launch adds (the JDK has no switch
 * to silence it; red at the top of every Console it reads as a failure). Only the <em>first</em>
 * line is dropped, and only when it is exactly that warning (ended by {@code \n} or {@code \r\n});
 * every other byte passes through in order, a later identical line included. The pipe may deliver
 * the line in any pieces, so the first bytes are held until they match the whole line, differ from
 * it, or the stream ends; only an exact prefix of the warning is ever held back.
 */
public final class IncubatorWarningFilter extends FilterInputStream {
  public static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";
  private static final byte[] LINE = WARNING.getBytes(StandardCharsets.US_ASCII);
  private static final int STILL_A_PREFIX = 0;
  private static final int DIFFERS = -1;

  /** The first bytes, read while deciding; at most the line and its {@code \r\n}. */
  private final byte[] held = new byte[LINE.length + 2];
  private int heldLength;
  private int releaseFrom;
  private boolean decided;

  public IncubatorWarningFilter(InputStream stderr) {
    super(stderr);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!decided) {
      decide();
    }
    if (releaseFrom < heldLength) {
      int n = Math.min(len, heldLength - releaseFrom);
      System.arraycopy(held, releaseFrom, b, off, n);
      releaseFrom += n;
      return n;
    }
    return in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return decided ? heldLength - releaseFrom + in.available() : 0;
  }

  /** Skips by reading, through the held bytes (FilterInputStream's skip would pass them by). */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads until the held bytes are the warning line (dropped), are not (kept), or the stream ended (kept). */
  private void decide() throws IOException {
    while (!decided) {
      int n = in.read(held, heldLength, held.length - heldLength);
      if (n < 0) {
        decided = true;
        break;
      }
      heldLength += n;
      int match = matchedLineLength();
      if (match == DIFFERS) {
        decided = true;
      } else if (match != STILL_A_PREFIX) {
        releaseFrom = match; // the warning and its line end are dropped; what came after it is kept
        decided = true;
      }
    }
  }

  /** The length of the warning and its line end when the held bytes start with them, else STILL_A_PREFIX or DIFFERS. */
  private int matchedLineLength() {
    int common = Math.min(heldLength, LINE.length);
    if (!Arrays.equals(held, 0, common, LINE, 0, common)) {
      return DIFFERS;
    }
    if (heldLength <= LINE.length) {
      return STILL_A_PREFIX;
    }
    byte end = held[LINE.length];
    if (end == '\n') {
      return LINE.length + 1;
    }
    if (end != '\r') {
      return DIFFERS;
    }
    if (heldLength == LINE.length + 1) {
      return STILL_A_PREFIX;
    }
    return held[LINE.length + 1] == '\n' ? LINE.length + 2 : DIFFERS;
  }
}
