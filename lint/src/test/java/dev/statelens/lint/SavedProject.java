package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's files as saved on disk, for the incremental-lint tests: save texts, read them all
 * back, and check a kept {@link Linter}'s result against a fresh lint of the same texts.
 */
final class SavedProject {
  private final Map<Path, String> disk = new LinkedHashMap<>();
  private final LintConfig config;

  SavedProject(LintConfig config) {
    this.config = config;
  }

  /** Writes {@code text} to {@code file}; returns its normalized absolute path. */
  Path save(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Path p = file.toAbsolutePath().normalize();
    disk.put(p, text);
    return p;
  }

  /** The text last saved to {@code file} (a path {@link #save} returned). */
  String text(Path file) {
    return disk.get(file);
  }

  /** Every saved file, read back from disk, in the order first saved. */
  List<SourceFile> onDisk() throws IOException {
    List<SourceFile> out = new ArrayList<>();
    for (Path p : disk.keySet()) {
      out.add(SourceFile.read(p));
    }
    return out;
  }

  /** {@code kept} reports what a fresh lint of the saved files reports. */
  void assertMatchesFreshLint(LintResult kept, String what) throws IOException {
    assertMatchesFreshLint(kept, null, null, what);
  }

  /** {@code kept} reports what a fresh lint reports of the saved files, {@code buffer} as {@code text}. */
  void assertMatchesFreshLint(LintResult kept, Path buffer, String text, String what) throws IOException {
    List<SourceFile> files = new ArrayList<>();
    for (SourceFile f : onDisk()) {
      files.add(f.path().equals(buffer) ? new SourceFile(buffer, text) : f);
    }
    LintResult fresh = new Linter(config).lint(files);
    assertEquals(fresh.findings(), kept.findings(), what);
    assertEquals(fresh.notices(), kept.notices(), what);
    assertEquals(fresh.suppressed(), kept.suppressed(), what);
    assertEquals(fresh.linesAnalyzed(), kept.linesAnalyzed(), what);
  }
}
