package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CounterExampleTest {

  @Test
  void theThreeLoopsCountLikeJax() {
    CounterExample.Result r = CounterExample.run(3);
    assertEquals(List.of(1.0, 2.0, 3.0), r.eager());
    assertEquals(List.of(1.0, 1.0, 1.0), r.jittedStateful());
    assertEquals(List.of(1.0, 2.0, 3.0), r.jittedExplicit());
  }

  @Test
  void commandPrintsOneNumberPerLineOnStandardOutput() {
    Console c = Console.run("counter");
    assertEquals(0, c.exitCode(), c.err());
    assertEquals(List.of("1", "2", "3", "1", "1", "1", "1", "2", "3"), c.outLines());
    assertEquals(3, c.err().lines().filter(l -> l.startsWith("# ")).count(), c.err());
  }
}
