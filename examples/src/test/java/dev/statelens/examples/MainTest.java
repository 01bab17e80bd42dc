package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @Test
  void noExampleNamedIsAUsageError() {
    Console c = Console.run();
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("counter, linreg, mlp, classify, cnn, gnn, fno, transformer, stale, diverge or stateful"), c.err());
  }

  @Test
  void unknownExampleIsAUsageError() {
    Console c = Console.run("lenet");
    assertEquals(2, c.exitCode());
    assertEquals(List.of("statelens example: unknown example 'lenet': use counter, linreg, mlp, classify, cnn, gnn, fno, transformer, "
            + "stale, diverge or stateful (did you mean stale?)", "Run './statelens example --help' for the options."),
        c.err().lines().toList());
  }

  @Test
  void aUsageErrorIsOneLineAndWhereTheOptionsAreNotTheWholeHelp() {
    Console c = Console.run("linreg", "--bogus");
    assertEquals(2, c.exitCode());
    assertEquals(List.of("statelens example linreg: Unknown option: '--bogus'",
        "Run './statelens example linreg --help' for the options."), c.err().lines().toList());
  }

  @Test
  void anUnusableOutputPathFailsBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "kept");
    Console out = Console.run("linreg", "--steps", "3", "--out", file.toString());
    assertEquals(2, out.exitCode());
    assertTrue(out.err().startsWith("statelens example linreg: --out " + file + ": it is a file, not a folder. "
        + "Choose a folder you can write"), out.err());
    assertEquals("", out.out(), "nothing trained");
    assertEquals("kept", Files.readString(file));
    Console under = Console.run("linreg", "--steps", "3", "--out", file.resolve("charts").toString());
    assertEquals(2, under.exitCode());
    assertTrue(under.err().startsWith("statelens example linreg: --out " + file.resolve("charts") + ": it cannot be created"),
        under.err());

    Console png = Console.run("mlp", "--steps", "3", "--png", dir.toString());
    assertEquals(2, png.exitCode());
    assertTrue(png.err().startsWith("statelens example mlp: --png " + dir + " is a folder; give the chart's file, e.g. "
        + dir.resolve("mlp-loss.png")), png.err());

    Console ckpt = Console.run("classify", "--steps", "3", "--checkpoint", file.toString());
    assertEquals(2, ckpt.exitCode());
    assertTrue(ckpt.err().contains("--checkpoint " + file + ": it is a file, not a folder"), ckpt.err());
    assertEquals("", ckpt.out());
  }

  @Test
  void fileErrorsSayWhichFileAndWhy() {
    assertEquals("cannot write /x/a.png: its folder does not exist or cannot be created",
        Main.describe(new NoSuchFileException("/x/a.png")));
    assertEquals("cannot write /x/a.png: permission denied", Main.describe(new AccessDeniedException("/x/a.png")));
    assertEquals("IllegalStateException: boom", Main.describe(new IllegalStateException("boom")));
  }

  @Test
  void nonPositiveStepsAreRejected() {
    Console c = Console.run("linreg", "--steps", "0");
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("--steps must be a positive number"), c.err());
  }

  @Test
  void aUsageErrorCreatesNoRunFile(@TempDir Path dir) {
    Path db = dir.resolve("run.db");
    Console c = Console.run("mlp", "--every", "-1", "--record", db.toString());
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("--every must be a positive number"), c.err());
    assertFalse(Files.exists(db));
  }

  @Test
  void aRecordFileThatIsNotARunIsOneSentenceAndKept(@TempDir Path dir) throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.db"), "my notes");
    Console c = Console.run("linreg", "--steps", "3", "--out", dir.toString(), "--record", notes.toString());
    assertEquals(1, c.exitCode());
    assertEquals(List.of("statelens example linreg: cannot create the run store " + notes + ": the file exists and is "
        + "not a StateLens run store, so it is not overwritten. Choose a writable path (e.g. runs/train.db)."),
        c.err().lines().toList(), "one line: no exception class, no SQLite report (StateLens found the problem)");
    assertEquals("my notes", Files.readString(notes));
  }

  @Test
  void aRunFileProblemIsItsSentenceWithoutSqlitesReport() {
    var e = new RunStoreException("cannot create the run store /x/r.db. Choose a writable path (e.g. runs/train.db).",
        new SQLException("[SQLITE_CANTOPEN] Unable to open the database file (unable to open database file)"));
    assertEquals("cannot create the run store /x/r.db. Choose a writable path (e.g. runs/train.db).", Main.describe(e));
  }

  @Test
  void versionAnswersOnEveryCommand() {
    for (String[] args : new String[][] {{"--version"}, {"linreg", "-V"}, {"counter", "--version"}}) {
      Console c = Console.run(args);
      assertEquals(0, c.exitCode(), c.err());
      assertEquals("statelens 0.1.0", c.out().strip(), String.join(" ", args));
    }
  }

  static final List<String> EXAMPLES =
      List.of("counter", "linreg", "mlp", "classify", "cnn", "gnn", "fno", "transformer", "stale", "diverge", "stateful");

  /**
   * "example help" (picocli's help command), --help and -h list every example on one line each
   * ("help" answered "unknown example 'help' (did you mean mlp?)"; the list wrapped each
   * description over up to six lines).
   */
  @Test
  void helpListsTheExamplesOneLineEach() {
    for (String[] args : new String[][] {{"help"}, {"--help"}, {"-h"}}) {
      Console c = Console.run(args);
      assertEquals(0, c.exitCode(), c.err());
      List<String> lines = c.out().lines().toList();
      List<String> commands = lines.subList(lines.indexOf("Commands:") + 1, lines.indexOf(""));
      List<String> names = commands.stream().map(l -> l.strip().split(" ")[0]).toList();
      List<String> expected = new ArrayList<>(EXAMPLES);
      expected.add("help");
      assertEquals(expected, names, "one line per example, no wrapped continuation lines:\n" + c.out());
      assertTrue(commands.stream().allMatch(l -> l.matches("  [a-z]+ +[A-Za-z].*") && l.length() <= 80), c.out());
      assertTrue(c.out().contains("transformer  A tiny character-level GPT"), c.out());
      assertTrue(c.out().endsWith("Run './statelens example NAME --help' (or 'help NAME') for an example's options."
          + System.lineSeparator()), c.out());
    }
  }

  @Test
  void helpWithANameShowsThatExamplesOptions() {
    Console c = Console.run("help", "transformer");
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(c.out().startsWith("Usage: statelens example transformer") && c.out().contains("--prompt=TEXT"), c.out());
    Console unknown = Console.run("help", "lenet");
    assertEquals(2, unknown.exitCode());
    assertEquals("statelens example: unknown example 'lenet': use " + String.join(", ", EXAMPLES.subList(0, EXAMPLES.size() - 1))
        + " or stateful", unknown.err().lines().findFirst().orElseThrow(), unknown.err());
  }

  /** --out is offered by the examples that write a chart, and only by them. */
  @Test
  void onlyTheChartExamplesOfferOut() {
    for (String name : EXAMPLES) {
      Console c = Console.run(name, "--help");
      assertEquals(0, c.exitCode(), c.err());
      boolean charts = name.equals("linreg") || name.equals("mlp");
      assertEquals(charts, c.out().contains("--out=DIR"), name + ":\n" + c.out());
      assertEquals(charts, c.out().contains("--png=PATH"), name + ":\n" + c.out());
      assertTrue(c.out().contains("--record=RUN.db"), name + ":\n" + c.out());
    }
  }

  @Test
  void outOnAnExampleWithoutAChartSaysWhichExamplesTakeIt(@TempDir Path dir) {
    for (String[] args : new String[][] {{"counter", "--out", dir.toString()}, {"classify", "--out=" + dir}}) {
      Console c = Console.run(args);
      assertEquals(2, c.exitCode());
      assertEquals(List.of("statelens example " + args[0] + ": " + args[0] + " writes no chart, so it takes no --out "
          + "(linreg and mlp do)", "Run './statelens example " + args[0] + " --help' for the options."), c.err().lines().toList());
      assertEquals("", c.out(), "nothing ran");
    }
  }

  /**
   * STATELENS_BACKEND=cuda without a driver fails in one line, the engine's sentence, without the
   * exception's class name in front (a RunStoreException reads the same way).
   */
  @Test
  void aMissingBackendIsItsSentence() {
    String why = "backend 'cuda' is not available: libcuda.so.1 not found (no NVIDIA driver installed; or set "
        + "-Dstatelens.cuda.lib=/path/to/libcuda.so.1). STATELENS_BACKEND=cuda asks for it; to run anyway, set "
        + "STATELENS_BACKEND=auto (falls back to cpu) or cpu";
    assertEquals(why, Main.describe(new dev.statelens.engine.backend.BackendUnavailableException(why)));
    assertEquals("IllegalStateException: boom", Main.describe(new IllegalStateException("boom")), "others keep their type");
  }

  /** Numbers read as N in every example's usage line (picocli's default label was {@code <steps>}). */
  @Test
  void numericOptionsAreLabelledN() {
    for (String name : new String[] {"linreg", "mlp", "classify", "cnn", "gnn", "fno", "transformer", "stale", "diverge"}) {
      Console c = Console.run(name, "--help");
      assertEquals(0, c.exitCode(), c.err());
      assertTrue(c.out().contains("--steps=N"), name + ":\n" + c.out());
      assertTrue(!c.out().contains("=<"), name + ":\n" + c.out());
    }
  }

  @Test
  void formatKeepsNumbersShortAndExact() {
    assertEquals("1", Format.number(1.0));
    assertEquals("-1.03314", Format.number(-1.0331419));
    assertEquals("5.59764e-05", Format.number(5.59764e-05));
    assertEquals("1.2e+20", Format.number(1.2e20));
    assertEquals("NaN", Format.number(Double.NaN));
  }
}
