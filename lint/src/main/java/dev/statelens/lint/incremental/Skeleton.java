package dev.statelens.lint.incremental;

import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;

/**
 * A file's skeleton: its tokens outside method and constructor bodies ({@link Members}), braces
 * of the bodies kept. Two versions with equal skeletons declare the same things (imports, types,
 * fields and their initializers, signatures); only bodies differ, in any number. JDT resolves a
 * body from declarations alone, so other files' code resolves as before.
 */
public final class Skeleton {

  private Skeleton() {}

  /** The skeleton's tokens, each followed by a line break; null where the scanner rejects the text. */
  public static String of(String text) {
    Tokens tokens = Tokens.scan(text);
    if (tokens == null) {
      return null;
    }
    Members members = Members.of(JavaParsing.parseSyntax(new SourceFile(Path.of("Skeleton.java"), text)));
    StringBuilder out = new StringBuilder(text.length() / 2);
    int m = 0;
    for (int i = 0; i < tokens.size(); i++) {
      int start = tokens.start(i);
      while (m < members.size() && members.get(m).bodyEnd() <= start) {
        m++;
      }
      if (m < members.size() && start > members.get(m).bodyStart()
          && start < members.get(m).bodyEnd() - 1) {
        continue; // inside a body
      }
      out.append(text, start, tokens.end(i)).append('\n');
    }
    return out.toString();
  }
}
