package dev.statelens.lint.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Java source file and its text.
 *
 * @param path absolute, normalized path (the file's identity in findings)
 * @param content the text as analyzed (may be an editor buffer newer than the file on disk)
 */
public record SourceFile(Path path, String content) {

  public SourceFile {
    path = path.toAbsolutePath().normalize();
  }

  /** Reads a file as UTF-8, falling back to ISO-8859-1 for legacy encodings rather than failing. */
  public static SourceFile read(Path path) {
    try {
      try {
        return new SourceFile(path, Files.readString(path, StandardCharsets.UTF_8));
      } catch (MalformedInputException notUtf8) {
        return new SourceFile(path, Files.readString(path, StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Number of lines (a final line without a newline counts). */
  public int lineCount() {
    int lines = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        lines++;
      }
    }
    return content.isEmpty() || content.endsWith("\n") ? lines : lines + 1;
  }
}
