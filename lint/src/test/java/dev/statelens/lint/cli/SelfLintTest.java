package dev.statelens.lint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The linter over the project's own engine (main and tests) as the CLI runs it: no unsuppressed
 * finding. Every deliberate one — a test counting traces, leaking a tracer, drawing twice from one
 * key to compare — carries {@code @SuppressWarnings("statelens:SLxxx")} and its reason; a new
 * finding is a bug to fix or a deliberate one to mark. About 30 s of CPU (640 files, 107k lines),
 * so it runs on request: {@code -Dlint.self=true} (docs/lint.md, "The project's own code").
 */
class SelfLintTest {

  private static final Path ENGINE = Path.of("../engine/src");

  @Test
  void theEnginesOwnCodeHasNoUnsuppressedFinding() {
    assumeTrue(Boolean.getBoolean("lint.self"), "runs with -Dlint.self=true (about 30 s of CPU)");
    assumeTrue(Files.isDirectory(ENGINE.resolve("main")), "engine/ is not beside lint/");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"lint", ENGINE.resolve("main").toString(), ENGINE.resolve("test").toString()},
        new PrintWriter(out), new PrintWriter(err));
    String findings = out.toString().lines().filter(l -> l.contains(": warning: [SL") || l.contains(": error: [SL")
        || l.contains(": info: [SL")).reduce("", (a, b) -> a + b + "\n");
    assertEquals("", findings, "fix it, or suppress it with the reason (docs/lint.md, suppression)");
    assertEquals(Main.CLEAN, code, err.toString());
    assertTrue(out.toString().contains("0 findings in "), out.toString().lines().reduce((a, b) -> b).orElse(""));
  }
}
