package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @Test
  void noExampleNamedIsAUsageError() {
    Console c = Console.run();
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("counter, linreg, mlp, classify, cnn, stale, diverge or stateful"), c.err());
  }

  @Test
  void unknownExampleIsAUsageError() {
    Console c = Console.run("lenet");
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("lenet"), c.err());
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
  void helpListsTheExamples() {
    Console c = Console.run("--help");
    assertEquals(0, c.exitCode());
    for (String name : new String[] {"counter", "linreg", "mlp", "stale", "diverge", "stateful"}) {
      assertTrue(c.out().contains(name), c.out());
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
