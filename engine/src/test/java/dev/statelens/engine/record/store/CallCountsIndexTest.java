package dev.statelens.engine.record.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.CloseLeftoverRecorder;
import dev.statelens.engine.record.ScalarRunProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a run reads each function's call count and last step ({@link RunStore#functions()},
 * {@link RunStore#callCount()}) from the covering index {@link Schema#CALL_COUNTS_INDEX}: without
 * it SQLite read the page of every {@code calls} row (a 1M-step run: ~8,000 pages for the
 * functions and ~4,000 again for the count, docs/benchmarks.md "Opening a 1M-step run"). The
 * numbers read from the index are those of the rows, and a run written before the index reads the same.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class CallCountsIndexTest {
  @TempDir Path dir;

  @Test
  void functionsAndCallCountReadTheCoveringIndexNotTheCallRows() throws Exception {
    Path db = dir.resolve("run.db");
    ScalarRunProgram.record(db, 300, 60);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath())) {
      List<String> plan = plan(c, RunStore.FUNCTIONS_SQL.formatted("f.source") + "; " + RunStore.CALL_COUNT_SQL);
      List<String> callsSteps = plan.stream().filter(l -> l.matches(".*(SEARCH|SCAN) c(alls)?\\b.*")).toList();
      assertEquals(3, callsSteps.size(), "two subqueries of functions() and the count read calls: " + plan);
      for (String step : callsSteps) {
        assertTrue(step.contains("COVERING INDEX " + Schema.CALL_COUNTS_INDEX), "reads calls rows: " + step + " in " + plan);
      }
    }
  }

  @Test
  void countsFromTheIndexAreTheRowsCountsAndARunWithoutTheIndexReadsTheSame() throws Exception {
    Path db = dir.resolve("run.db");
    ScalarRunProgram.record(db, 300, 60);
    Map<String, long[]> rows = new TreeMap<>(); // function -> {sum(n), max(last_step)} from the rows themselves
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        var rs = c.createStatement().executeQuery("SELECT f.name, sum(c.n), max(c.last_step) FROM calls c NOT INDEXED "
            + "JOIN functions f ON f.id = c.function_id GROUP BY f.name")) {
      while (rs.next()) {
        rows.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
    }
    assertEquals(Map.of("fit", 300L, "adam", 60L), Map.of("fit", rows.get("fit")[0], "adam", rows.get("adam")[0]),
        "the program's calls");
    Map<String, long[]> indexed = counts(db);
    Path old = dir.resolve("before-the-index.db");
    Files.copy(db, old);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.toAbsolutePath())) {
      c.createStatement().execute("DROP INDEX " + Schema.CALL_COUNTS_INDEX);
      assertFalse(plan(c, RunStore.CALL_COUNT_SQL).toString().contains(Schema.CALL_COUNTS_INDEX));
    }
    Map<String, long[]> unindexed = counts(old);
    for (String fn : rows.keySet()) {
      assertEquals(List.of(rows.get(fn)[0], rows.get(fn)[1]), List.of(indexed.get(fn)[0], indexed.get(fn)[1]), fn);
      assertEquals(List.of(rows.get(fn)[0], rows.get(fn)[1]), List.of(unindexed.get(fn)[0], unindexed.get(fn)[1]),
          fn + " in a run written before the index");
    }
    try (RunStore a = RunStore.open(db); RunStore b = RunStore.open(old)) {
      assertEquals(360, a.callCount());
      assertEquals(360, b.callCount());
    }
  }

  private static Map<String, long[]> counts(Path db) {
    Map<String, long[]> out = new TreeMap<>();
    try (RunStore st = RunStore.open(db)) {
      for (FunctionInfo f : st.functions()) {
        out.put(f.name(), new long[] {f.calls(), f.lastStep()});
      }
    }
    return out;
  }

  private static List<String> plan(Connection c, String sqls) throws SQLException {
    List<String> out = new ArrayList<>();
    for (String sql : sqls.split("; ")) {
      try (var rs = c.createStatement().executeQuery("EXPLAIN QUERY PLAN " + sql)) {
        while (rs.next()) {
          out.add(rs.getString(4));
        }
      }
    }
    return out;
  }
}
