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
  /** Whether {@code graphs} has the {@code eqn_sources} column (asked once; runs recorded before it lack it). */
  private Boolean hasEqnSources;

  private RunStore(Path path, Connection conn, int schemaVersion) {
    this.path = path;
    this.conn = conn;
    this.schemaVersion = schemaVersion;
  }

  /**
   * Pays the first-use costs of the first run a JVM opens: loading SQLite's native library and the
   * JSON reader (~0.5 s CPU, several seconds of wall time on a loaded machine; docs/benchmarks.md,
   * "Opening a 1M-step run"). A view calls it in a background Job before the user opens a run;
   * afterwards {@link #open} and the first reads cost only what the run's size asks.
   */
  public static void warmUp() {
    try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
        var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
    } catch (SQLException e) {
      throw new RunStoreException("cannot load SQLite to read runs: " + e.getMessage()
          + ". Check that the sqlite-jdbc bundle's native library can be loaded on this platform.", e);
    }
    Json.parseStringList("[\"warm-up\"]");
  }

  /** Opens a run store for reading. */
  public static RunStore open(Path path) {
    boolean walMode = checkFile(path);
    Connection c = null;
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setReadOnly(true);
      config.setOpenMode(SQLiteOpenMode.READONLY);
      config.setBusyTimeout(2000);
      c = config.createConnection(url(path, walMode));
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

  /**
   * The JDBC URL that reads {@code path} without leaving files beside it. A read-only connection to
   * a WAL-mode database creates {@code -wal} and {@code -shm} files it cannot remove when it closes.
   * A WAL-mode file without a {@code -wal} beside it has no writer (a writer keeps its log open) and
   * all its data in the file: it is opened {@code immutable}, touching nothing else. A WAL-mode file
   * with a {@code -wal} (a run being recorded, or a killed one whose log holds committed steps) is
   * read through the log as usual; its log is never checkpointed or removed by a reader. Runs the
   * recorder closed cleanly are in rollback-journal mode and need neither.
   */
  private static String url(Path path, boolean walMode) {
    Path abs = path.toAbsolutePath();
    if (walMode && !Files.exists(Path.of(abs + "-wal"))) {
      return "jdbc:sqlite:" + abs.toUri().toASCIIString().replaceFirst("^file:///", "file:/") + "?immutable=1";
    }
    return "jdbc:sqlite:" + abs;
  }

  /**
   * Header checks before SQLite sees the file, so that bad files fail fast with a clear reason.
   * Returns whether the file is in WAL mode (header bytes 18 and 19 are 2).
   */
  private static boolean checkFile(Path path) {
    if (Files.isDirectory(path)) {
      throw new RunStoreException(path + " is a folder, not a run store: pass the .db file the recorder wrote.");
    }
    if (!Files.isRegularFile(path)) {
      throw new RunStoreException("no run store at " + path + ": the file does not exist. Record a run "
          + "first, e.g. -Dstatelens.record=" + path + " or ./statelens example linreg --record " + path + ".");
    }
    if (!Files.isReadable(path)) {
      throw new RunStoreException("cannot read " + path + ": permission denied. Ask for read access to the file, "
          + "or copy it somewhere you can read it.");
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
      return header[18] == 2 && header[19] == 2;
    } catch (IOException e) {
      throw new RunStoreException("cannot read " + path + ": " + e.getMessage() + ". Check that the file is "
          + "readable, or copy it somewhere you can read it.", e);
    }
  }

  private static RunStoreException notARun(Path path, int appId) {
    return new RunStoreException(path + " is an SQLite database but not a StateLens run store "
        + "(application id " + Integer.toHexString(appId) + "). Pass the .db file the recorder wrote.");
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  /** SQLite's failure in the user's terms; SQLite's own report stays the exception's detail. */
  private static RunStoreException store(Path path, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("SQLITE_CORRUPT") || msg.contains("malformed") || msg.contains("SQLITE_NOTADB")) {
      return new RunStoreException(path + " is corrupt. Use an intact copy or re-record the run.", e);
    }
    if (msg.contains("SQLITE_BUSY") || msg.contains("locked")) {
      return new RunStoreException(path + " is locked by another process for too long; try again.", e);
    }
    if (msg.contains("no such table") || msg.contains("no such column")) {
      return new RunStoreException(path + " lacks part of the run store schema; it is not a "
          + "complete StateLens run store. Re-record the run.", e);
    }
    return new RunStoreException("cannot read the run store " + path + ". Check that the file is readable and "
        + "complete, or re-record the run.", e);
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

  /**
   * Value snapshots every this many steps of a function ({@code meta.record_every}, the
   * {@code statelens.record.every} setting; 1, every call, for runs recorded before it existed).
   * Steps between snapshots have their call, loss and logged scalars but no leaves
   * ({@link #hasState}); first snapshots of a graph and calls with stale state always have them.
   */
  public int recordEvery() {
    String v = meta().get("record_every");
    try {
      return v == null ? 1 : Math.max(1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      throw new RunStoreException(path + " has a malformed meta.record_every '" + v + "': the run store is corrupt. "
          + "Use an intact copy or re-record the run.");
    }
  }

  /**
   * Whether step {@code step} of {@code function} has a value snapshot (its leaves' statistics and
   * values: {@link #state} is not empty). False for a step that is not recorded, a failed call, and
   * the steps between snapshots of a run recorded with {@code statelens.record.every} &gt; 1.
   */
  public boolean hasState(String function, long step) {
    return !leafRows(functionId(function), step, step).isEmpty();
  }

  /**
   * The steps of {@code function} in fromStep..toStep that have a value snapshot, in order (every
   * call's step when {@link #recordEvery()} is 1, except failed calls).
   */
  public List<Long> stateSteps(String function, long fromStep, long toStep) {
    return leafRows(functionId(function), fromStep, toStep).stream().map(r -> (Long) r[0]).toList();
  }

  /**
   * The functions with their call counts and last steps: both from {@link Schema#CALL_COUNTS_INDEX}
   * where the run has it (a covering index: the 24 KB {@code calls} rows are never read).
   */
  static final String FUNCTIONS_SQL = """
      SELECT f.id, f.name, (SELECT total(n) FROM calls c WHERE c.function_id = f.id),
             (SELECT max(last_step) FROM calls c WHERE c.function_id = f.id),
             (SELECT count(*) FROM graphs g WHERE g.function_id = f.id), %s
      FROM functions f ORDER BY f.id""";

  /** All functions' calls, from {@link Schema#CALL_COUNTS_INDEX} where the run has it. */
  static final String CALL_COUNT_SQL = "SELECT total(n) FROM calls";

  /** The recorded functions, with their source positions where the run has them (schema version 2). */
  public List<FunctionInfo> functions() {
    String source = hasSources() ? "f.source" : "NULL"; // version 1 has no source column
    return query(FUNCTIONS_SQL.formatted(source), ps -> {},
        rs -> {
          functionNames.put(rs.getInt(1), rs.getString(2)); // a name may change once the first trace names it
          long last = rs.getLong(4);
          long lastStep = rs.wasNull() ? -1 : last;
          String json = rs.getString(6);
          return new FunctionInfo(rs.getInt(1), rs.getString(2), rs.getLong(3), lastStep, rs.getInt(5),
              Optional.ofNullable(SourceJson.functionSource(json, "impl")),
              Optional.ofNullable(SourceJson.functionSource(json, "jit")));
        });
  }

  /** Whether this run store records source positions (schema version 2 and later). */
  public boolean hasSources() {
    return schemaVersion >= Schema.SOURCES_SINCE;
  }

  /**
   * The record component that holds leaf {@code path} of {@code function} ({@code role} "in" or
   * "out"): for {@code params.weight}, the component {@code weight} of the record class of
   * {@code params}; for a leaf inside a list or map, the nearest enclosing record component. Empty
   * when no record encloses the leaf (a plain array argument), for logged scalars, and for runs
   * recorded before schema version 2.
   */
  public Optional<SourceRef> leafSource(String function, String role, String path) {
    if (role.equals("scalar")) {
      return Optional.empty();
    }
    if (!role.equals("in") && !role.equals("out")) {
      throw new IllegalArgumentException("leafSource: role must be \"in\" or \"out\", got \"" + role + "\"");
    }
    int id = functionId(function);
    if (!hasSources()) {
      return Optional.empty();
    }
    for (String[] g : query("SELECT in_paths, out_paths, leaf_sources FROM graphs WHERE function_id = ? "
        + "ORDER BY trace_index", ps -> ps.setInt(1, id),
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
      int index = Json.parseStringList(role.equals("in") ? g[0] : g[1]).indexOf(path);
      SourceRef found = index < 0 ? null : SourceJson.leafSource(g[2], role, index);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
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

  private CallInfo call(String function, CallCodec.Call c) {
    return new CallInfo(c.seq(), function, c.step(), c.graphId() < 0 ? null : c.graphId(), c.compiled(),
        c.retraceReason(), c.startNanos(), c.wallNanos(), c.stale(), c.error());
  }

  /**
   * The decoded calls of function {@code fn} with from <= step <= to, in order. A row holds up to
   * {@link Schema#CHUNK_CALLS} consecutive steps, so rows starting before {@code from - CHUNK_CALLS}
   * cannot hold a step in range (that bound keeps the query on the primary key).
   */
  private List<CallCodec.Call> callRecords(int fn, long from, long to) {
    List<CallCodec.Call> out = new ArrayList<>();
    for (byte[] data : query("SELECT data FROM calls WHERE function_id = ? AND first_step BETWEEN ? AND ? "
        + "AND last_step >= ? ORDER BY first_step", ps -> {
          ps.setInt(1, fn);
          ps.setLong(2, from == Long.MIN_VALUE ? from : from - Schema.CHUNK_CALLS);
          ps.setLong(3, to);
          ps.setLong(4, from);
        }, rs -> rs.getBytes(1))) {
      for (CallCodec.Call c : CallCodec.decode(data)) {
        if (c.step() >= from && c.step() <= to) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Calls of {@code function} with fromStep <= step <= toStep, in order. */
  public List<CallInfo> calls(String function, long fromStep, long toStep) {
    int id = functionId(function);
    return callRecords(id, fromStep, toStep).stream().map(c -> call(function, c)).toList();
  }

  /** All calls with fromSeq <= seq <= toSeq, in order, whatever the function. */
  public List<CallInfo> callsBySeq(long fromSeq, long toSeq) {
    List<CallInfo> out = new ArrayList<>();
    for (Object[] row : query("SELECT function_id, data FROM calls WHERE last_seq >= ? AND first_seq <= ?", ps -> {
      ps.setLong(1, fromSeq);
      ps.setLong(2, toSeq);
    }, rs -> new Object[] {rs.getInt(1), rs.getBytes(2)})) {
      String fn = functionName((int) row[0]);
      for (CallCodec.Call c : CallCodec.decode((byte[]) row[1])) {
        if (c.seq() >= fromSeq && c.seq() <= toSeq) {
          out.add(call(fn, c));
        }
      }
    }
    out.sort(java.util.Comparator.comparingLong(CallInfo::seq));
    return out;
  }

  /** The number of recorded calls of all functions. */
  public long callCount() {
    return query(CALL_COUNT_SQL, ps -> {}, rs -> rs.getLong(1)).getFirst();
  }

  /** Leaf series of {@code function} (inputs then outputs, in leaf order). */
  public List<SeriesInfo> series(String function) {
    int id = functionId(function);
    return query("SELECT id, role, position, path FROM series WHERE function_id = ? ORDER BY role, position, id",
        ps -> ps.setInt(1, id), rs -> new SeriesInfo(rs.getInt(1), function, rs.getString(2), rs.getInt(3), rs.getString(4)));
  }

  /** Logged scalar series ({@code Recorder.scalar}, outputs named loss). */
  public List<SeriesInfo> scalars() {
    return query("SELECT id, role, position, path FROM series WHERE role = 'scalar' ORDER BY path",
        ps -> {}, rs -> new SeriesInfo(rs.getInt(1), null, rs.getString(2), rs.getInt(3), rs.getString(4)));
  }

  /** The series of a function's leaf; role "in" or "out". */
  public SeriesInfo seriesInfo(String function, String role, String path) {
    List<SeriesInfo> all = series(function);
    return all.stream().filter(s -> s.role().equals(role) && s.path().equals(path)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + role + " leaf '" + path + "' of " + function
            + " in " + this.path + "; recorded: " + all.stream().map(s -> s.role() + ":" + s.path()).toList()));
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
   * max of the statistic over its steps. Long ranges are read from the rollups (buckets of 16,
   * 256 or 4096 steps), so the cost depends on {@code points}, not on the run's length; points at
   * the edges of a partial range may include rollup steps just outside it.
   */
  public Series series(SeriesInfo info, Stat stat, int points, long fromStep, long toStep) {
    if (points < 2) {
      throw new IllegalArgumentException("series: points must be >= 2, got " + points);
    }
    if (info.isScalar() && hasScalarChunks()) {
      return scalarSeries(info, stat, points, fromStep, toStep);
    }
    int fn = info.isScalar() ? 0 : functionId(info.function());
    long[] range = null;
    if (info.isScalar()) {
      range = scalarRange(info.id(), fromStep, toStep);
    } else {
      List<long[]> ends = query("SELECT (SELECT first_step FROM calls WHERE function_id = ?1 ORDER BY first_step LIMIT 1), "
          + "(SELECT last_step FROM calls WHERE function_id = ?1 ORDER BY first_step DESC LIMIT 1)",
          ps -> ps.setInt(1, fn), rs -> {
            long lo = rs.getLong(1);
            return rs.wasNull() ? null : new long[] {lo, rs.getLong(2)};
          });
      long[] e = ends.getFirst();
      if (e != null && Math.max(e[0], fromStep) <= Math.min(e[1], toStep)) {
        range = new long[] {Math.max(e[0], fromStep), Math.min(e[1], toStep)};
      }
    }
    if (range == null) {
      return new Series(info, stat, 1, new long[0], new long[0], new double[0], new double[0]);
    }
    long from = range[0], to = range[1], span = to - from + 1;
    long bucket = span <= points ? 1 : ceilDiv(span, points - 1);
    int level = 0;
    for (int l : Schema.ROLLUP_LEVELS) {
      if (l <= bucket) {
        level = l;
      }
    }
    List<double[]> merged = new ArrayList<>(); // first, last, lo, hi
    if (level == 0) { // short enough to read every step
      long current = Long.MIN_VALUE;
      double[] acc = null;
      for (double[] sv : stepValues(info, fn, stat, from, to)) {
        long out = Math.floorDiv((long) sv[0] - from, bucket);
        if (acc == null || out != current) {
          acc = new double[] {sv[0], sv[0], sv[1], sv[1]};
          merged.add(acc);
          current = out;
        } else {
          acc[1] = sv[0];
          acc[2] = nanMin(acc[2], sv[1]);
          acc[3] = nanMax(acc[3], sv[1]);
        }
      }
      return buildBuckets(info, stat, bucket, merged);
    }
    long b = ceilDiv(bucket, level) * level; // whole rollup buckets per point
    int lvl = level;
    long current = Long.MIN_VALUE;
    double[] acc = null;
    for (Object[] r : query("SELECT bucket, first_step, last_step, stats FROM rollups WHERE function_id = ? "
        + "AND level = ? AND bucket BETWEEN ? AND ? ORDER BY bucket", ps -> {
          ps.setInt(1, fn);
          ps.setInt(2, lvl);
          ps.setLong(3, Math.floorDiv(from, lvl));
          ps.setLong(4, Math.floorDiv(to, lvl));
        }, rs -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4)})) {
      LeafCodec.Roll roll = LeafCodec.findRoll((byte[]) r[3], info.id());
      if (roll == null) {
        continue; // the leaf was not in these steps (another trace)
      }
      long out = Math.floorDiv((long) r[0] * lvl, b);
      double lo = roll.get(stat, 0), hi = roll.get(stat, 1);
      if (acc == null || out != current) {
        acc = new double[] {(long) r[1], (long) r[2], lo, hi};
        merged.add(acc);
        current = out;
      } else {
        acc[1] = (long) r[2];
        acc[2] = nanMin(acc[2], lo);
        acc[3] = nanMax(acc[3], hi);
      }
    }
    return buildBuckets(info, stat, b, merged);
  }

  /**
   * A logged scalar downsampled (schema version 3) to at most {@code points} points of about
   * {@code bucket = ceil(span / (points - 1))} steps from the series' first step in range. A chunk
   * that lies in the range, spans at most {@code bucket} steps and holds no step logged again
   * later (a {@code scalars} row, which wins) goes whole, by its stored {@code lo}/{@code hi}, to
   * the point of its first step, as rollup buckets did before; any other chunk is decoded and its
   * values go to the points of their steps. So each point holds the exact smallest and largest
   * value (NaN left out; every {@link Stat} of a scalar is its value) of the steps
   * {@code firstStep..lastStep} it names, points do not overlap, and a point spans less than two
   * buckets. Long series read one index entry per chunk and decode none.
   */
  private Series scalarSeries(SeriesInfo info, Stat stat, int points, long fromStep, long toStep) {
    int id = info.id();
    long[] range = scalarRange(id, fromStep, toStep);
    if (range == null) {
      return new Series(info, stat, 1, new long[0], new long[0], new double[0], new double[0]);
    }
    long from = range[0], to = range[1], span = to - from + 1;
    long bucket = span <= points ? 1 : ceilDiv(span, points - 1);
    List<Object[]> rows = query("SELECT step, value FROM scalars WHERE series_id = ? AND step BETWEEN ? AND ? "
        + "ORDER BY step", ps -> {
          ps.setInt(1, id);
          ps.setLong(2, from);
          ps.setLong(3, to);
        }, rs -> new Object[] {rs.getLong(1), value(rs, 2)});
    long[] later = rows.stream().mapToLong(r -> (long) r[0]).toArray(); // sorted: the steps rows override
    java.util.TreeMap<Long, double[]> groups = new java.util.TreeMap<>(); // point -> first, last, lo, hi
    List<Long> decode = new ArrayList<>(); // first steps of the chunks to decode
    for (Object[] c : query("SELECT first_step, last_step, lo, hi FROM scalar_chunks WHERE series_id = ?1 "
        + "AND first_step <= ?3 AND first_step >= (SELECT first_step FROM scalar_chunks WHERE series_id = ?1 "
        + "AND last_step >= ?2 ORDER BY last_step LIMIT 1) ORDER BY first_step", ps -> {
          ps.setInt(1, id);
          ps.setLong(2, from);
          ps.setLong(3, to);
        }, rs -> new Object[] {rs.getLong(1), rs.getLong(2), value(rs, 3), value(rs, 4)})) {
      long cf = (long) c[0], cl = (long) c[1];
      int at = java.util.Arrays.binarySearch(later, cf);
      boolean overridden = at >= 0 || (-at - 1 < later.length && later[-at - 1] <= cl);
      if (cf >= from && cl <= to && !overridden && cl - cf < bucket) {
        merge(groups, Math.floorDiv(cf - from, bucket), cf, cl, (double) c[2], (double) c[3]);
      } else {
        decode.add(cf);
      }
    }
    for (byte[] data : chunkData(id, decode)) {
      int n = ScalarCodec.count(data);
      long[] steps = new long[n], seqs = new long[n];
      double[] values = new double[n];
      n = ScalarCodec.decodeInto(data, from, to, steps, seqs, values, 0);
      for (int i = 0; i < n; i++) {
        if (java.util.Arrays.binarySearch(later, steps[i]) < 0) {
          merge(groups, Math.floorDiv(steps[i] - from, bucket), steps[i], steps[i], values[i], values[i]);
        }
      }
    }
    for (Object[] r : rows) {
      long step = (long) r[0];
      merge(groups, Math.floorDiv(step - from, bucket), step, step, (double) r[1], (double) r[1]);
    }
    return buildBuckets(info, stat, bucket, new ArrayList<>(groups.values()));
  }

  /**
   * The blobs of a scalar's chunks that start at {@code firstSteps} (in order): one look-up each
   * when they are few, else one range read that keeps the ones asked for.
   */
  private List<byte[]> chunkData(int seriesId, List<Long> firstSteps) {
    if (firstSteps.size() > 16) {
      java.util.Set<Long> wanted = new HashSet<>(firstSteps);
      List<byte[]> out = new ArrayList<>();
      for (Object[] r : query("SELECT first_step, data FROM scalar_chunks WHERE series_id = ? AND first_step "
          + "BETWEEN ? AND ? ORDER BY first_step", ps -> {
            ps.setInt(1, seriesId);
            ps.setLong(2, firstSteps.getFirst());
            ps.setLong(3, firstSteps.getLast());
          }, rs -> new Object[] {rs.getLong(1), rs.getBytes(2)})) {
        if (wanted.contains((Long) r[0])) {
          out.add((byte[]) r[1]);
        }
      }
      return out;
    }
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT data FROM scalar_chunks WHERE series_id = ? "
        + "AND first_step = ?")) {
      ps.setInt(1, seriesId);
      for (long first : firstSteps) {
        ps.setLong(2, first);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.add(rs.getBytes(1));
          }
        }
      }
    } catch (SQLException e) {
      throw store(path, e);
    }
    return out;
  }

  private static void merge(java.util.TreeMap<Long, double[]> groups, long point, long first, long last, double lo,
      double hi) {
    double[] g = groups.get(point);
    if (g == null) {
      groups.put(point, new double[] {first, last, lo, hi});
    } else {
      g[0] = Math.min(g[0], first);
      g[1] = Math.max(g[1], last);
      g[2] = nanMin(g[2], lo);
      g[3] = nanMax(g[3], hi);
    }
  }

  /** Whether logged scalars are packed in {@code scalar_chunks} (schema version 3 and later). */
  private boolean hasScalarChunks() {
    return schemaVersion >= Schema.SCALAR_CHUNKS_SINCE;
  }

  /**
   * The first and last step of a logged scalar in from..to, or null when it has none there. A
   * series' chunks are in step order and do not overlap (ScalarChunk), so the first step is in the
   * first chunk that ends at or after {@code from} and the last in the last chunk that starts at
   * or before {@code to}; values in {@code scalars} rows are probed by their primary key.
   */
  private long[] scalarRange(int seriesId, long from, long to) {
    long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
    if (hasScalarChunks()) {
      for (byte[] data : query("SELECT data FROM scalar_chunks WHERE series_id = ? AND last_step >= ? "
          + "ORDER BY last_step LIMIT 1", ps -> {
            ps.setInt(1, seriesId);
            ps.setLong(2, from);
          }, rs -> rs.getBytes(1))) {
        for (int i = 0, n = ScalarCodec.count(data); i < n; i++) {
          long step = ScalarCodec.step(data, i);
          if (step >= from) {
            if (step <= to) {
              first = step;
            }
            break;
          }
        }
      }
      for (byte[] data : query("SELECT data FROM scalar_chunks WHERE series_id = ? AND first_step <= ? "
          + "ORDER BY first_step DESC LIMIT 1", ps -> {
            ps.setInt(1, seriesId);
            ps.setLong(2, to);
          }, rs -> rs.getBytes(1))) {
        for (int i = ScalarCodec.count(data) - 1; i >= 0; i--) {
          long step = ScalarCodec.step(data, i);
          if (step <= to) {
            if (step >= from) {
              last = step;
            }
            break;
          }
        }
      }
    }
    // two indexed probes: SQLite answers min() or max() from the index, not both at once
    for (String order : new String[] {"", " DESC"}) {
      for (long step : query("SELECT step FROM scalars WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step"
          + order + " LIMIT 1", ps -> {
            ps.setInt(1, seriesId);
            ps.setLong(2, from);
            ps.setLong(3, to);
          }, rs -> rs.getLong(1))) {
        first = Math.min(first, step);
        last = Math.max(last, step);
      }
    }
    return first <= last ? new long[] {first, last} : null;
  }

  /**
   * A logged scalar's values with from <= step <= to, in step order: the entries of its chunks
   * (version 3) merged with its {@code scalars} rows (before version 3 all values; since, those
   * logged at an earlier step than the series' last, which were written after any chunk entry of
   * the same step and so win, as the last value logged at a step always does).
   */
  private ScalarCodec.Entries scalarEntries(int seriesId, long from, long to) {
    ScalarCodec.Entries chunks = ScalarCodec.Entries.EMPTY;
    if (hasScalarChunks()) {
      // the chunks from the first one that ends at or after from (chunks do not overlap) up to to
      List<byte[]> blobs = query("SELECT data FROM scalar_chunks WHERE series_id = ?1 AND first_step <= ?3 "
          + "AND first_step >= (SELECT first_step FROM scalar_chunks WHERE series_id = ?1 AND last_step >= ?2 "
          + "ORDER BY last_step LIMIT 1) ORDER BY first_step", ps -> {
            ps.setInt(1, seriesId);
            ps.setLong(2, from);
            ps.setLong(3, to);
          }, rs -> rs.getBytes(1));
      int total = 0;
      for (byte[] b : blobs) {
        total += ScalarCodec.count(b);
      }
      long[] steps = new long[total], seqs = new long[total];
      double[] values = new double[total];
      int n = 0;
      for (byte[] b : blobs) {
        n = ScalarCodec.decodeInto(b, from, to, steps, seqs, values, n);
      }
      chunks = new ScalarCodec.Entries(steps, seqs, values, n);
    }
    List<Object[]> rows = query("SELECT step, seq, value FROM scalars WHERE series_id = ? AND step BETWEEN ? AND ? "
        + "ORDER BY step", ps -> {
          ps.setInt(1, seriesId);
          ps.setLong(2, from);
          ps.setLong(3, to);
        }, rs -> new Object[] {rs.getLong(1), rs.getLong(2), value(rs, 3)});
    if (rows.isEmpty()) {
      return chunks;
    }
    int cap = chunks.size() + rows.size();
    long[] steps = new long[cap], seqs = new long[cap];
    double[] values = new double[cap];
    int n = 0, i = 0, j = 0;
    while (i < chunks.size() || j < rows.size()) {
      long rowStep = j < rows.size() ? (long) rows.get(j)[0] : Long.MAX_VALUE;
      if (i < chunks.size() && chunks.steps()[i] <= rowStep) {
        if (chunks.steps()[i] < rowStep) {
          steps[n] = chunks.steps()[i];
          seqs[n] = chunks.seqs()[i];
          values[n++] = chunks.values()[i];
        } // else: the row of the same step wins
        i++;
      } else {
        Object[] r = rows.get(j++);
        steps[n] = (long) r[0];
        seqs[n] = (long) r[1];
        values[n++] = (double) r[2];
      }
    }
    return new ScalarCodec.Entries(steps, seqs, values, n);
  }

  /** (step, value of the statistic) for every recorded step of a series in from..to. */
  private List<double[]> stepValues(SeriesInfo info, int fn, Stat stat, long from, long to) {
    if (info.isScalar()) {
      ScalarCodec.Entries e = scalarEntries(info.id(), from, to);
      List<double[]> out = new ArrayList<>(e.size());
      for (int i = 0; i < e.size(); i++) {
        out.add(new double[] {e.steps()[i], e.values()[i]});
      }
      return out;
    }
    Map<Long, LeafStats> refs = new HashMap<>();
    List<double[]> out = new ArrayList<>();
    for (Object[] row : leafRows(fn, from, to)) {
      LeafStats st = find(fn, (byte[]) row[2], info.id(), refs);
      if (st != null) {
        out.add(new double[] {(long) row[0], statValue(st, stat)});
      }
    }
    return out;
  }

  private List<Object[]> leafRows(int fn, long from, long to) {
    List<Object[]> rows = new ArrayList<>();
    for (CallCodec.Call c : callRecords(fn, from, to)) {
      if (c.leaves() != null) {
        rows.add(new Object[] {c.step(), c.seq(), c.leaves()});
      }
    }
    return rows;
  }

  /** The statistics of series {@code seriesId} in a call's blob, following a reference. */
  private LeafStats find(int fn, byte[] blob, int seriesId, Map<Long, LeafStats> refs) {
    LeafCodec.Entry[] found = new LeafCodec.Entry[1];
    LeafCodec.decode(blob, e -> {
      if (e.seriesId() == seriesId) {
        found[0] = e;
        return false;
      }
      return true;
    });
    LeafCodec.Entry e = found[0];
    if (e == null) {
      return null;
    }
    if (!e.isRef()) {
      return e.stats();
    }
    long key = e.refStep() * 1_000_003L + e.refSeriesId();
    LeafStats s = refs.get(key);
    if (s == null) {
      s = resolve(fn, e.refStep(), e.refSeriesId());
      refs.put(key, s);
    }
    return s;
  }

  /** The full entry a reference points to (the writer always points at a full entry). */
  private LeafStats resolve(int fn, long step, int seriesId) {
    List<byte[]> blobs = leafRows(fn, step, step).stream().map(r -> (byte[]) r[2]).toList();
    if (blobs.isEmpty()) {
      throw new RunStoreException(path + " is inconsistent: a leaf refers to step " + step
          + " which is not recorded. Use an intact copy or re-record the run.");
    }
    LeafStats[] found = new LeafStats[1];
    LeafCodec.decode(blobs.getFirst(), e -> {
      if (e.seriesId() == seriesId && !e.isRef()) {
        found[0] = e.stats();
        return false;
      }
      return true;
    });
    if (found[0] == null) {
      throw new RunStoreException(path + " is inconsistent: no leaf " + seriesId + " at step " + step
          + ". Use an intact copy or re-record the run.");
    }
    return found[0];
  }

  private static double statValue(LeafStats s, Stat stat) {
    Double v = switch (stat) {
      case MIN -> s.min();
      case MAX -> s.max();
      case MEAN -> s.mean();
      case STD -> s.std();
      case NORM -> s.norm();
    };
    return v == null ? Double.NaN : v;
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

  private Map<Integer, SeriesInfo> seriesById(String function) {
    Map<Integer, SeriesInfo> m = new HashMap<>();
    for (SeriesInfo s : series(function)) {
      m.put(s.id(), s);
    }
    return m;
  }

  /** Every leaf of {@code function} at {@code step} (inputs then outputs), with values. */
  public List<LeafSample> state(String function, long step) {
    int fn = functionId(function);
    Map<Integer, SeriesInfo> byId = seriesById(function);
    List<LeafSample> out = new ArrayList<>();
    Map<Long, LeafStats> refs = new HashMap<>();
    for (Object[] row : leafRows(fn, step, step)) {
      List<LeafCodec.Entry> entries = new ArrayList<>();
      LeafCodec.decode((byte[]) row[2], e -> entries.add(e));
      for (LeafCodec.Entry e : entries) {
        LeafStats st = e.isRef() ? refs.computeIfAbsent(e.refStep() * 1_000_003L + e.refSeriesId(),
            k -> resolve(fn, e.refStep(), e.refSeriesId())) : e.stats();
        SeriesInfo info = byId.get(e.seriesId());
        out.add(sample(info.role(), info.path(), (long) row[0], (long) row[1], st));
      }
    }
    return out;
  }

  /** Recorded values of one series over fromStep..toStep (every step: use for short ranges). */
  public List<LeafSample> samples(SeriesInfo info, long fromStep, long toStep) {
    if (info.isScalar()) {
      ScalarCodec.Entries e = scalarEntries(info.id(), fromStep, toStep);
      List<LeafSample> out = new ArrayList<>(e.size());
      for (int i = 0; i < e.size(); i++) {
        out.add(sample(info.role(), info.path(), e.steps()[i], e.seqs()[i], LeafStats.scalar(e.values()[i])));
      }
      return out;
    }
    int fn = functionId(info.function());
    Map<Long, LeafStats> refs = new HashMap<>();
    List<LeafSample> out = new ArrayList<>();
    for (Object[] row : leafRows(fn, fromStep, toStep)) {
      LeafStats st = find(fn, (byte[]) row[2], info.id(), refs);
      if (st != null) {
        out.add(sample(info.role(), info.path(), (long) row[0], (long) row[1], st));
      }
    }
    return out;
  }

  private static LeafSample sample(String role, String path, long step, long seq, LeafStats s) {
    return new LeafSample(role, path, step, seq, s.dtype(), s.shape(), s.size(), s.min(), s.max(), s.mean(), s.std(),
        s.norm(), s.nan(), s.inf(), s.sampled(), LeafStats.decode(s.dtype(), s.values()));
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
      boolean changed = false, toInf = false, toNaN = false;
      for (int i = 0; i < a.values().length; i++) {
        double x = a.values()[i], y = b.values()[i];
        if (Double.doubleToLongBits(x) == Double.doubleToLongBits(y)) {
          continue;
        }
        changed = true;
        double d = y - x;
        if (Double.isInfinite(d)) { // an element overflowed (or came back): an infinite change, not none
          toInf = true;
        } else if (Double.isNaN(d)) { // NaN on either side: the change has no size
          toNaN = true;
        } else {
          maxAbs = Math.max(maxAbs, Math.abs(d));
          sq += d * d;
        }
      }
      double dn = Math.sqrt(sq);
      if (toInf) {
        maxAbs = dn = Double.POSITIVE_INFINITY;
      } else if (toNaN) {
        maxAbs = dn = Double.NaN;
      }
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
    if (Double.isNaN(deltaNorm) || Double.isInfinite(deltaNorm)) {
      return deltaNorm;
    }
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

  /**
   * The functions that thread state (some call's input was the previous call's output): one query
   * that asks the {@code state_links} index whether each function has a row, without reading them.
   */
  public Set<String> functionsThreadingState() {
    return new HashSet<>(query("SELECT name FROM functions f WHERE EXISTS "
        + "(SELECT 1 FROM state_links s WHERE s.function_id = f.id)", ps -> {}, rs -> rs.getString(1)));
  }

  /** Whether the run's graphs keep each equation's source line ({@code graphs.eqn_sources}). */
  public boolean hasEqnSources() {
    if (hasEqnSources == null) {
      hasEqnSources = !query("SELECT 1 FROM pragma_table_info('graphs') WHERE name = '"
          + Schema.EQN_SOURCES_COLUMN + "'", ps -> {}, rs -> 1).isEmpty();
    }
    return hasEqnSources;
  }

  /**
   * The graphs of {@code function}, in trace order, with their state inputs and outputs and each
   * equation's source line (empty for runs recorded without them).
   */
  public List<GraphInfo> graphs(String function) {
    int id = functionId(function);
    List<StateLink> links = links(function);
    String eqnSources = hasEqnSources() ? Schema.EQN_SOURCES_COLUMN : "NULL";
    return query("SELECT id, trace_index, first_seq, signature, in_paths, out_paths, ir_text, structure, "
        + eqnSources + " FROM graphs WHERE function_id = ? ORDER BY trace_index", ps -> ps.setInt(1, id), rs -> {
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
              out.stream().filter(stateOut::contains).toList(), SourceJson.readEqnSources(rs.getString(9)));
        });
  }

  @Override
  public String toString() {
    return "RunStore(" + path + ")";
  }
}
