package dev.statelens.test.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A newcomer's walk written down for a person to read: numbered screenshots ({@code 01-wizard.png},
 * …) and {@code walk.txt}, what each step showed and said. The walks (NewcomerWalkTest,
 * LintWalkTest) are opt-in: {@code STATELENS_WALK=<folder>} under
 * {@code xvfb-run -s "-screen 0 1600x1000x24"}.
 */
public final class Walk {
  private final Path folder;
  private final int width;
  private final int height;
  private final StringBuilder notes = new StringBuilder();
  private int shot;

  /** A walk into {@code folder}, each screenshot the screen's top-left {@code width × height}. */
  public Walk(Path folder, int width, int height) throws IOException {
    this.folder = Files.createDirectories(folder);
    this.width = width;
    this.height = height;
  }

  /** The folder {@code STATELENS_WALK} names, or null when no walk was asked for. */
  public static Path requested() {
    String folder = System.getenv("STATELENS_WALK");
    return folder == null || folder.isBlank() ? null : Path.of(folder);
  }

  public Path folder() {
    return folder;
  }

  /** The next numbered screenshot, {@code NN-what.png}, noted in walk.txt; the UI settles first. */
  public Path capture(String what) throws IOException, InterruptedException {
    return capture(what, width, height);
  }

  /** As {@link #capture(String)}, the screen's top-left {@code width × height} (a smaller window's walk). */
  public Path capture(String what, int width, int height) throws IOException, InterruptedException {
    WorkbenchUi.settle(300);
    Path png = Screen.capture(folder.resolve(String.format("%02d-%s.png", ++shot, what)), width, height);
    note("[" + shot + "] " + what);
    return png;
  }

  /** A line of walk.txt, written at once: a step that fails leaves what came before. */
  public void note(String line) {
    notes.append(line).append('\n');
    try {
      Files.writeString(folder.resolve("walk.txt"), notes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} with each line prefixed {@code "    | "}, for code in walk.txt. */
  public static String indent(String text) {
    return text.lines().map(l -> "    | " + l).reduce("", (a, b) -> a + b + "\n");
  }
}
