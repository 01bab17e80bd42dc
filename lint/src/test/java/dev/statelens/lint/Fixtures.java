package dev.statelens.lint;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the test resources under {@code fixtures/}. */
final class Fixtures {

  private Fixtures() {}

  static Path dir() {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path file(String name) {
    return dir().resolve(name);
  }

  /** {@code 12:5 SL001 message [call chain...]}, one line per finding, then notices. */
  static String golden(LintResult result) {
    StringBuilder out = new StringBuilder();
    for (Finding f : result.findings()) {
      out.append(f.range().line()).append(':').append(f.range().column()).append(' ')
          .append(f.rule().id()).append(' ').append(f.messageWithChain()).append('\n');
    }
    for (Notice n : result.notices()) {
      out.append("notice ").append(n.line()).append(": ").append(n.message()).append('\n');
    }
    return out.toString();
  }
}
