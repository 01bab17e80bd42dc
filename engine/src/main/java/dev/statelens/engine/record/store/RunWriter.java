package dev.statelens.engine.record.store;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backends;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;

/**
 * Writes one run store on a background thread. Callers {@link #submit} {@link WriteTask}s (cheap:
 * a bounded queue, blocking only when the writer falls far behind); the thread computes leaf
 * statistics and commits a transaction per batch ({@code batchSize} tasks or {@code flushMillis},
 * whichever comes first). The database is in WAL mode, so a process killed with {@code kill -9}
 * loses at most the batch not yet committed, and other processes can read while it is written.
 *
 * <p>A write failure (disk full, file deleted) is reported once on stderr and recording stops;
 * the program being recorded keeps running.
 */
public final class RunWriter implements AutoCloseable {

  /** Tuning knobs; {@link #defaults()} suits training loops. */
  public record Options(int maxValues, int batchSize, long flushMillis, int queueCapacity) {
    public Options {
      if (maxValues < 0 || batchSize < 1 || flushMillis < 1 || queueCapacity < 1) {
        throw new IllegalArgumentException("RunWriter.Options: maxValues >= 0, batchSize, flushMillis and "
            + "queueCapacity >= 1 expected, got " + maxValues + ", " + batchSize + ", " + flushMillis
            + ", " + queueCapacity);
      }
    }

    public static Options defaults() {
      return new Options(64, 512, 200, 4096);
    }

    public Options withMaxValues(int n) {
      return new Options(n, batchSize, flushMillis, queueCapacity);
    }

    public Options withBatch(int size, long millis) {
      return new Options(maxValues, size, millis, queueCapacity);
    }
  }

  private record Flush(CountDownLatch done) {}

  private static final Object CLOSE = new Object();

  private final Path path;
  private final Options options;
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final Connection conn;
  private volatile Throwable failure;
  private volatile boolean closed;

  // ---- writer-thread state ----
  private final Map<String, SeriesState> series = new HashMap<>();
  private final Map<String, Link> openLinks = new HashMap<>();
  private final Set<Link> dirtyLinks = new HashSet<>();
  private final Set<Rollup> dirtyRollups = new HashSet<>();
  private final Set<String> nanSeen = new HashSet<>();
  private final Set<String> infSeen = new HashSet<>();
  private int nextSeriesId = 1;
  private int pending;
  private long firstPendingAt;
  private final PreparedStatement insFunction, insGraph, insCall, insSeries, insSample, insRollup,
      insLink, insEvent, insMeta;

  private RunWriter(Path path, Options options) throws SQLException {
    this.path = path;
    this.options = options;
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // WAL + NORMAL: durable against process crashes
    config.setBusyTimeout(5000);
    this.conn = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
    Schema.create(conn);
    conn.setAutoCommit(false);
    insFunction = conn.prepareStatement("INSERT INTO functions(id, name) VALUES (?, ?)");
    insGraph = conn.prepareStatement("INSERT INTO graphs(id, function_id, trace_index, first_seq, signature, "
        + "in_paths, out_paths, ir_text, structure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insCall = conn.prepareStatement("INSERT INTO calls(seq, function_id, step, graph_id, compiled, retrace_reason, "
        + "start_ns, wall_ns, stale, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insSeries = conn.prepareStatement("INSERT INTO series(id, function_id, role, position, path) VALUES (?, ?, ?, ?, ?)");
    insSample = conn.prepareStatement("INSERT OR REPLACE INTO samples(series_id, step, seq, dtype, shape, size, "
        + "min, max, mean, std, norm, nan, inf, sampled, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insRollup = conn.prepareStatement("INSERT OR REPLACE INTO rollups(series_id, level, bucket, n, first_step, "
        + "last_step, lo_min, hi_min, lo_max, hi_max, lo_mean, hi_mean, lo_std, hi_std, lo_norm, hi_norm, nan, inf) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insLink = conn.prepareStatement("INSERT OR REPLACE INTO state_links(function_id, in_path, out_path, "
        + "first_step, last_step) VALUES (?, ?, ?, ?, ?)");
    insEvent = conn.prepareStatement("INSERT INTO events(seq, function_id, step, kind, path, message) "
        + "VALUES (?, ?, ?, ?, ?, ?)");
    insMeta = conn.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    meta("schema_version", Integer.toString(Schema.VERSION));
    meta("created", Instant.now().toString());
    meta("status", "running");
    meta("pid", Long.toString(ProcessHandle.current().pid()));
    meta("max_values", Integer.toString(options.maxValues()));
    meta("rollup_levels", "64,4096");
    insMeta.executeBatch();
    conn.commit();
    try (var s = conn.createStatement()) { // header (application id) into the main file at once
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.thread = Thread.ofPlatform().daemon().name("statelens-run-writer").unstarted(this::loop);
    thread.start();
  }

  /**
   * Creates a new run store at {@code path} (parent folders too). An existing run store there is
   * replaced; any other existing file is left alone and reported.
   */
  public static RunWriter create(Path path, Options options) {
    try {
      prepare(path);
      return new RunWriter(path, options);
    } catch (SQLException | IOException e) {
      throw new RunStoreException("cannot create the run store " + path + ": " + e.getMessage()
          + ". Choose a writable path (e.g. runs/train.db).", e);
    }
  }

  private static void prepare(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (Files.exists(path) && Files.size(path) > 0) {
      if (!isRunStore(path)) {
        throw new IOException("the file exists and is not a StateLens run store, so it is not overwritten");
      }
    }
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Files.deleteIfExists(Path.of(path + suffix));
    }
  }

  /** Whether the file's SQLite header carries the run store's application id. */
  static boolean isRunStore(Path path) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      if (f.length() < 100) {
        return false;
      }
      byte[] magic = new byte[16];
      f.readFully(magic);
      if (!new String(magic, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
        return false;
      }
      f.seek(68);
      int id = f.readInt();
      // 0: the header may not be checkpointed yet (killed run); a -wal file beside it says so
      return id == Schema.APPLICATION_ID || (id == 0 && Files.exists(Path.of(path + "-wal")));
    }
  }

  public Path path() {
    return path;
  }

  public Options options() {
    return options;
  }

  /** The error that stopped writing, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Queues a task; blocks only while the queue is full. Dropped once the writer failed or closed. */
  public void submit(WriteTask task) {
    if (failure != null || closed) {
      return;
    }
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until everything submitted before is committed (or the writer failed). */
  public void flush() {
    if (failure != null || closed) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    try {
      queue.put(new Flush(done));
      while (!done.await(100, TimeUnit.MILLISECONDS)) {
        if (!thread.isAlive()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits what is queued, marks the run finished, and closes the file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(CLOSE);
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the writer thread ----------------------------------------------------------------------

  private void loop() {
    try {
      while (true) {
        Object task = pending == 0 ? queue.take()
            : queue.poll(Math.max(1, firstPendingAt + options.flushMillis() - System.currentTimeMillis()),
                TimeUnit.MILLISECONDS);
        if (task == null) {
          commit();
        } else if (task == CLOSE) {
          meta("status", "finished");
          meta("finished", Instant.now().toString());
          pending++;
          commit();
          break;
        } else if (task instanceof Flush f) {
          commit();
          f.done().countDown();
        } else {
          apply((WriteTask) task);
          if (pending++ == 0) {
            firstPendingAt = System.currentTimeMillis();
          }
          if (pending >= options.batchSize()) {
            commit();
          }
        }
      }
    } catch (Throwable t) {
      failure = t;
      System.err.println("statelens: recording to " + path + " stopped: " + t
          + " (the program continues unrecorded).");
      releaseWaiters();
    } finally {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // closing after a failure: nothing more to report
      }
    }
  }

  private void releaseWaiters() {
    Object o;
    while ((o = queue.poll()) != null) {
      if (o instanceof Flush f) {
        f.done().countDown();
      }
    }
  }

  private void commit() throws SQLException {
    if (pending == 0) {
      return;
    }
    for (Rollup r : dirtyRollups) {
      r.bind(insRollup);
      insRollup.addBatch();
    }
    dirtyRollups.clear();
    for (Link l : dirtyLinks) {
      insLink.setInt(1, l.functionId);
      insLink.setString(2, l.inPath);
      insLink.setString(3, l.outPath);
      insLink.setLong(4, l.firstStep);
      insLink.setLong(5, l.lastStep);
      insLink.addBatch();
    }
    dirtyLinks.clear();
    // order matters only for readers' consistency inside one transaction: all land together
    for (PreparedStatement ps : new PreparedStatement[] {insMeta, insFunction, insGraph, insSeries, insCall,
        insSample, insRollup, insLink, insEvent}) {
      ps.executeBatch();
    }
    conn.commit();
    pending = 0;
  }

  private void meta(String key, String value) throws SQLException {
    insMeta.setString(1, key);
    insMeta.setString(2, value);
    insMeta.addBatch();
  }

  private void apply(WriteTask task) throws SQLException {
    switch (task) {
      case WriteTask.Function f -> {
        insFunction.setInt(1, f.id());
        insFunction.setString(2, f.name());
        insFunction.addBatch();
      }
      case WriteTask.Graph g -> {
        insGraph.setInt(1, g.id());
        insGraph.setInt(2, g.functionId());
        insGraph.setInt(3, g.traceIndex());
        insGraph.setLong(4, g.firstSeq());
        insGraph.setString(5, g.signature());
        insGraph.setString(6, Json.stringList(g.inPaths()));
        insGraph.setString(7, Json.stringList(g.outPaths()));
        insGraph.setString(8, g.irText());
        insGraph.setString(9, g.structure());
        insGraph.addBatch();
      }
      case WriteTask.Call c -> applyCall(c);
      case WriteTask.Scalar s -> {
        SeriesState st = series(null, "scalar", 0, s.name());
        double v = s.array() == null ? s.value()
            : LeafStats.element(Backends.current().download(s.array().buffer()), s.array().dtype(), 0);
        sample(st, null, s.step(), s.seq(), LeafStats.scalar(v));
      }
      case WriteTask.Event e -> event(e.seq(), e.functionId(), e.step(), e.kind(), e.path(), e.message());
      case WriteTask.Meta m -> meta(m.key(), m.value());
    }
  }

  private void applyCall(WriteTask.Call c) throws SQLException {
    insCall.setLong(1, c.seq());
    insCall.setInt(2, c.functionId());
    insCall.setLong(3, c.step());
    if (c.graphId() < 0) {
      insCall.setNull(4, Types.INTEGER);
    } else {
      insCall.setInt(4, c.graphId());
    }
    insCall.setInt(5, c.compiled() ? 1 : 0);
    insCall.setString(6, c.retraceReason());
    insCall.setLong(7, c.startNanos());
    insCall.setLong(8, c.wallNanos());
    insCall.setInt(9, c.stale());
    insCall.setString(10, c.error());
    insCall.addBatch();
    leaves(c, "in", c.inPaths(), c.inputs());
    leaves(c, "out", c.outPaths(), c.outputs());
    if (c.linkFrom() != null) {
      for (int i = 0; i < c.linkFrom().length; i++) {
        if (c.linkFrom()[i] >= 0) {
          link(c.functionId(), c.inPaths().get(i), c.prevOutPaths().get(c.linkFrom()[i]), c.step());
        }
      }
    }
  }

  private void leaves(WriteTask.Call c, String role, List<String> paths, List<Array> arrays) throws SQLException {
    if (arrays == null) {
      return;
    }
    for (int i = 0; i < arrays.size(); i++) {
      Array a = arrays.get(i);
      SeriesState st = series(c.functionId(), role, i, paths.get(i));
      LeafStats stats;
      try {
        stats = LeafStats.of(a.dtype(), a.shape(), Backends.current().download(a.buffer()), options.maxValues());
      } catch (RuntimeException e) {
        continue; // not concrete (cannot happen at top level); nothing to summarise
      }
      sample(st, c.functionId(), c.step(), c.seq(), stats);
    }
  }

  private SeriesState series(Integer functionId, String role, int position, String path) throws SQLException {
    String key = functionId + "/" + role + "/" + path;
    SeriesState st = series.get(key);
    if (st == null) {
      st = new SeriesState(nextSeriesId++, key);
      series.put(key, st);
      insSeries.setInt(1, st.id);
      if (functionId == null) {
        insSeries.setNull(2, Types.INTEGER);
      } else {
        insSeries.setInt(2, functionId);
      }
      insSeries.setString(3, role);
      insSeries.setInt(4, position);
      insSeries.setString(5, path);
      insSeries.addBatch();
    }
    return st;
  }

  private void sample(SeriesState st, Integer functionId, long step, long seq, LeafStats s) throws SQLException {
    insSample.setInt(1, st.id);
    insSample.setLong(2, step);
    insSample.setLong(3, seq);
    insSample.setString(4, s.dtype().shortName());
    insSample.setString(5, LeafStats.shapeString(s.shape()));
    insSample.setInt(6, s.size());
    setDouble(insSample, 7, s.min());
    setDouble(insSample, 8, s.max());
    setDouble(insSample, 9, s.mean());
    setDouble(insSample, 10, s.std());
    setDouble(insSample, 11, s.norm());
    insSample.setLong(12, s.nan());
    insSample.setLong(13, s.inf());
    insSample.setInt(14, s.sampled() ? 1 : 0);
    insSample.setBytes(15, s.values());
    insSample.addBatch();
    for (int l = 0; l < Schema.ROLLUP_LEVELS.length; l++) {
      Rollup r = st.rollups[l];
      long bucket = step / Schema.ROLLUP_LEVELS[l];
      if (r == null || r.bucket != bucket) {
        r = new Rollup(st.id, Schema.ROLLUP_LEVELS[l], bucket);
        st.rollups[l] = r;
      }
      r.add(step, s);
      dirtyRollups.add(r);
    }
    if (functionId != null) { // first NaN/Inf per leaf; scalars are covered by the leaf they came from
      String path = st.key.substring(st.key.indexOf('/', st.key.indexOf('/') + 1) + 1);
      if (s.nan() > 0 && nanSeen.add(st.key)) {
        event(seq, functionId, step, EventKind.FIRST_NAN, path,
            path + " has " + s.nan() + " NaN value(s) of " + s.size() + " at step " + step + " (first NaN in this leaf)");
      }
      if (s.inf() > 0 && infSeen.add(st.key)) {
        event(seq, functionId, step, EventKind.FIRST_INF, path,
            path + " has " + s.inf() + " infinite value(s) of " + s.size() + " at step " + step + " (first Inf in this leaf)");
      }
    }
  }

  private void link(int functionId, String inPath, String outPath, long step) {
    String key = functionId + "/" + inPath;
    Link l = openLinks.get(key);
    if (l != null && l.outPath.equals(outPath) && l.lastStep == step - 1) {
      l.lastStep = step;
    } else {
      l = new Link(functionId, inPath, outPath, step);
      openLinks.put(key, l);
    }
    dirtyLinks.add(l);
  }

  private void event(long seq, Integer functionId, Long step, String kind, String path, String message)
      throws SQLException {
    insEvent.setLong(1, seq);
    if (functionId == null) {
      insEvent.setNull(2, Types.INTEGER);
    } else {
      insEvent.setInt(2, functionId);
    }
    if (step == null) {
      insEvent.setNull(3, Types.INTEGER);
    } else {
      insEvent.setLong(3, step);
    }
    insEvent.setString(4, kind);
    insEvent.setString(5, path);
    insEvent.setString(6, message);
    insEvent.addBatch();
  }

  static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.REAL);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static final class SeriesState {
    final int id;
    final String key;
    final Rollup[] rollups = new Rollup[Schema.ROLLUP_LEVELS.length];

    SeriesState(int id, String key) {
      this.id = id;
      this.key = key;
    }
  }

  /** A run of consecutive steps over which input inPath was output outPath of the step before. */
  private static final class Link {
    final int functionId;
    final String inPath;
    final String outPath;
    final long firstStep;
    long lastStep;

    Link(int functionId, String inPath, String outPath, long step) {
      this.functionId = functionId;
      this.inPath = inPath;
      this.outPath = outPath;
      this.firstStep = step;
      this.lastStep = step;
    }
  }

  /** Min/max of each statistic over one bucket of steps (identity-hashed: one object per bucket). */
  private static final class Rollup {
    final int seriesId;
    final int level;
    final long bucket;
    long n, firstStep = Long.MAX_VALUE, lastStep = Long.MIN_VALUE, nan, inf;
    Double loMin, hiMin, loMax, hiMax, loMean, hiMean, loStd, hiStd, loNorm, hiNorm;

    Rollup(int seriesId, int level, long bucket) {
      this.seriesId = seriesId;
      this.level = level;
      this.bucket = bucket;
    }

    void add(long step, LeafStats s) {
      n++;
      firstStep = Math.min(firstStep, step);
      lastStep = Math.max(lastStep, step);
      nan += s.nan();
      inf += s.inf();
      loMin = lo(loMin, s.min());
      hiMin = hi(hiMin, s.min());
      loMax = lo(loMax, s.max());
      hiMax = hi(hiMax, s.max());
      loMean = lo(loMean, s.mean());
      hiMean = hi(hiMean, s.mean());
      loStd = lo(loStd, s.std());
      hiStd = hi(hiStd, s.std());
      loNorm = lo(loNorm, s.norm());
      hiNorm = hi(hiNorm, s.norm());
    }

    private static Double lo(Double a, Double b) {
      return a == null ? b : b == null ? a : Math.min(a, b);
    }

    private static Double hi(Double a, Double b) {
      return a == null ? b : b == null ? a : Math.max(a, b);
    }

    void bind(PreparedStatement ps) throws SQLException {
      ps.setInt(1, seriesId);
      ps.setInt(2, level);
      ps.setLong(3, bucket);
      ps.setLong(4, n);
      ps.setLong(5, firstStep);
      ps.setLong(6, lastStep);
      Double[] v = {loMin, hiMin, loMax, hiMax, loMean, hiMean, loStd, hiStd, loNorm, hiNorm};
      for (int i = 0; i < v.length; i++) {
        setDouble(ps, 7 + i, v[i]);
      }
      ps.setLong(17, nan);
      ps.setLong(18, inf);
    }
  }
}
