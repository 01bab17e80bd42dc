package dev.statelens.lint;

import java.nio.file.Path;

/**
 * Something the analyzer could not fully analyze (a syntax error, a function it cannot see,
 * unresolved types). Notices are not findings: they do not change the exit code.
 *
 * @param file the file concerned, or null for the whole run
 * @param line 1-based line, or 0 when not about one line
 * @param message what was skipped and why
 */
public record Notice(Path file, int line, String message) {}
