package dev.statelens.test.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Screenshots of the (Xvfb) screen with ImageMagick's {@code import -window root}. */
public final class Screen {
  private Screen() {}

  /** The whole screen as {@code png} (its folder created). */
  public static Path capture(Path png) throws IOException, InterruptedException {
    return run(png, "import", "-window", "root", png.toString());
  }

  /** The screen's top-left {@code width × height} as {@code png} (its folder created). */
  public static Path capture(Path png, int width, int height) throws IOException, InterruptedException {
    return run(png, "import", "-window", "root", "-crop", width + "x" + height + "+0+0", "+repage", png.toString());
  }

  private static Path run(Path png, String... command) throws IOException, InterruptedException {
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("ImageMagick's import exited with " + exit + " for " + png
          + ": install imagemagick and run under xvfb-run");
    }
    if (Files.size(png) <= 10_000) {
      throw new IllegalStateException(png + " is too small to be a screenshot (" + Files.size(png) + " bytes)");
    }
    return png;
  }
}
