package dev.statelens.engine.record.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of {@code calls.data}: the calls of one chunk, one after the other (little-endian):
 *
 * <pre>
 * call := i64 seq, i64 step, i32 graph_id (-1: none), u8 compiled, i64 start_ns, i64 wall_ns,
 *         i32 stale, str retrace_reason, str error, i32 nleaves (-1: none), u8[nleaves] leaves
 * str  := i32 nbytes (-1: null), u8[nbytes] UTF-8
 * </pre>
 * {@code leaves} is the {@link LeafCodec} format.
 */
final class CallCodec {
  private CallCodec() {}

  /** One decoded call. */
  record Call(long seq, long step, int graphId, boolean compiled, long startNanos, long wallNanos, int stale,
      String retraceReason, String error, byte[] leaves) {}

  static void write(LeafCodec.Out out, long seq, long step, int graphId, boolean compiled, long startNanos,
      long wallNanos, int stale, String reason, String error, LeafCodec.Out leaves) {
    byte[] r = reason == null ? null : reason.getBytes(StandardCharsets.UTF_8);
    byte[] e = error == null ? null : error.getBytes(StandardCharsets.UTF_8);
    int nLeaves = leaves == null ? 0 : leaves.size();
    ByteBuffer b = out.room(8 + 8 + 4 + 1 + 8 + 8 + 4 + 4 + (r == null ? 0 : r.length) + 4
        + (e == null ? 0 : e.length) + 4 + nLeaves);
    b.putLong(seq).putLong(step).putInt(graphId).put((byte) (compiled ? 1 : 0)).putLong(startNanos)
        .putLong(wallNanos).putInt(stale);
    putStr(b, r);
    putStr(b, e);
    if (leaves == null) {
      b.putInt(-1);
    } else {
      b.putInt(nLeaves);
      b.put(leaves.array(), 0, nLeaves);
    }
  }

  private static void putStr(ByteBuffer b, byte[] s) {
    if (s == null) {
      b.putInt(-1);
    } else {
      b.putInt(s.length).put(s);
    }
  }

  private static String getStr(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  static List<Call> decode(byte[] data) {
    List<Call> calls = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (b.hasRemaining()) {
        long seq = b.getLong(), step = b.getLong();
        int graph = b.getInt();
        boolean compiled = b.get() != 0;
        long start = b.getLong(), wall = b.getLong();
        int stale = b.getInt();
        String reason = getStr(b), error = getStr(b);
        int n = b.getInt();
        byte[] leaves = null;
        if (n >= 0) {
          leaves = new byte[n];
          b.get(leaves);
        }
        calls.add(new Call(seq, step, graph, compiled, start, wall, stale, reason, error, leaves));
      }
    } catch (RuntimeException e) {
      // the decoding failure (an underflow) stays the cause, for the log; it means nothing to the user
      throw new RunStoreException("a calls row is malformed: the run store is corrupt. Use an intact copy or "
          + "re-record the run.", e);
    }
    return calls;
  }
}
