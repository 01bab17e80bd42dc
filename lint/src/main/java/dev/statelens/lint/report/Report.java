package dev.statelens.lint.report;

import dev.statelens.lint.LintResult;
import java.io.IOException;
import java.nio.file.Path;

/** A way to write a {@link LintResult}: text like javac, JSON, SARIF 2.1.0. */
public interface Report {

  /**
   * Writes the result.
   *
   * @param baseDir paths under this folder are written relative to it (SARIF: the
   *     {@code %SRCROOT%} of the repository being scanned)
   */
  void write(LintResult result, Path baseDir, Appendable out) throws IOException;

  /** The report for a {@code --format} value. */
  static Report forFormat(Format format) {
    return switch (format) {
      case TEXT -> new TextReport();
      case JSON -> new JsonReport();
      case SARIF -> new SarifReport();
    };
  }

  /** The formats the CLI accepts. */
  enum Format { TEXT, JSON, SARIF }

  /** A path relative to {@code baseDir} when it lies under it, with forward slashes. */
  static String relative(Path file, Path baseDir) {
    if (file == null) {
      return "";
    }
    Path abs = file.toAbsolutePath().normalize();
    Path base = baseDir.toAbsolutePath().normalize();
    Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
    return shown.toString().replace('\\', '/');
  }
}
