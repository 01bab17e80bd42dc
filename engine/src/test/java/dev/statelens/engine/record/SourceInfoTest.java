package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.SourceRef;
import dev.statelens.engine.trace.CodeSite;
import dev.statelens.engine.trace.JitFunction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The source facts the recorder stores for "Go to Source" (schema version 2), and reading version 1. */
@ExtendWith(CloseLeftoverRecorder.class)
class SourceInfoTest {
  @TempDir Path dir;

  record Params(Array weight, Array bias) {}

  record Adam(Params mu, Params nu, Array count) {}

  record State(Params params, Adam optState, List<Array> extras) {}

  /** Line of the step method's first array operation, noted while it is traced. */
  private static volatile int firstOpLine;

  private static int nextLine() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
  }

  static State step(State s, Array x) {
    firstOpLine = nextLine();
    Array g = s.params().weight().mul(x).sum();
    Params p = new Params(s.params().weight().sub(g.mul(0.1)), s.params().bias().sub(g.mul(0.1)));
    Adam a = new Adam(s.optState().mu(), s.optState().nu(), s.optState().count().add(1));
    return new State(p, a, List.of(s.extras().getFirst().add(1)));
  }

  static State init() {
    Params p = new Params(Array.of(1f, 2f), Array.scalar(0));
    Params z = new Params(Array.of(0f, 0f), Array.scalar(0));
    return new State(p, new Adam(z, z, Array.scalar(0)), List.of(Array.scalar(5)));
  }

  private Path recordSteps(String name, BiFunction<State, Array, State> jitted, int steps) {
    Path db = dir.resolve(name + ".db");
    try (Recorder r = Recorder.open(db)) {
      State s = init();
      for (int i = 0; i < steps; i++) {
        s = jitted.apply(s, Array.of(1f, 1f));
      }
    }
    return db;
  }

  @Test
  void methodReferenceRecordsItsMethodLineAndJitSite() {
    int jitLine = nextLine();
    BiFunction<State, Array, State> jitted = Transforms.jit(SourceInfoTest::step);
    Path db = recordSteps("mref", jitted, 3);
    try (RunStore run = RunStore.open(db)) {
      assertEquals(dev.statelens.engine.record.store.Schema.VERSION, run.schemaVersion());
      assertTrue(run.hasSources());
      FunctionInfo f = run.functions().getFirst();
      assertEquals("step", f.name());
      SourceRef impl = f.source().orElseThrow();
      assertEquals(SourceInfoTest.class.getName(), impl.className());
      assertEquals("step", impl.member());
      assertEquals("SourceInfoTest.java", impl.fileName());
      assertEquals(firstOpLine, impl.line(), "the line of step's first array operation");
      assertFalse(impl.isLambda());
      SourceRef site = f.jitSite().orElseThrow();
      assertEquals(SourceInfoTest.class.getName(), site.className());
      assertEquals("methodReferenceRecordsItsMethodLineAndJitSite", site.member());
      assertEquals(jitLine, site.line(), "the line of the Transforms.jit call");
    }
  }

  @Test
  void leavesPointToTheInnermostRecordComponent() {
    Path db = recordSteps("leaves", Transforms.jit(SourceInfoTest::step), 2);
    String params = SourceInfoTest.class.getName() + "$Params";
    String adam = SourceInfoTest.class.getName() + "$Adam";
    String state = SourceInfoTest.class.getName() + "$State";
    try (RunStore run = RunStore.open(db)) {
      assertEquals(new SourceRef(params, "weight", null, -1), run.leafSource("step", "in", "state.params.weight").orElseThrow());
      assertEquals(new SourceRef(params, "bias", null, -1), run.leafSource("step", "in", "state.optState.nu.bias").orElseThrow());
      assertEquals(new SourceRef(adam, "count", null, -1), run.leafSource("step", "in", "state.optState.count").orElseThrow());
      // a leaf inside a List component points to that component
      assertEquals(new SourceRef(state, "extras", null, -1), run.leafSource("step", "in", "state.extras[0]").orElseThrow());
      // a plain array argument has no record around it
      assertEquals(Optional.empty(), run.leafSource("step", "in", "arg1"));
      // outputs: the record result's components
      assertEquals(new SourceRef(params, "weight", null, -1), run.leafSource("step", "out", "params.weight").orElseThrow());
      assertEquals(new SourceRef(adam, "count", null, -1), run.leafSource("step", "out", "optState.count").orElseThrow());
      assertEquals(Optional.empty(), run.leafSource("step", "out", "no.such.leaf"));
      assertEquals(Optional.empty(), run.leafSource("step", "scalar", "loss"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> run.leafSource("step", "input", "arg1"));
      assertTrue(e.getMessage().contains("\"in\" or \"out\""), e.getMessage());
    }
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void namedLambdaRecordsItsLambdaBody() {
    int[] bodyLine = new int[1];
    Function<Array, Array> jitted = Transforms.jit("double", (Array x) -> {
      bodyLine[0] = nextLine();
      return x.mul(2);
    });
    Path db = dir.resolve("lambda.db");
    try (Recorder r = Recorder.open(db)) {
      jitted.apply(Array.of(1f, 2f));
      jitted.apply(Array.of(3f, 4f));
    }
    try (RunStore run = RunStore.open(db)) {
      FunctionInfo f = run.functions().getFirst();
      assertEquals("double", f.name());
      SourceRef impl = f.source().orElseThrow();
      assertTrue(impl.isLambda(), impl.member());
      assertTrue(impl.member().startsWith("lambda$namedLambdaRecordsItsLambdaBody$"), impl.member());
      assertEquals(bodyLine[0], impl.line());
      // a Pair or plain array result has no record component
      assertEquals(Optional.empty(), run.leafSource("double", "out", "out"));
    }
  }

  @Test
  void sitesAreCapturedAtJitCreationAndFirstTraceOnly() {
    int jitLine = nextLine();
    Function<Array, Array> jitted = Transforms.jit((Array x) -> x.add(1));
    JitFunction jf = Transforms.jitInfo(jitted);
    CodeSite site = jf.jitSite();
    assertNotNull(site);
    assertEquals(jitLine, site.line());
    assertNull(jf.implementationSite(), "not traced yet");
    jitted.apply(Array.scalar(1));
    CodeSite impl = jf.implementationSite();
    assertNotNull(impl);
    jitted.apply(Array.of(1f, 2f)); // a retrace keeps the first trace's site
    assertTrue(impl == jf.implementationSite());
    assertEquals(2, jf.graphs().size());
  }

  @Test
  void aVersionOneRunOpensWithoutSources() throws Exception {
    Path db = recordSteps("v1", Transforms.jit(SourceInfoTest::step), 3);
    downgradeToVersion1(db);
    try (RunStore run = RunStore.open(db)) {
      assertEquals(1, run.schemaVersion());
      assertFalse(run.hasSources());
      FunctionInfo f = run.functions().getFirst();
      assertEquals("step", f.name());
      assertEquals(3, f.calls());
      assertEquals(Optional.empty(), f.source());
      assertEquals(Optional.empty(), f.jitSite());
      assertEquals(Optional.empty(), run.leafSource("step", "in", "state.params.weight"));
      assertEquals(3, run.calls("step", 0, 10).size());
      assertFalse(run.state("step", 2).isEmpty());
      assertEquals(1, run.graphs("step").size());
    }
  }

  /** Rewrites a run store as version 1 wrote it: no source columns, version 1 stamped. */
  private static void downgradeToVersion1(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE functions DROP COLUMN source");
      s.execute("ALTER TABLE graphs DROP COLUMN leaf_sources");
      s.execute("DROP TABLE scalar_chunks"); // version 3's packed scalars
      s.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
      s.execute("PRAGMA user_version=1");
    }
  }
}
