import dev.statelens.engine.record.store.*;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Supplier;

/**
 * Times, one by one, the run-store reads the State Flow view makes when it opens a run (summary,
 * the last step, the graph, the charts at 511 px), in the view's order, on one connection as the
 * view's Jobs share one; rounds after the first show what a second open in the same JVM costs.
 * With a third argument the first-use costs (SQLite's native library, the JSON reader) are paid
 * first, as the view's warm-up Job does. docs/benchmarks.md, "Opening a 1M-step run (session 16, ide9)".
 *
 * <pre>java -cp ENGINE_CLASSES:SQLITE_JDBC:SLF4J_API:JACKSON(databind,core,annotations) \
 *     bench/probes/RunOpenProbe.java RUN.db ROUNDS [warm]</pre>
 */
public class RunOpenProbe {
  static double W, C;
  static <T> T t(String what, Supplier<T> s) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c = mx.getCurrentThreadCpuTime(), w = System.nanoTime();
    T r = s.get();
    W += (System.nanoTime() - w) / 1e6; C += (mx.getCurrentThreadCpuTime() - c) / 1e6;
    System.out.printf("%-40s %8.1f ms wall %8.1f ms cpu%n", what, (System.nanoTime() - w) / 1e6, (mx.getCurrentThreadCpuTime() - c) / 1e6);
    return r;
  }
  public static void main(String[] a) {
    if (a.length > 2) {
      t("warm-up (sqlite :memory:, json)", () -> {
        try (var c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite::memory:");
            var rs = c.createStatement().executeQuery("SELECT 1")) {
          rs.next();
        } catch (java.sql.SQLException e) { throw new RuntimeException(e); }
        return Json.parseStringList("[\"a\"]");
      });
      System.out.printf("TOTAL warm-up: %.0f ms wall %.0f ms cpu%n", W, C); W = C = 0;
    }
    for (int round = 0; round < Integer.parseInt(a[1]); round++) {
      System.out.println("round " + round);
      RunStore st = t("open", () -> RunStore.open(Path.of(a[0])));
      t("isFinished", st::isFinished);
      t("meta", st::meta);
      var fns = t("functions", st::functions);
      t("threading", st::functionsThreadingState);
      t("events", st::events);
      var scal = t("scalars", st::scalars);
      t("callCount", st::callCount);
      String fn = fns.get(0).name();
      long last = fns.get(0).lastStep();
      t("calls(last)", () -> st.calls(fn, last, last));
      var leaves = t("state(last)", () -> st.state(fn, last));
      t("calls(last-1)", () -> st.calls(fn, last - 1, last - 1));
      t("diff(last-1,last)", () -> st.diff(fn, last - 1, last));
      t("links", () -> st.links(fn));
      t("events again", st::events);
      t("recordEvery", st::recordEvery);
      t("calls(last+1)", () -> st.calls(fn, last + 1, last + 1));
      t("graphs", () -> st.graphs(fn));
      for (SeriesInfo s : scal) t("scalar series " + s.path(), () -> st.series(s, Stat.MEAN, 511, Long.MIN_VALUE, Long.MAX_VALUE));
      var ser = t("series(fn)", () -> st.series(fn));
      for (SeriesInfo s : ser) if (s.role().equals("out")) t("leaf series " + s.path(), () -> st.series(s, Stat.NORM, 511, Long.MIN_VALUE, Long.MAX_VALUE));
      st.close();
      System.out.printf("TOTAL round %d: %.0f ms wall %.0f ms cpu%n", round, W, C); W = C = 0;
    }
  }
}
