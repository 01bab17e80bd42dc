package dev.statelens.engine.record.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The run store's SQLite schema (documented table by table in {@code docs/run-store.md}). Bump
 * {@link #VERSION} on any incompatible change; readers refuse files with a newer version.
 */
public final class Schema {
  /**
   * Schema version written to {@code meta.schema_version} and {@code PRAGMA user_version}. 2 added
   * source positions ({@code functions.source}, {@code graphs.leaf_sources}); 3 packs logged
   * scalars into {@code scalar_chunks}. Version 1 and 2 files are still read (without sources,
   * scalars from {@code scalars} rows).
   */
  public static final int VERSION = 3;

  /** The first version with {@code functions.source} and {@code graphs.leaf_sources}. */
  public static final int SOURCES_SINCE = 2;

  /**
   * The first version whose logged scalars are packed in {@code scalar_chunks}; before, each value
   * was a {@code scalars} row (since version 3 that table holds only values logged at a step below
   * one already packed: a second function's steps, see docs/run-store.md).
   */
  public static final int SCALAR_CHUNKS_SINCE = 3;

  /**
   * {@code graphs.eqn_sources} (each equation's source line) is a nullable column added without a
   * version bump: older readers never select it, so they still read new files; readers look for
   * the column ({@code RunStore}), since version 3 files written before it lack it.
   */
  public static final String EQN_SOURCES_COLUMN = "eqn_sources";

  /**
   * The covering index of {@code calls} that {@code RunStore.functions()} and {@code callCount()}
   * read, added without a version bump (older readers ignore it; runs written before it still read,
   * by the {@code calls} rows).
   */
  public static final String CALL_COUNTS_INDEX = "calls_counts";

  /** {@code PRAGMA application_id} of a run store: "SLEN". Lets readers tell a run from any SQLite file. */
  public static final int APPLICATION_ID = 0x534C454E;

  /**
   * Rollup levels: a rollup row of level L summarises steps [bucket*L, (bucket+1)*L) of one
   * function (all its leaves) or, under function id 0, of the logged scalars.
   */
  public static final int[] ROLLUP_LEVELS = {16, 256, 4096};

  /** Calls per {@code calls} row: consecutive calls of one function share a row (one insert per chunk). */
  public static final int CHUNK_CALLS = 64;

  /** Values per {@code scalar_chunks} row: one insert per this many values of a logged scalar. */
  public static final int SCALAR_CHUNK = 64;

  private Schema() {}

  static final String[] DDL = {
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)""",
    """
    CREATE TABLE functions(id INTEGER PRIMARY KEY, name TEXT NOT NULL, source TEXT)""",
    """
    CREATE TABLE graphs(id INTEGER PRIMARY KEY, function_id INTEGER NOT NULL, trace_index INTEGER NOT NULL,
      first_seq INTEGER NOT NULL, signature TEXT NOT NULL, in_paths TEXT NOT NULL, out_paths TEXT NOT NULL,
      ir_text TEXT NOT NULL, structure TEXT NOT NULL, leaf_sources TEXT, eqn_sources TEXT)""",
    """
    CREATE TABLE calls(function_id INTEGER NOT NULL, first_step INTEGER NOT NULL, last_step INTEGER NOT NULL,
      first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
      PRIMARY KEY(function_id, first_step))""",
    """
    CREATE INDEX calls_by_seq ON calls(last_seq)""",
    // each function's call count and last step read from this small index alone: without it they
    // read every calls row's page (a 1M-step run: ~8,000 pages of 381 MB, seconds from a cold disk)
    """
    CREATE INDEX %s ON calls(function_id, last_step, n)""".formatted(CALL_COUNTS_INDEX),
    """
    CREATE TABLE series(id INTEGER PRIMARY KEY, function_id INTEGER, role TEXT NOT NULL,
      position INTEGER NOT NULL, path TEXT NOT NULL)""",
    """
    CREATE TABLE scalars(series_id INTEGER NOT NULL, step INTEGER NOT NULL, seq INTEGER NOT NULL, value REAL,
      PRIMARY KEY(series_id, step)) WITHOUT ROWID""",
    """
    CREATE TABLE scalar_chunks(series_id INTEGER NOT NULL, first_step INTEGER NOT NULL, last_step INTEGER NOT NULL,
      n INTEGER NOT NULL, lo REAL, hi REAL, data BLOB NOT NULL, PRIMARY KEY(series_id, first_step))""",
    """
    CREATE INDEX scalar_chunks_by_last ON scalar_chunks(series_id, last_step, first_step)""",
    """
    CREATE INDEX scalar_chunks_summary ON scalar_chunks(series_id, first_step, last_step, lo, hi)""",
    """
    CREATE TABLE rollups(function_id INTEGER NOT NULL, level INTEGER NOT NULL, bucket INTEGER NOT NULL,
      first_step INTEGER NOT NULL, last_step INTEGER NOT NULL, stats BLOB NOT NULL,
      PRIMARY KEY(function_id, level, bucket)) WITHOUT ROWID""",
    """
    CREATE TABLE state_links(function_id INTEGER NOT NULL, in_path TEXT NOT NULL, out_path TEXT NOT NULL,
      first_step INTEGER NOT NULL, last_step INTEGER NOT NULL,
      PRIMARY KEY(function_id, in_path, first_step)) WITHOUT ROWID""",
    """
    CREATE TABLE events(id INTEGER PRIMARY KEY, seq INTEGER, function_id INTEGER, step INTEGER,
      kind TEXT NOT NULL, path TEXT, message TEXT NOT NULL)""",
    """
    CREATE INDEX events_by_seq ON events(seq)""",
  };

  /** Creates the tables in an empty database and stamps the version. */
  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA application_id=" + APPLICATION_ID);
      s.execute("PRAGMA user_version=" + VERSION);
      for (String ddl : DDL) {
        s.execute(ddl);
      }
    }
  }
}
