package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.EqnSource;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.SourceInfo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code graphs.eqn_sources}: each equation's source line, written and read back; runs without the column. */
@ExtendWith(CloseLeftoverRecorder.class)
class EqnSourcesRecordTest {
  @TempDir Path dir;

  private static int line() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
  }

  private static int lossLine;

  private static Array loss(Array w, Array x) {
    Array l = w.mul(x).sub(1f).square().mean(); lossLine = line();
    return l;
  }

  private record Recorded(Path db, JitFunction step, int updateLine) {}

  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  private Recorded recordTrainingSteps() throws Exception {
    int[] updateLine = new int[1];
    BiFunction<Array, Array, Array> grad = Transforms.grad(EqnSourcesRecordTest::loss);
    BiFunction<Array, Array, Array> step = Transforms.jit("train", (Array w, Array x) -> {
      Array next = w.sub(grad.apply(w, x).mul(0.1f)); updateLine[0] = line();
      return next;
    });
    Path db = dir.resolve("train.db");
    try (Recorder r = Recorder.open(db)) {
      Array w = Array.of(1f, 2f, 3f);
      for (int i = 0; i < 3; i++) {
        w = step.apply(w, Array.of(0.5f, 1f, 2f));
      }
    }
    return new Recorded(db, Transforms.jitInfo(step), updateLine[0]);
  }

  @Test
  void eachEquationsSourceLineRoundTripsThroughTheRunStore() throws Exception {
    Recorded rec = recordTrainingSteps();
    List<SourceInfo> traced = rec.step().graphs().getFirst().jaxpr().sources();
    try (RunStore run = RunStore.open(rec.db())) {
      assertTrue(run.hasEqnSources());
      GraphInfo g = run.graphs("train").getFirst();
      List<EqnSource> read = g.eqnSources();
      assertEquals(traced.size(), read.size());
      assertEquals(rec.step().graphs().getFirst().jaxpr().eqns().size(), read.size());
      for (int i = 0; i < read.size(); i++) {
        SourceInfo t = traced.get(i);
        EqnSource r = read.get(i);
        assertNotNull(r, "equation " + i);
        assertEquals(t.site().className(), r.at().className());
        assertEquals(t.site().methodName(), r.at().member());
        assertEquals(t.site().fileName(), r.at().fileName());
        assertEquals(t.site().line(), r.at().line());
        assertEquals(t.backward(), r.backward());
      }
      // the loss's line forward and backward, and the update's line: what the Traced graph groups by
      assertEquals(Set.of(lossLine, rec.updateLine()), read.stream().map(e -> e.at().line()).collect(
          java.util.stream.Collectors.toSet()));
      assertTrue(read.stream().anyMatch(e -> e.at().line() == lossLine && e.backward()));
      assertTrue(read.stream().anyMatch(e -> e.at().line() == lossLine && !e.backward()));
      assertTrue(read.stream().noneMatch(e -> e.at().line() == rec.updateLine() && e.backward()));
      assertEquals("EqnSourcesRecordTest.java", read.getFirst().at().fileName());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rec.db());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT eqn_sources FROM graphs")) {
      assertTrue(rs.next());
      String json = rs.getString(1);
      // the methods are written once, each equation as [site, line] or [site, line, 1] (backward)
      assertTrue(json.startsWith("{\"sites\":[{\"class\":\"" + EqnSourcesRecordTest.class.getName()), json);
      assertTrue(json.contains("[0," + lossLine + ",1]") || json.contains("[1," + lossLine + ",1]"), json);
    }
  }

  @Test
  void aRunRecordedBeforeTheColumnStillOpensWithoutEquationSources() throws Exception {
    Recorded rec = recordTrainingSteps();
    Path old = dir.resolve("before-eqn-sources.db");
    Files.copy(rec.db(), old);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE graphs DROP COLUMN eqn_sources"); // a version 3 file written before the column
    }
    try (RunStore run = RunStore.open(old); RunStore now = RunStore.open(rec.db())) {
      assertFalse(run.hasEqnSources());
      GraphInfo g = run.graphs("train").getFirst();
      assertTrue(g.eqnSources().isEmpty());
      assertEquals(now.graphs("train").getFirst().irText(), g.irText());
    }
    Path v2 = dir.resolve("scalars-v2.db"); // a version 2 run recorded by an older StateLens
    try (InputStream in = EqnSourcesRecordTest.class.getResourceAsStream("scalars-v2.db")) {
      Files.copy(in, v2);
    }
    try (RunStore run = RunStore.open(v2)) {
      assertFalse(run.hasEqnSources());
      String f = run.functions().getFirst().name();
      assertFalse(run.graphs(f).isEmpty());
      assertTrue(run.graphs(f).stream().allMatch(g -> g.eqnSources().isEmpty()));
    }
  }

  @Test
  void threadingFunctionsAreFoundWithoutReadingTheirLinks() throws Exception {
    Recorded rec = recordTrainingSteps();
    try (RunStore run = RunStore.open(rec.db())) {
      assertEquals(Set.of("train"), run.functionsThreadingState());
      assertFalse(run.links("train").isEmpty());
    }
    Path one = dir.resolve("once.db");
    try (Recorder r = Recorder.open(one)) {
      Transforms.jit("once", (Array x) -> x.add(1f)).apply(Array.of(1f));
    }
    try (RunStore run = RunStore.open(one)) {
      assertEquals(Set.of(), run.functionsThreadingState());
    }
  }
}
