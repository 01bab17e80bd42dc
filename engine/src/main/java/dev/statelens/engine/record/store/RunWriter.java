package dev.statelens.engine.record.store;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backends;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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

  /**
   * Tuning knobs; {@link #defaults()} suits training loops.
   *
   * @param every keep a value snapshot (each leaf's statistics and values, update norms, gradient
   *     norms) every {@code every}-th step of a function; every call still gets its row (step,
   *     timing, retrace, state links) and its logged scalars and loss. 1 (the default) snapshots
   *     every call. See docs/run-store.md.
   */
  public record Options(int maxValues, int batchSize, long flushMillis, int queueCapacity, int every) {
    public Options {
      if (maxValues < 0 || batchSize < 1 || flushMillis < 1 || queueCapacity < 1) {
        throw new IllegalArgumentException("RunWriter.Options: maxValues >= 0, batchSize, flushMillis and "
            + "queueCapacity >= 1 expected, got " + maxValues + ", " + batchSize + ", " + flushMillis
            + ", " + queueCapacity);
      }
      if (every < 1) {
        throw new IllegalArgumentException("statelens.record.every must be >= 1 (1 = a value snapshot at every "
            + "call, k = at every k-th call), got " + every);
      }
    }

    public Options(int maxValues, int batchSize, long flushMillis, int queueCapacity) {
      this(maxValues, batchSize, flushMillis, queueCapacity, 1);
    }

    public static Options defaults() {
      return new Options(64, 2048, 200, 8192, 1);
    }

    public Options withMaxValues(int n) {
      return new Options(n, batchSize, flushMillis, queueCapacity, every);
    }

    public Options withBatch(int size, long millis) {
      return new Options(maxValues, size, millis, queueCapacity, every);
    }

    /** Value snapshots every {@code k}-th step (1: every call). */
    public Options withEvery(int k) {
      return new Options(maxValues, batchSize, flushMillis, queueCapacity, k);
    }
  }

  private record Flush(CountDownLatch done) {}

  private static final Object CLOSE = new Object();
  private static final long POLL_NANOS = 10_000_000;

  private final Path path;
  private final Options options;
  /** Unsignalled hand-off: the writer polls, so a call never pays for waking a thread. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final int wakeAt;
  private final Thread thread;
  private final Connection conn;
  private volatile Throwable failure;
  private volatile boolean closed;
  /** Hears the events this writer finds itself (first NaN/Inf in a leaf); null: nobody. */
  private volatile EventListener eventListener;

  /** Hears an event the writer found (on the writer thread, before its commit). */
  @FunctionalInterface
  public interface EventListener {
    void event(String kind, int functionId, long step, String message);
  }

  /**
   * Lets {@code listener} hear the events only the writer can find, because it alone reads the
   * values: the first NaN and the first Inf in each leaf (the live channel's Break on event).
   */
  public void onEvents(EventListener listener) {
    this.eventListener = listener;
  }

  // ---- writer-thread state ----
  // per call, flags and arrays indexed by the dense ids instead of boxed-key maps and set insertions
  private FunctionState[] functions = new FunctionState[8];
  /** The open state link of each input series, by series id. */
  private Link[] openLinks = new Link[16];
  private final List<Link> dirtyLinks = new ArrayList<>();
  /** Buckets to rewrite at the next commit (each once: its {@code dirty} flag guards the list). */
  private final List<Bucket> dirtyBuckets = new ArrayList<>();
  /** Open scalar chunks to rewrite at the next commit (guarded by their {@code dirty} flag). */
  private final List<ScalarChunk> dirtyScalars = new ArrayList<>();
  private final List<FunctionState> dirtyChunks = new ArrayList<>();
  private final Set<String> nanSeen = new HashSet<>();
  private final Set<String> infSeen = new HashSet<>();
  private final LeafCodec.Out blob = new LeafCodec.Out();
  private final UpdateNorms updateNorms = RecordNorms.enabled() ? new UpdateNorms() : null;
  /** The open chunk of each logged scalar, by name. */
  private final Map<String, ScalarChunk> scalarSeries = new HashMap<>();
  private int nextSeriesId = 1;
  private int pending;
  private long firstPendingAt;
  private final PreparedStatement insFunction, updFunctionSource, insGraph, insCall, insSeries, insScalar,
      insScalarChunk, insRollup, insLink, insEvent, insMeta;

  private RunWriter(Path path, Options options) throws SQLException {
    this.path = path;
    this.options = options;
    this.wakeAt = Math.max(1, options.queueCapacity() / 4);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // WAL + NORMAL: durable against process crashes
    config.setBusyTimeout(5000);
    this.conn = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
    Schema.create(conn);
    conn.setAutoCommit(false);
    insFunction = conn.prepareStatement("INSERT INTO functions(id, name) VALUES (?, ?)");
    updFunctionSource = conn.prepareStatement("UPDATE functions SET name = ?, source = ? WHERE id = ?");
    insGraph = conn.prepareStatement("INSERT INTO graphs(id, function_id, trace_index, first_seq, signature, "
        + "in_paths, out_paths, ir_text, structure, leaf_sources, eqn_sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insCall = conn.prepareStatement("INSERT OR REPLACE INTO calls(function_id, first_step, last_step, first_seq, "
        + "last_seq, n, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insSeries = conn.prepareStatement("INSERT INTO series(id, function_id, role, position, path) VALUES (?, ?, ?, ?, ?)");
    insScalar = conn.prepareStatement("INSERT OR REPLACE INTO scalars(series_id, step, seq, value) VALUES (?, ?, ?, ?)");
    insScalarChunk = conn.prepareStatement("INSERT OR REPLACE INTO scalar_chunks(series_id, first_step, last_step, "
        + "n, lo, hi, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insRollup = conn.prepareStatement("INSERT OR REPLACE INTO rollups(function_id, level, bucket, first_step, "
        + "last_step, stats) VALUES (?, ?, ?, ?, ?, ?)");
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
    meta("record_every", Integer.toString(options.every()));
    meta("rollup_levels", java.util.Arrays.toString(Schema.ROLLUP_LEVELS).replaceAll("[\\[\\] ]", ""));
    for (Map.Entry<String, String> b : BackendMeta.current().entrySet()) { // which backend runs it: cpu or a GPU
      meta(b.getKey(), b.getValue());
    }
    insMeta.executeBatch();
    conn.commit();
    try (var s = conn.createStatement()) { // header (application id) into the main file at once
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      // fewer, larger checkpoints: each one copies the log into the file and syncs
      s.execute("PRAGMA wal_autocheckpoint=8192");
    }
    this.thread = Thread.ofPlatform().daemon().name("statelens-run-writer").unstarted(this::loop);
    OPEN.add(key(path));
    thread.start();
  }

  /** The files this JVM's writers have open, until their connection is closed (see {@link #isWriting}). */
  private static final Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static Path key(Path path) {
    return path.toAbsolutePath().normalize();
  }

  /**
   * Whether a writer of this JVM still has {@code path} open (from {@link #create} until its
   * connection is closed, after {@link #close} or a failure). How a reader in the recording
   * process itself tells a run being written from a copy or a closed run with the same pid.
   */
  public static boolean isWriting(Path path) {
    return OPEN.contains(key(path));
  }

  /**
   * Creates a new run store at {@code path} (parent folders too). An existing run store there is
   * replaced; any other existing file is left alone and reported.
   */
  public static RunWriter create(Path path, Options options) {
    String fix = ". Choose a writable path (e.g. runs/train.db).";
    try {
      prepare(path);
    } catch (IOException e) {
      throw new RunStoreException("cannot create the run store " + path + ": " + reason(e) + fix, e);
    }
    try {
      return new RunWriter(path, options);
    } catch (SQLException e) {
      throw new RunStoreException("cannot create the run store " + path + fix, e);
    }
  }

  /** Why the file or its folder could not be prepared; NIO's own messages are just the path. */
  private static String reason(IOException e) {
    return switch (e) {
      case java.nio.file.AccessDeniedException x -> "permission denied (" + x.getFile() + ")";
      case java.nio.file.FileAlreadyExistsException x -> x.getFile() + " exists and is not a folder";
      case java.nio.file.NoSuchFileException x -> x.getFile() + " does not exist";
      case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason() + " (" + x.getFile() + ")";
      default -> String.valueOf(e.getMessage());
    };
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
      Path kept = keepEarlierRun(path);
      dev.statelens.engine.record.Notices.info(path + " held an earlier run; it is kept as " + kept);
    }
    for (String suffix : SIDE_FILES) {
      Files.deleteIfExists(Path.of(path + suffix));
    }
  }

  private static final String[] SIDE_FILES = {"", "-wal", "-shm", "-journal"};

  /**
   * Moves an earlier run at {@code path} (with its WAL files, so a killed run stays readable) to
   * {@code <name>-<yyyyMMdd-HHmmss>.db} beside it: recording again must not lose the last run.
   */
  static Path keepEarlierRun(Path path) throws IOException {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    java.time.LocalDateTime modified = java.time.LocalDateTime.ofInstant(
        Files.getLastModifiedTime(path).toInstant(), java.time.ZoneId.systemDefault());
    String stamp = modified.format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path kept = path.resolveSibling(stem + "-" + stamp + ext);
    for (int n = 2; Files.exists(kept); n++) {
      kept = path.resolveSibling(stem + "-" + stamp + "-" + n + ext);
    }
    for (String suffix : SIDE_FILES) {
      Path from = Path.of(path + suffix);
      if (Files.exists(from)) {
        Files.move(from, Path.of(kept + suffix));
      }
    }
    return kept;
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
    queue.add(task);
    int n = queued.incrementAndGet();
    if (n == wakeAt) {
      // the idle writer polls every POLL_NANOS; a fast loop (a ~1 µs step) fills the queue sooner,
      // so wake it once a quarter is queued instead of letting the bound below stall the caller
      LockSupport.unpark(thread);
    }
    if (n > options.queueCapacity()) {
      // the writer is far behind: wait for it rather than hold ever more arrays in memory
      LockSupport.unpark(thread);
      while (queued.get() > options.queueCapacity() / 2 && thread.isAlive() && failure == null) {
        LockSupport.parkNanos(200_000);
      }
    }
  }

  /** Blocks until everything submitted before is committed (or the writer failed). */
  public void flush() {
    if (failure != null || closed) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    try {
      queue.add(new Flush(done));
      LockSupport.unpark(thread);
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
      queue.add(CLOSE);
      LockSupport.unpark(thread);
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the writer thread ----------------------------------------------------------------------

  private void loop() {
    try {
      int drained = 0;
      while (true) {
        Object task = queue.poll();
        if (task == null || drained == 256) {
          queued.addAndGet(-drained); // in bulk: the counter's cache line is shared with the callers
          drained = 0;
        }
        if (task == null) {
          if (pending > 0 && System.currentTimeMillis() - firstPendingAt >= options.flushMillis()) {
            commit();
          }
          LockSupport.parkNanos(POLL_NANOS);
          continue;
        }
        if (task instanceof WriteTask) {
          drained++; // flush and close markers are not counted by submit
        }
        if (task == CLOSE) {
          meta("status", "finished");
          meta("finished", Instant.now().toString());
          pending++;
          commit();
          leaveWal();
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
      OPEN.remove(key(path));
    }
  }

  /**
   * A finished run becomes one self-contained file: the log is copied into it and the database
   * switched to a rollback journal, so it is copied or shared as one file and read-only readers
   * (report, the IDE) create no {@code -wal}/{@code -shm} beside it. When a reader still has the
   * file open (the IDE watching the run) the switch is refused; the log is then checkpointed into
   * the file and emptied, and the run stays in WAL mode, complete and readable.
   */
  private void leaveWal() {
    String mode = "";
    try (var s = conn.createStatement()) {
      conn.setAutoCommit(true);
      s.execute("PRAGMA busy_timeout=200"); // never hold up the program's exit for a reader
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=DELETE")) {
        mode = rs.next() ? rs.getString(1) : "";
      }
    } catch (SQLException e) {
      // a reader holds the file: refused
    }
    if (!"delete".equalsIgnoreCase(mode)) { // at least every step into the file itself
      try (var s = conn.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException e) {
        // a reader mid-read: the log keeps the last steps, read through it as before
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
    for (FunctionState fs : dirtyChunks) { // the open chunk is rewritten until it is full
      if (fs.chunk != null) {
        writeChunk(fs.id, fs.chunk);
      }
      fs.chunkDirty = false;
    }
    dirtyChunks.clear();
    for (ScalarChunk sc : dirtyScalars) {
      writeScalarChunk(sc);
      sc.dirty = false;
    }
    dirtyScalars.clear();
    for (Bucket b : dirtyBuckets) {
      insRollup.setInt(1, b.functionId);
      insRollup.setInt(2, b.level);
      insRollup.setLong(3, b.bucket);
      insRollup.setLong(4, b.firstStep);
      insRollup.setLong(5, b.lastStep);
      insRollup.setBytes(6, b.encode(blob));
      insRollup.addBatch();
      b.dirty = false;
    }
    dirtyBuckets.clear();
    for (Link l : dirtyLinks) {
      insLink.setInt(1, l.functionId);
      insLink.setString(2, l.inPath);
      insLink.setString(3, l.outPath);
      insLink.setLong(4, l.firstStep);
      insLink.setLong(5, l.lastStep);
      insLink.addBatch();
      l.dirty = false;
    }
    dirtyLinks.clear();
    for (PreparedStatement ps : new PreparedStatement[] {insMeta, insFunction, updFunctionSource, insGraph, insSeries, insCall,
        insScalar, insScalarChunk, insRollup, insLink, insEvent}) {
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
        insGraph.setString(10, SourceJson.leafSources(g.inSources(), g.outSources()));
        insGraph.setString(11, SourceJson.eqnSources(g.eqnSources()));
        insGraph.addBatch();
      }
      case WriteTask.FunctionSource f -> {
        updFunctionSource.setString(1, f.name());
        updFunctionSource.setString(2, SourceJson.function(f.implementation(), f.jitSite()));
        updFunctionSource.setInt(3, f.id());
        updFunctionSource.addBatch();
      }
      case WriteTask.Call c -> applyCall(c);
      case WriteTask.Scalar s -> scalar(s.name(), s.step(), s.seq(), s.array() == null ? s.value()
          : LeafStats.element(Backends.current().download(s.array().buffer()), s.array().dtype(), 0));
      case WriteTask.Event e -> event(e.seq(), e.functionId(), e.step(), e.kind(), e.path(), e.message());
      case WriteTask.Meta m -> meta(m.key(), m.value());
    }
  }

  /**
   * One value of a logged scalar: appended to the scalar's open chunk (written at the next commit,
   * or now when full), in memory. Only a value at an earlier step than the scalar's last one costs
   * a {@code scalars} row of its own (ScalarChunk). No rollups: each chunk row carries the smallest
   * and largest of its values, which is what charts of long runs read (RunStore).
   */
  private void scalar(String name, long step, long seq, double v) throws SQLException {
    FunctionState fs = function(0);
    ScalarChunk sc = scalarSeries.get(name); // by name: no key string built per value
    if (sc == null) {
      sc = new ScalarChunk(series(fs, null, "scalar", 0, name).id());
      scalarSeries.put(name, sc);
    }
    switch (sc.add(step, seq, v)) {
      case APPENDED, REPLACED -> {
        if (!sc.dirty) {
          sc.dirty = true;
          dirtyScalars.add(sc);
        }
      }
      case FULL -> {
        writeScalarChunk(sc);
        sc.restart();
        sc.add(step, seq, v);
        if (!sc.dirty) {
          sc.dirty = true;
          dirtyScalars.add(sc);
        }
      }
      case EARLIER -> {
        insScalar.setInt(1, sc.seriesId);
        insScalar.setLong(2, step);
        insScalar.setLong(3, seq);
        setDouble(insScalar, 4, Double.isNaN(v) ? null : v);
        insScalar.addBatch();
      }
    }
  }

  private void writeScalarChunk(ScalarChunk sc) throws SQLException {
    if (sc.isEmpty()) {
      return;
    }
    insScalarChunk.setInt(1, sc.seriesId);
    insScalarChunk.setLong(2, sc.firstStep());
    insScalarChunk.setLong(3, sc.lastStep());
    insScalarChunk.setInt(4, sc.size());
    double[] loHi = sc.loHi();
    setDouble(insScalarChunk, 5, Double.isNaN(loHi[0]) ? null : loHi[0]);
    setDouble(insScalarChunk, 6, Double.isNaN(loHi[1]) ? null : loHi[1]);
    insScalarChunk.setBytes(7, sc.encode());
    insScalarChunk.addBatch();
  }

  private FunctionState function(int id) {
    if (id >= functions.length) {
      functions = java.util.Arrays.copyOf(functions, Math.max(id + 1, 2 * functions.length));
    }
    FunctionState fs = functions[id];
    return fs != null ? fs : (functions[id] = new FunctionState(id));
  }

  private void applyCall(WriteTask.Call c) throws SQLException {
    FunctionState fs = function(c.functionId());
    SeriesState[] inSeries = c.inPaths().isEmpty() ? null : seriesOf(fs, c.functionId(), "in", c.inPaths());
    if (c.hasValues()) {
      blob.clear();
      IdentityHashMap<Array, Ref> recorded = fs.spare; // the previous-but-one call's map, reused
      recorded.clear();
      leaves(fs, c, inSeries, c.inPaths(), c.inputs(), recorded);
      leaves(fs, c, seriesOf(fs, c.functionId(), "out", c.outPaths()), c.outPaths(), c.outputs(), recorded);
      fs.spare = fs.recorded;
      fs.recorded = recorded;
      // the update this call made to its state, as logged scalars (UpdateNorms)
      if (updateNorms != null) {
        updateNorms.of(c, (name, v) -> scalar(name, c.step(), c.seq(), v));
      }
    }
    Chunk ch = fs.chunk;
    if (ch == null) {
      ch = fs.chunk = new Chunk(c.step(), c.seq(), fs.chunkBuffer);
    }
    ch.add(c, blob);
    if (ch.n == Schema.CHUNK_CALLS) {
      writeChunk(fs.id, ch);
      fs.chunk = null;
    } else if (!fs.chunkDirty) {
      fs.chunkDirty = true;
      dirtyChunks.add(fs);
    }
    if (c.linkFrom() != null && inSeries != null) {
      for (int i = 0; i < c.linkFrom().length; i++) {
        if (c.linkFrom()[i] >= 0) {
          link(c.functionId(), inSeries[i].id(), c.inPaths().get(i), c.prevOutPaths().get(c.linkFrom()[i]), c.step());
        }
      }
    }
    if (c.loss() != null) {
      scalar("loss", c.step(), c.seq(), LeafStats.element(Backends.current().download(c.loss().buffer()),
          c.loss().dtype(), 0));
    }
    if (c.scalarNames() != null) {
      for (int i = 0; i < c.scalarNames().length; i++) {
        scalar(c.scalarNames()[i], c.step(), c.seq(), c.scalarValues()[i]);
      }
    }
  }

  /** The series of a graph's input or output leaves (cached by the identity of the paths list). */
  private SeriesState[] seriesOf(FunctionState fs, int functionId, String role, List<String> paths) throws SQLException {
    SeriesState[] states = fs.seriesOf.get(paths); // per graph: the same list object every call
    if (states == null) {
      states = new SeriesState[paths.size()];
      for (int i = 0; i < states.length; i++) {
        states[i] = series(fs, functionId, role, i, paths.get(i));
      }
      fs.seriesOf.put(paths, states);
    }
    return states;
  }

  private void writeChunk(int functionId, Chunk ch) throws SQLException {
    insCall.setInt(1, functionId);
    insCall.setLong(2, ch.firstStep);
    insCall.setLong(3, ch.lastStep);
    insCall.setLong(4, ch.firstSeq);
    insCall.setLong(5, ch.lastSeq);
    insCall.setInt(6, ch.n);
    insCall.setBytes(7, ch.data.toArray());
    insCall.addBatch();
  }

  /** Consecutive calls of one function, packed as {@link CallCodec} describes. */
  private static final class Chunk {
    final long firstStep, firstSeq;
    long lastStep, lastSeq;
    int n;
    final LeafCodec.Out data;

    /** {@code data}: the function's chunk buffer, cleared (it keeps the size the last chunk grew it to). */
    Chunk(long firstStep, long firstSeq, LeafCodec.Out data) {
      this.firstStep = firstStep;
      this.firstSeq = firstSeq;
      this.data = data;
      data.clear();
    }

    void add(WriteTask.Call c, LeafCodec.Out leaves) {
      CallCodec.write(data, c.seq(), c.step(), c.graphId(), c.compiled(), c.startNanos(), c.wallNanos(), c.stale(),
          c.retraceReason(), c.error(), c.inputs() == null ? null : leaves);
      lastStep = c.step();
      lastSeq = c.seq();
      n++;
    }
  }

  /** Where an array's full entry was written, and its statistics. */
  private record Ref(long step, int seriesId, LeafStats stats) {}

  /**
   * Appends the leaves to the call's blob: a full entry for an array not seen in the previous
   * call, else a reference to where it was written (state threaded from the previous outputs,
   * and unchanged inputs such as the training data, cost a few bytes and no statistics).
   */
  private void leaves(FunctionState fs, WriteTask.Call c, SeriesState[] states, List<String> paths, List<Array> arrays,
      IdentityHashMap<Array, Ref> recorded) throws SQLException {
    if (arrays == null) {
      return;
    }
    for (int i = 0; i < arrays.size(); i++) {
      Array a = arrays.get(i);
      SeriesState st = states[i];
      Ref ref = recorded.get(a);
      if (ref == null) {
        ref = fs.recorded.get(a);
      }
      if (ref != null) {
        LeafCodec.writeRef(blob, st.id(), ref.step(), ref.seriesId());
      } else {
        LeafStats stats;
        try {
          stats = LeafStats.of(a.dtype(), a.shape(), Backends.current().download(a.buffer()), options.maxValues());
        } catch (RuntimeException e) {
          continue; // not concrete (cannot happen at top level); nothing to summarise
        }
        LeafCodec.writeFull(blob, st.id(), stats);
        ref = new Ref(c.step(), st.id(), stats);
        firstNonFinite(c, st, paths.get(i), stats);
      }
      recorded.put(a, ref);
      roll(fs, c.step(), st.id(), ref.stats());
    }
  }

  private void firstNonFinite(WriteTask.Call c, SeriesState st, String path, LeafStats s) throws SQLException {
    if (s.nan() > 0 && nanSeen.add(st.key())) {
      found(c, EventKind.FIRST_NAN, path,
          path + " has " + s.nan() + " NaN value(s) of " + s.size() + " at step " + c.step() + " (first NaN in this leaf)");
    }
    if (s.inf() > 0 && infSeen.add(st.key())) {
      found(c, EventKind.FIRST_INF, path,
          path + " has " + s.inf() + " infinite value(s) of " + s.size() + " at step " + c.step() + " (first Inf in this leaf)");
    }
  }

  /** An event found here: written, and told to the listener (which must not break the writer). */
  private void found(WriteTask.Call c, String kind, String path, String message) throws SQLException {
    event(c.seq(), c.functionId(), c.step(), kind, path, message);
    EventListener l = eventListener;
    if (l != null) {
      try {
        l.event(kind, c.functionId(), c.step(), message);
      } catch (RuntimeException e) {
        eventListener = null; // a broken listener is dropped; the run is still recorded
      }
    }
  }

  private SeriesState series(FunctionState fs, Integer functionId, String role, int position, String path)
      throws SQLException {
    String key = role + "/" + path;
    SeriesState st = fs.series.get(key);
    if (st == null) {
      st = new SeriesState(nextSeriesId++, functionId + "/" + key);
      fs.series.put(key, st);
      insSeries.setInt(1, st.id());
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

  private void roll(FunctionState fs, long step, int seriesId, LeafStats s) {
    for (int l = 0; l < Schema.ROLLUP_LEVELS.length; l++) {
      bucket(fs, l, step).acc(step, seriesId).add(s);
    }
  }

  /** The open bucket of rollup level {@code l} that holds {@code step}, marked to be rewritten. */
  private Bucket bucket(FunctionState fs, int l, long step) {
    int level = Schema.ROLLUP_LEVELS[l];
    long bucket = Math.floorDiv(step, level);
    Bucket b = fs.buckets[l];
    if (b == null || b.bucket != bucket) {
      b = new Bucket(fs.id, level, bucket);
      fs.buckets[l] = b;
    }
    if (!b.dirty) {
      b.dirty = true;
      dirtyBuckets.add(b);
    }
    return b;
  }

  private void link(int functionId, int inSeries, String inPath, String outPath, long step) {
    if (inSeries >= openLinks.length) {
      openLinks = java.util.Arrays.copyOf(openLinks, Math.max(inSeries + 1, 2 * openLinks.length));
    }
    Link l = openLinks[inSeries];
    if (l != null && l.lastStep == step - 1 && (l.outPath == outPath || l.outPath.equals(outPath))) {
      l.lastStep = step;
    } else {
      l = new Link(functionId, inPath, outPath, step);
      openLinks[inSeries] = l;
    }
    if (!l.dirty) {
      l.dirty = true;
      dirtyLinks.add(l);
    }
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

  /** Writer-side state of one function (id 0: the logged scalars). */
  private static final class FunctionState {
    final int id;
    final Map<String, SeriesState> series = new HashMap<>();
    final Bucket[] buckets = new Bucket[Schema.ROLLUP_LEVELS.length];
    Chunk chunk;
    /** The bytes of {@code chunk}, reused by the next one (a chunk of MLP calls grows to ~100 KB). */
    final LeafCodec.Out chunkBuffer = new LeafCodec.Out();
    /** In {@code dirtyChunks}. */
    boolean chunkDirty;
    /** Series of a graph's input or output paths, by the identity of the paths list. */
    final Map<List<String>, SeriesState[]> seriesOf = new IdentityHashMap<>();
    /** Arrays written by the previous call with values, by identity. */
    IdentityHashMap<Array, Ref> recorded = new IdentityHashMap<>();
    /** The map before that, cleared and reused for the next call. */
    IdentityHashMap<Array, Ref> spare = new IdentityHashMap<>();

    FunctionState(int id) {
      this.id = id;
    }
  }

  private record SeriesState(int id, String key) {}

  /** A run of consecutive steps over which input inPath was output outPath of the step before. */
  private static final class Link {
    final int functionId;
    final String inPath;
    final String outPath;
    final long firstStep;
    long lastStep;
    /** In {@code dirtyLinks}. */
    boolean dirty;

    Link(int functionId, String inPath, String outPath, long step) {
      this.functionId = functionId;
      this.inPath = inPath;
      this.outPath = outPath;
      this.firstStep = step;
      this.lastStep = step;
    }
  }

  /** One rollup row in the making: per series, min/max of each statistic over the bucket's steps. */
  private static final class Bucket {
    final int functionId;
    final int level;
    final long bucket;
    long firstStep = Long.MAX_VALUE, lastStep = Long.MIN_VALUE;
    /** Per series id (ids are dense, from 1): an array, not a map, as every leaf and scalar of every step lands here. */
    private Acc[] bySeries = new Acc[16];
    /** Series ids in the order first added (the order entries are encoded in). */
    private int[] order = new int[16];
    private int count;
    /** In {@code dirtyBuckets} (cheaper to test than a set insertion per leaf). */
    boolean dirty;

    Bucket(int functionId, int level, long bucket) {
      this.functionId = functionId;
      this.level = level;
      this.bucket = bucket;
    }

    /** The accumulator of {@code seriesId}, the bucket's steps extended by {@code step}. */
    Acc acc(long step, int seriesId) {
      firstStep = Math.min(firstStep, step);
      lastStep = Math.max(lastStep, step);
      if (seriesId >= bySeries.length) {
        bySeries = java.util.Arrays.copyOf(bySeries, Math.max(seriesId + 1, 2 * bySeries.length));
      }
      Acc a = bySeries[seriesId];
      if (a == null) {
        a = bySeries[seriesId] = new Acc();
        if (count == order.length) {
          order = java.util.Arrays.copyOf(order, 2 * count);
        }
        order[count++] = seriesId;
      }
      return a;
    }

    byte[] encode(LeafCodec.Out out) {
      out.clear();
      for (int k = 0; k < count; k++) {
        Acc a = bySeries[order[k]];
        LeafCodec.writeRoll(out, order[k], a.n, a.loHi, a.nan, a.inf);
      }
      return out.toArray();
    }
  }

  private static final class Acc {
    long n, nan, inf;
    final double[] loHi = new double[10];

    Acc() {
      java.util.Arrays.fill(loHi, Double.NaN);
    }

    void add(LeafStats s) {
      n++;
      nan += s.nan();
      inf += s.inf();
      put(0, s.min());
      put(2, s.max());
      put(4, s.mean());
      put(6, s.std());
      put(8, s.norm());
    }

    private void put(int i, Double v) {
      if (v != null) {
        put(i, v.doubleValue());
      }
    }

    private void put(int i, double v) {
      if (Double.isNaN(loHi[i]) || v < loHi[i]) {
        loHi[i] = v;
      }
      if (Double.isNaN(loHi[i + 1]) || v > loHi[i + 1]) {
        loHi[i + 1] = v;
      }
    }
  }
}
