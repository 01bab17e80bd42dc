package dev.statelens.engine.record.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The format of {@code scalar_chunks.data} (schema version 3): the values of one logged scalar at
 * up to {@link Schema#SCALAR_CHUNK} consecutive recorded steps, in increasing step order
 * (little-endian):
 *
 * <pre>
 * entry := i64 step, i64 seq, f64 value (NaN for NaN)
 * </pre>
 */
final class ScalarCodec {
  static final int ENTRY_BYTES = 8 + 8 + 8;

  private ScalarCodec() {}

  /** Decoded entries of one or more chunks, in step order. */
  record Entries(long[] steps, long[] seqs, double[] values, int size) {
    static final Entries EMPTY = new Entries(new long[0], new long[0], new double[0], 0);
  }

  static byte[] encode(long[] steps, long[] seqs, double[] values, int n) {
    ByteBuffer b = ByteBuffer.allocate(n * ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putLong(steps[i]).putLong(seqs[i]).putDouble(values[i]);
    }
    return b.array();
  }

  /** Number of entries in a chunk blob. */
  static int count(byte[] data) {
    if (data.length % ENTRY_BYTES != 0) {
      throw new RunStoreException("a scalar_chunks row has " + data.length + " bytes, not a multiple of "
          + ENTRY_BYTES + "; the run store is corrupt");
    }
    return data.length / ENTRY_BYTES;
  }

  static long step(byte[] data, int i) {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(i * ENTRY_BYTES);
  }

  /** Appends the entries of {@code data} with from <= step <= to to the arrays at {@code n}; returns the new n. */
  static int decodeInto(byte[] data, long from, long to, long[] steps, long[] seqs, double[] values, int n) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int count = count(data);
    for (int i = 0; i < count; i++) {
      int off = i * ENTRY_BYTES;
      long step = b.getLong(off);
      if (step >= from && step <= to) {
        steps[n] = step;
        seqs[n] = b.getLong(off + 8);
        values[n] = b.getDouble(off + 16);
        n++;
      }
    }
    return n;
  }
}
