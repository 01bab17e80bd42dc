package dev.statelens.engine.record.store;

import dev.statelens.engine.DType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads a run store, also while another process is still writing it (WAL). Every method answers
 * from what is committed at the time of the call.
 *
 * <p>A file that is missing, not a run store, truncated, corrupt, or of a newer schema is
 * reported as a {@link RunStoreException} naming the file and what to do; reads never wait on the
 * writer for more than the busy timeout.
 */
public final class RunStore implements AutoCloseable {
  private final Path path;
  private final Connection conn;
  private final int schemaVersion;
  private final Map<Integer, String> functionNames = new HashMap<>();

  private RunStore(Path path, Connection conn, int schemaVersion) {
    this.path = path;
    this.conn = conn;
    this.schemaVersion = schemaVersion;
  }

  /** Opens a run store for reading. */
  public static RunStore open(Path path) {
    checkFile(path);
    Connection c = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setOpenMode(SQLiteOpenMode.READONLY);
      config.setBusyTimeout(2000);
      c = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
      int version;
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA application_id")) {
        int appId = rs.next() ? rs.getInt(1) : 0;
        if (appId != Schema.APPLICATION_ID) {
          throw notARun(path, appId);
        }
      }
      if (version > Schema.VERSION) {
        throw new RunStoreException(path + " was written with run store schema version " + version
            + ", newer than this StateLens reads (version " + Schema.VERSION + "). Update StateLens to read it.");
      }
      if (version < 1) {
        throw new RunStoreException(path + " has no run store schema version; it is not a complete "
            + "StateLens run store (re-record the run).");
      }
      RunStore store = new RunStore(path, c, version);
      store.loadFunctions();
      return store;
    } catch (SQLException e) {
      closeQuietly(c);
      throw store(path, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Header checks before SQLite sees the file, so that bad files fail fast with a clear reason. */
  private static void checkFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new RunStoreException("no run store at " + path + ": the file does not exist. Record a run "
          + "first, e.g. -Dstatelens.record=" + path + " or ./statelens example linreg --record " + path + ".");
    }
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long length = f.length();
      byte[] header = new byte[100];
      if (length < 100) {
        throw new RunStoreException(path + " is not a StateLens run store: it has only " + length
            + " bytes (an SQLite file has at least a 100-byte header); it is empty or truncated. Re-record the run.");
      }
      f.readFully(header);
      if (!new String(header, 0, 16, StandardCharsets.US_ASCII).equals("SQLite format 3\0")) {
        throw new RunStoreException(path + " is not a StateLens run store: it is not an SQLite database "
            + "(wrong file header). Pass the .db file the recorder wrote.");
      }
      int appId = readInt(header, 68);
      // 0 may still be a run whose first page lives in the write-ahead log; checked again after opening
      if (appId != Schema.APPLICATION_ID && appId != 0) {
        throw notARun(path, appId);
      }
      int pageSize = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
      long pageSizeBytes = pageSize == 1 ? 65536 : pageSize;
      long pages = readInt(header, 28) & 0xffffffffL;
      boolean sizeValid = readInt(header, 24) == readInt(header, 92);
      if (sizeValid && pages > 0 && length < pages * pageSizeBytes) {
        throw new RunStoreException(path + " is truncated: it has " + length + " bytes but its header says "
            + pages * pageSizeBytes + " (" + pages + " pages). It was cut off while being copied or written; "
            + "use the complete file or re-record the run.");
      }
    } catch (IOException e) {
      throw new RunStoreException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static RunStoreException notARun(Path path, int appId) {
    return new RunStoreException(path + " is an SQLite database but not a StateLens run store "
        + "(application id " + Integer.toHexString(appId) + "). Pass the .db file the recorder wrote.");
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  private static RunStoreException store(Path path, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("SQLITE_CORRUPT") || msg.contains("malformed") || msg.contains("SQLITE_NOTADB")) {
      return new RunStoreException(path + " is corrupt (" + msg + "). Use an intact copy or re-record the run.", e);
    }
    if (msg.contains("SQLITE_BUSY") || msg.contains("locked")) {
      return new RunStoreException(path + " is locked by another process for too long (" + msg + "); try again.", e);
    }
    if (msg.contains("no such table") || msg.contains("no such column")) {
      return new RunStoreException(path + " lacks part of the run store schema (" + msg + "); it is not a "
          + "complete StateLens run store. Re-record the run.", e);
    }
    return new RunStoreException("cannot read the run store " + path + ": " + msg, e);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }

  private void loadFunctions() throws SQLException {
    try (var s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM functions")) {
      while (rs.next()) {
        functionNames.put(rs.getInt(1), rs.getString(2));
      }
    }
  }

  public Path path() {
    return path;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public void close() {
    closeQuietly(conn);
  }

  // ---- queries ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw store(path, e);
    }
  }

  /** The {@code meta} table: schema_version, created, status (running/finished), pid, ... */
  public Map<String, String> meta() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String[] kv : query("SELECT key, value FROM meta ORDER BY key", ps -> {},
        rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      m.put(kv[0], kv[1]);
    }
    return m;
  }

  /** Whether the recording process closed the run normally ({@code meta.status = finished}). */
  public boolean isFinished() {
    return "finished".equals(meta().get("status"));
  }

  public List<FunctionInfo> functions() {
    return query("""
        SELECT f.id, f.name, (SELECT count(*) FROM calls c WHERE c.function_id = f.id),
               (SELECT max(step) FROM calls c WHERE c.function_id = f.id),
               (SELECT count(*) FROM graphs g WHERE g.function_id = f.id)
        FROM functions f ORDER BY f.id""", ps -> {},
        rs -> {
          functionNames.putIfAbsent(rs.getInt(1), rs.getString(2));
          long last = rs.getLong(4);
          return new FunctionInfo(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.wasNull() ? -1 : last, rs.getInt(5));
        });
  }

  private int functionId(String function) {
    if (!functionNames.containsValue(function)) {
      try {
        loadFunctions(); // recorded since we opened
      } catch (SQLException e) {
        throw store(path, e);
      }
    }
    for (var e : functionNames.entrySet()) {
      if (e.getValue().equals(function)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("no function '" + function + "' in " + path + "; recorded: "
        + functionNames.values());
  }

  private String functionName(int id) {
    return functionNames.get(id);
  }

  private static final String CALL_COLUMNS =
      "seq, function_id, step, graph_id, compiled, retrace_reason, start_ns, wall_ns, stale, error";

  private CallInfo call(ResultSet rs) throws SQLException {
    int g = rs.getInt(4);
    Integer graph = rs.wasNull() ? null : g;
    return new CallInfo(rs.getLong(1), functionName(rs.getInt(2)), rs.getLong(3), graph, rs.getInt(5) != 0,
        rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getString(10));
  }

  /** Calls of {@code function} with fromStep <= step <= toStep, in order. */
  public List<CallInfo> calls(String function, long fromStep, long toStep) {
    int id = functionId(function);
    return query("SELECT " + CALL_COLUMNS + " FROM calls WHERE function_id = ? AND step BETWEEN ? AND ? ORDER BY step",
        ps -> {
          ps.setInt(1, id);
          ps.setLong(2, fromStep);
          ps.setLong(3, toStep);
        }, this::call);
  }

  /** All calls with fromSeq <= seq <= toSeq, in order, whatever the function. */
  public List<CallInfo> callsBySeq(long fromSeq, long toSeq) {
    return query("SELECT " + CALL_COLUMNS + " FROM calls WHERE seq BETWEEN ? AND ? ORDER BY seq", ps -> {
      ps.setLong(1, fromSeq);
      ps.setLong(2, toSeq);
    }, this::call);
  }

  /** The number of recorded calls of all functions. */
  public long callCount() {
    return query("SELECT count(*) FROM calls", ps -> {}, rs -> rs.getLong(1)).getFirst();
  }

  /** Leaf series of {@code function} (inputs then outputs, in leaf order). */
  public List<SeriesInfo> series(String function) {
    int id = functionId(function);
    return query("SELECT id, role, position, path FROM series WHERE function_id = ? ORDER BY role, position",
        ps -> ps.setInt(1, id), rs -> new SeriesInfo(rs.getInt(1), function, rs.getString(2), rs.getInt(3), rs.getString(4)));
  }

  /** Logged scalar series ({@code Recorder.scalar}, outputs named loss). */
  public List<SeriesInfo> scalars() {
    return query("SELECT id, role, position, path FROM series WHERE role = 'scalar' ORDER BY path",
        ps -> {}, rs -> new SeriesInfo(rs.getInt(1), null, rs.getString(2), rs.getInt(3), rs.getString(4)));
  }

  /** The series of a function's leaf; role "in" or "out". */
  public SeriesInfo seriesInfo(String function, String role, String path) {
    return series(function).stream().filter(s -> s.role().equals(role) && s.path().equals(path)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + role + " leaf '" + path + "' of " + function
            + " in " + this.path + "; recorded: " + series(function).stream().map(s -> s.role() + ":" + s.path()).toList()));
  }

  /** The series of a logged scalar. */
  public Optional<SeriesInfo> scalar(String name) {
    return scalars().stream().filter(s -> s.path().equals(name)).findFirst();
  }

  /** The whole series downsampled to at most {@code points} points. */
  public Series series(SeriesInfo info, Stat stat, int points) {
    return series(info, stat, points, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * A series over fromStep..toStep downsampled to at most {@code points} points, each the min and
   * max of the statistic over its steps. Long series are read from the rollups (buckets of 64 or
   * 4096 steps), so the cost depends on {@code points}, not on the run's length. Points at the
   * edges of a partial range may include rollup steps just outside it.
   */
  public Series series(SeriesInfo info, Stat stat, int points, long fromStep, long toStep) {
    if (points < 2) {
      throw new IllegalArgumentException("series: points must be >= 2, got " + points);
    }
    long[] range = query("SELECT min(step), max(step) FROM samples WHERE series_id = ? AND step BETWEEN ? AND ?",
        ps -> {
          ps.setInt(1, info.id());
          ps.setLong(2, fromStep);
          ps.setLong(3, toStep);
        }, rs -> {
          long lo = rs.getLong(1);
          return rs.wasNull() ? null : new long[] {lo, rs.getLong(2)};
        }).getFirst();
    if (range == null) {
      return new Series(info, stat, 1, new long[0], new long[0], new double[0], new double[0]);
    }
    long from = range[0], to = range[1], span = to - from + 1;
    String col = stat.column();
    if (span <= points) {
      List<double[]> rows = query("SELECT step, " + col + " FROM samples WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step",
          ps -> {
            ps.setInt(1, info.id());
            ps.setLong(2, from);
            ps.setLong(3, to);
          }, rs -> new double[] {rs.getLong(1), value(rs, 2)});
      return build(info, stat, 1, rows);
    }
    long bucket = ceilDiv(span, points - 1);
    int level = 0;
    for (int l : Schema.ROLLUP_LEVELS) {
      if (l <= bucket) {
        level = l;
      }
    }
    if (level == 0) { // short enough to aggregate the raw samples
      long b = bucket;
      List<double[]> rows = query("SELECT min(step), max(step), min(" + col + "), max(" + col + ") FROM samples "
          + "WHERE series_id = ? AND step BETWEEN ? AND ? GROUP BY (step - ?) / ? ORDER BY 1", ps -> {
            ps.setInt(1, info.id());
            ps.setLong(2, from);
            ps.setLong(3, to);
            ps.setLong(4, from);
            ps.setLong(5, b);
          }, rs -> new double[] {rs.getLong(1), rs.getLong(2), value(rs, 3), value(rs, 4)});
      return buildBuckets(info, stat, b, rows);
    }
    long b = ceilDiv(bucket, level) * level; // whole rollup buckets per point
    int lvl = level;
    List<double[]> rollups = query("SELECT bucket, first_step, last_step, lo_" + col + ", hi_" + col
        + " FROM rollups WHERE series_id = ? AND level = ? AND bucket BETWEEN ? AND ? ORDER BY bucket", ps -> {
          ps.setInt(1, info.id());
          ps.setInt(2, lvl);
          ps.setLong(3, Math.floorDiv(from, lvl));
          ps.setLong(4, Math.floorDiv(to, lvl));
        }, rs -> new double[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), value(rs, 4), value(rs, 5)});
    List<double[]> merged = new ArrayList<>();
    long current = Long.MIN_VALUE;
    double[] acc = null;
    for (double[] r : rollups) {
      long out = Math.floorDiv((long) r[0] * lvl, b);
      if (acc == null || out != current) {
        acc = new double[] {r[1], r[2], r[3], r[4]};
        merged.add(acc);
        current = out;
      } else {
        acc[1] = r[2];
        acc[2] = nanMin(acc[2], r[3]);
        acc[3] = nanMax(acc[3], r[4]);
      }
    }
    return buildBuckets(info, stat, b, merged);
  }

  private static double value(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? Double.NaN : v;
  }

  private static double nanMin(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  private static double nanMax(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static Series build(SeriesInfo info, Stat stat, long bucket, List<double[]> rows) {
    int n = rows.size();
    long[] steps = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = (long) rows.get(i)[0];
      v[i] = rows.get(i)[1];
    }
    return new Series(info, stat, bucket, steps, steps.clone(), v, v.clone());
  }

  private static Series buildBuckets(SeriesInfo info, Stat stat, long bucket, List<double[]> rows) {
    int n = rows.size();
    long[] first = new long[n], last = new long[n];
    double[] lo = new double[n], hi = new double[n];
    for (int i = 0; i < n; i++) {
      double[] r = rows.get(i);
      first[i] = (long) r[0];
      last[i] = (long) r[1];
      lo[i] = r[2];
      hi[i] = r[3];
    }
    return new Series(info, stat, bucket, first, last, lo, hi);
  }

  /** Every leaf of {@code function} at {@code step} (inputs then outputs), with values. */
  public List<LeafSample> state(String function, long step) {
    int id = functionId(function);
    return query("""
        SELECT s.role, s.path, m.step, m.seq, m.dtype, m.shape, m.size, m.min, m.max, m.mean, m.std, m.norm,
               m.nan, m.inf, m.sampled, m.vals
        FROM series s JOIN samples m ON m.series_id = s.id
        WHERE s.function_id = ? AND m.step = ? ORDER BY s.role, s.position""", ps -> {
          ps.setInt(1, id);
          ps.setLong(2, step);
        }, RunStore::sample);
  }

  /** Recorded values of one series over fromStep..toStep (every step: use for short ranges). */
  public List<LeafSample> samples(SeriesInfo info, long fromStep, long toStep) {
    return query("""
        SELECT ?, ?, step, seq, dtype, shape, size, min, max, mean, std, norm, nan, inf, sampled, vals
        FROM samples WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step""", ps -> {
          ps.setString(1, info.role());
          ps.setString(2, info.path());
          ps.setInt(3, info.id());
          ps.setLong(4, fromStep);
          ps.setLong(5, toStep);
        }, RunStore::sample);
  }

  private static LeafSample sample(ResultSet rs) throws SQLException {
    DType dtype = dtype(rs.getString(5));
    return new LeafSample(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), dtype,
        parseShape(rs.getString(6)), rs.getInt(7), boxed(rs, 8), boxed(rs, 9), boxed(rs, 10), boxed(rs, 11),
        boxed(rs, 12), rs.getLong(13), rs.getLong(14), rs.getInt(15) != 0, LeafStats.decode(dtype, rs.getBytes(16)));
  }

  private static Double boxed(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  static DType dtype(String shortName) {
    for (DType d : DType.values()) {
      if (d.shortName().equals(shortName)) {
        return d;
      }
    }
    throw new RunStoreException("unknown dtype '" + shortName + "' in the run store");
  }

  static int[] parseShape(String s) {
    String inner = s.substring(1, s.length() - 1);
    if (inner.isEmpty()) {
      return new int[0];
    }
    String[] parts = inner.split(",");
    int[] shape = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shape[i] = Integer.parseInt(parts[i]);
    }
    return shape;
  }

  /** Compares every leaf of two steps of {@code function}. */
  public StepDiff diff(String function, long stepA, long stepB) {
    Map<String, LeafSample> a = new LinkedHashMap<>();
    for (LeafSample s : state(function, stepA)) {
      a.put(s.key(), s);
    }
    List<LeafDiff> diffs = new ArrayList<>();
    for (LeafSample b : state(function, stepB)) {
      LeafSample x = a.get(b.key());
      if (x != null) {
        diffs.add(diff(x, b));
      }
    }
    return new StepDiff(function, stepA, stepB, diffs);
  }

  static LeafDiff diff(LeafSample a, LeafSample b) {
    boolean exact = !a.sampled() && !b.sampled() && a.values().length == b.values().length
        && java.util.Arrays.equals(a.shape(), b.shape());
    double normA = a.norm() == null ? 0 : a.norm();
    if (exact) {
      double maxAbs = 0, sq = 0;
      boolean changed = false;
      for (int i = 0; i < a.values().length; i++) {
        double x = a.values()[i], y = b.values()[i];
        if (Double.doubleToLongBits(x) != Double.doubleToLongBits(y)) {
          changed = true;
        }
        double d = y - x;
        if (!Double.isNaN(d) && !Double.isInfinite(d)) {
          maxAbs = Math.max(maxAbs, Math.abs(d));
          sq += d * d;
        }
      }
      double dn = Math.sqrt(sq);
      return new LeafDiff(a.role(), a.path(), true, changed, maxAbs, dn, relative(dn, normA, changed), a, b);
    }
    double normB = b.norm() == null ? 0 : b.norm();
    double dn = Math.abs(normB - normA);
    boolean changed = !java.util.Arrays.equals(a.values(), b.values()) || !java.util.Objects.equals(a.mean(), b.mean())
        || !java.util.Objects.equals(a.std(), b.std()) || a.nan() != b.nan() || a.inf() != b.inf()
        || !java.util.Arrays.equals(a.shape(), b.shape());
    double maxAbs = 0;
    if (a.values().length == b.values().length) {
      for (int i = 0; i < a.values().length; i++) {
        double d = Math.abs(b.values()[i] - a.values()[i]);
        if (!Double.isNaN(d)) {
          maxAbs = Math.max(maxAbs, d);
        }
      }
    }
    return new LeafDiff(a.role(), a.path(), false, changed, maxAbs, dn, relative(dn, normA, changed), a, b);
  }

  private static double relative(double deltaNorm, double normA, boolean changed) {
    if (normA > 0) {
      return deltaNorm / normA;
    }
    return changed ? Double.POSITIVE_INFINITY : 0;
  }

  private EventInfo event(ResultSet rs) throws SQLException {
    long seq = rs.getLong(2);
    Long seqBox = rs.wasNull() ? null : seq;
    int f = rs.getInt(3);
    String fn = rs.wasNull() ? null : functionName(f);
    long step = rs.getLong(4);
    Long stepBox = rs.wasNull() ? null : step;
    return new EventInfo(rs.getLong(1), seqBox, fn, stepBox, rs.getString(5), rs.getString(6), rs.getString(7));
  }

  /** All events, in the order they happened. */
  public List<EventInfo> events() {
    return query("SELECT id, seq, function_id, step, kind, path, message FROM events ORDER BY seq, id",
        ps -> {}, this::event);
  }

  /** Events of one kind ({@link EventKind}). */
  public List<EventInfo> events(String kind) {
    return query("SELECT id, seq, function_id, step, kind, path, message FROM events WHERE kind = ? ORDER BY seq, id",
        ps -> ps.setString(1, kind), this::event);
  }

  /** State threading of {@code function}: runs of steps over which an input was the previous output. */
  public List<StateLink> links(String function) {
    int id = functionId(function);
    return query("SELECT in_path, out_path, first_step, last_step FROM state_links WHERE function_id = ? "
        + "ORDER BY first_step, in_path", ps -> ps.setInt(1, id),
        rs -> new StateLink(function, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
  }

  /** The graphs of {@code function}, in trace order, with their state inputs and outputs. */
  public List<GraphInfo> graphs(String function) {
    int id = functionId(function);
    List<StateLink> links = links(function);
    return query("SELECT id, trace_index, first_seq, signature, in_paths, out_paths, ir_text, structure "
        + "FROM graphs WHERE function_id = ? ORDER BY trace_index", ps -> ps.setInt(1, id), rs -> {
          List<String> in = Json.parseStringList(rs.getString(5));
          List<String> out = Json.parseStringList(rs.getString(6));
          Set<String> stateIn = new HashSet<>(), stateOut = new HashSet<>();
          for (StateLink l : links) {
            if (in.contains(l.inPath()) && out.contains(l.outPath())) {
              stateIn.add(l.inPath());
              stateOut.add(l.outPath());
            }
          }
          return new GraphInfo(rs.getInt(1), function, rs.getInt(2), rs.getLong(3), rs.getString(4), in, out,
              rs.getString(7), rs.getString(8), in.stream().filter(stateIn::contains).toList(),
              out.stream().filter(stateOut::contains).toList());
        });
  }

  @Override
  public String toString() {
    return "RunStore(" + path + ")";
  }
}
