package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.debugger.launch.IncubatorWarningFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stderr filter of a StateLens Training launch drops the JVM's first-line incubator warning and
 * nothing else, however the pipe splits the bytes: every split of each input into two and three
 * chunks, and one byte at a time.
 */
class IncubatorWarningFilterTest {
  static final String W = IncubatorWarningFilter.WARNING;

  @Test
  void dropsTheFirstLineOnlyWhenItIsExactlyTheWarning() throws IOException {
    // the JVM's warning first: gone, with its line end; the rest (a later identical line included) kept
    assertFilters(W + "\nerr 1\n" + W + "\nerr 2\n", "err 1\n" + W + "\nerr 2\n");
    assertFilters(W + "\r\nerr 1\r\n", "err 1\r\n");
    assertFilters(W + "\n", "");
    // anything else is passed through untouched
    assertFilters("", "");
    assertFilters("err 1\n" + W + "\n", "err 1\n" + W + "\n");
    assertFilters(W + " and more\n", W + " and more\n");
    assertFilters(W + "\rerr\n", W + "\rerr\n");
    assertFilters("WARNING: Using incubator modules: jdk.incubator.vector, jdk.incubator.foo\n",
        "WARNING: Using incubator modules: jdk.incubator.vector, jdk.incubator.foo\n");
    assertFilters("WARNING: something else\n", "WARNING: something else\n");
    assertFilters(" " + W + "\n", " " + W + "\n");
    // the stream ends in the middle of the warning or before its line end: kept as written
    assertFilters(W.substring(0, 20), W.substring(0, 20));
    assertFilters(W, W);
    assertFilters(W + "\r", W + "\r");
  }

  @Test
  void keepsBinaryAndNonAsciiBytes() throws IOException {
    byte[] in = {(byte) 0xff, 0, (byte) 0xe2, (byte) 0x9c, (byte) 0x93, '\n'};
    assertEquals(Arrays.toString(in), Arrays.toString(readAll(new IncubatorWarningFilter(new Chunked(in, 2)))));
  }

  @Test
  void singleByteReadsAndSkipGoThroughTheHeldBytes() throws IOException {
    byte[] in = (W + "\nab" + W).getBytes(StandardCharsets.US_ASCII);
    try (var f = new IncubatorWarningFilter(new Chunked(in, 7))) {
      assertEquals('a', f.read());
      assertEquals(1, f.skip(1));
      assertEquals(W, new String(f.readAllBytes(), StandardCharsets.US_ASCII));
      assertEquals(-1, f.read());
    }
    try (var f = new IncubatorWarningFilter(new Chunked("err 1\nerr 2\n".getBytes(StandardCharsets.US_ASCII), 100))) {
      assertEquals(4, f.skip(4)); // skipped bytes come out of the held first bytes, not past them
      assertEquals("1\nerr 2\n", new String(f.readAllBytes(), StandardCharsets.US_ASCII));
    }
  }

  /** {@code input} filtered, delivered whole, at every one and two split points, and byte by byte, is {@code expected}. */
  private static void assertFilters(String input, String expected) throws IOException {
    byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
    for (int[] chunks : splits(bytes.length)) {
      String out = new String(readAll(new IncubatorWarningFilter(new Chunked(bytes, chunks))), StandardCharsets.US_ASCII);
      assertEquals(expected, out, () -> "chunks " + Arrays.toString(chunks) + " of " + input.replace("\n", "\\n"));
    }
  }

  /** Chunk sizes: the whole, every split in two, every split in three, and all ones. */
  private static List<int[]> splits(int n) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[] {Math.max(n, 1)});
    for (int a = 1; a < n; a++) {
      out.add(new int[] {a, n - a});
      for (int b = 1; a + b < n; b++) {
        out.add(new int[] {a, b, n - a - b});
      }
    }
    int[] ones = new int[Math.max(n, 1)];
    Arrays.fill(ones, 1);
    out.add(ones);
    return out;
  }

  /** Reads as the Console's stream monitor does: into a buffer, as much as each read gives. */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** A pipe that gives at most the next chunk's bytes per read, as a process's stderr may. */
  private static final class Chunked extends InputStream {
    private final byte[] bytes;
    private final int[] chunks;
    private int pos;
    private int chunk;
    private int leftInChunk;

    Chunked(byte[] bytes, int... chunks) {
      this.bytes = bytes;
      this.chunks = chunks;
      this.leftInChunk = chunks[0];
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      if (leftInChunk == 0) {
        leftInChunk = chunk + 1 < chunks.length ? chunks[++chunk] : bytes.length - pos;
      }
      int n = Math.min(len, Math.min(leftInChunk, bytes.length - pos));
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      leftInChunk -= n;
      return n;
    }
  }
}
