package dev.statelens.engine.record.store;

import dev.statelens.engine.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The binary formats of {@code calls.leaves} and {@code rollups.stats} (little-endian; see
 * docs/run-store.md). One blob per call keeps recording to one SQLite row per call however many
 * leaves a step has, which is what keeps the recorder's cost low.
 *
 * <pre>
 * calls.leaves := entry*
 * entry  := i32 series_id, u8 kind, (full | ref)
 * full   := u8 dtype (0 bool, 1 i32, 2 u32, 3 f32, 4 f64), u8 rank, i32[rank] shape, i32 size,
 *           f64 min, max, mean, std, norm (NaN: no finite element), i64 nan, i64 inf,
 *           u8 sampled, i32 nbytes, u8[nbytes] values (the leaf's dtype, little-endian)
 * ref    := i64 step, i32 series_id   -- the same array as that leaf at that step of this function
 *
 * rollups.stats := (i32 series_id, i64 n, f64 lo_min, hi_min, lo_max, hi_max, lo_mean, hi_mean,
 *                   lo_std, hi_std, lo_norm, hi_norm, i64 nan, i64 inf)*
 * </pre>
 */
public final class LeafCodec {
  static final byte FULL = 0;
  static final byte REF = 1;
  static final int ROLLUP_ENTRY_BYTES = 4 + 8 + 10 * 8 + 8 + 8;

  private LeafCodec() {}

  /** A growable little-endian buffer. */
  static final class Out {
    private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    ByteBuffer room(int n) {
      if (b.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
        b.flip();
        bigger.put(b);
        b = bigger;
      }
      return b;
    }

    byte[] toArray() {
      return Arrays.copyOf(b.array(), b.position());
    }

    void clear() {
      b.clear();
    }

    int size() {
      return b.position();
    }

    /** The backing array; bytes [0, size()) are the content. */
    byte[] array() {
      return b.array();
    }
  }

  static void writeFull(Out out, int seriesId, LeafStats s) {
    ByteBuffer b = out.room(4 + 1 + 2 + 4 * s.shape().length + 4 + 40 + 16 + 1 + 4 + s.values().length);
    b.putInt(seriesId).put(FULL).put((byte) s.dtype().ordinal()).put((byte) s.shape().length);
    for (int d : s.shape()) {
      b.putInt(d);
    }
    b.putInt(s.size());
    b.putDouble(nan(s.min())).putDouble(nan(s.max())).putDouble(nan(s.mean())).putDouble(nan(s.std()))
        .putDouble(nan(s.norm()));
    b.putLong(s.nan()).putLong(s.inf()).put((byte) (s.sampled() ? 1 : 0)).putInt(s.values().length).put(s.values());
  }

  static void writeRef(Out out, int seriesId, long step, int refSeriesId) {
    out.room(17).putInt(seriesId).put(REF).putLong(step).putInt(refSeriesId);
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static Double box(double d) {
    return Double.isNaN(d) ? null : d;
  }

  /** One decoded entry: full stats, or a reference to where they are. */
  record Entry(int seriesId, LeafStats stats, long refStep, int refSeriesId) {
    boolean isRef() {
      return stats == null;
    }
  }

  /** Visits the entries of a {@code calls.leaves} blob; stops early when the visitor returns false. */
  interface Visitor {
    boolean visit(Entry e);
  }

  static void decode(byte[] blob, Visitor v) {
    if (blob == null) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      int id = b.getInt();
      byte kind = b.get();
      Entry e;
      if (kind == REF) {
        e = new Entry(id, null, b.getLong(), b.getInt());
      } else if (kind == FULL) {
        DType dtype = DType.values()[b.get()];
        int[] shape = new int[b.get()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = b.getInt();
        }
        int size = b.getInt();
        Double min = box(b.getDouble()), max = box(b.getDouble()), mean = box(b.getDouble()),
            std = box(b.getDouble()), norm = box(b.getDouble());
        long nan = b.getLong(), inf = b.getLong();
        boolean sampled = b.get() != 0;
        byte[] values = new byte[b.getInt()];
        b.get(values);
        e = new Entry(id, new LeafStats(dtype, shape, size, min, max, mean, std, norm, nan, inf, sampled, values), 0, 0);
      } else {
        throw new RunStoreException("unknown leaf entry kind " + kind + " in calls.leaves: a newer StateLens wrote "
            + "this run store, or it is corrupt. Update StateLens, or re-record the run.");
      }
      if (!v.visit(e)) {
        return;
      }
    }
  }

  /** One series' summary over a rollup bucket. */
  record Roll(int seriesId, long n, double[] loHi, long nan, long inf) {
    /** lo (index 0) or hi (1) of a statistic. */
    double get(Stat stat, int hi) {
      return loHi[stat.ordinal() * 2 + hi];
    }
  }

  static void writeRoll(Out out, int seriesId, long n, double[] loHi, long nan, long inf) {
    ByteBuffer b = out.room(ROLLUP_ENTRY_BYTES);
    b.putInt(seriesId).putLong(n);
    for (double d : loHi) {
      b.putDouble(d);
    }
    b.putLong(nan).putLong(inf);
  }

  /** The entry of {@code seriesId} in a {@code rollups.stats} blob, or null. */
  static Roll findRoll(byte[] blob, int seriesId) {
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off + ROLLUP_ENTRY_BYTES <= blob.length; off += ROLLUP_ENTRY_BYTES) {
      if (b.getInt(off) == seriesId) {
        b.position(off + 4);
        long n = b.getLong();
        double[] loHi = new double[10];
        for (int i = 0; i < 10; i++) {
          loHi[i] = b.getDouble();
        }
        return new Roll(seriesId, n, loHi, b.getLong(), b.getLong());
      }
    }
    return null;
  }
}
