package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Info notices go to stderr by default and to stdout when the IDE's launch asks for it. */
class NoticesTest {
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(out);
    System.setErr(err);
    System.clearProperty("statelens.info");
  }

  @Test
  void infoGoesToStderrByDefaultSoStdoutStaysTheProgramsOwn() {
    Notices.info("recording to runs/a.db");
    assertEquals("", capturedOut.toString(StandardCharsets.UTF_8));
    assertEquals("statelens: recording to runs/a.db", capturedErr.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void infoGoesToStdoutWhenTheLaunchAsksForIt() {
    System.setProperty("statelens.info", "stdout");
    Notices.info("recording to runs/a.db");
    assertEquals("statelens: recording to runs/a.db", capturedOut.toString(StandardCharsets.UTF_8).strip());
    assertEquals("", capturedErr.toString(StandardCharsets.UTF_8));
  }
}
