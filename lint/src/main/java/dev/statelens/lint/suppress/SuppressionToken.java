package dev.statelens.lint.suppress;

import dev.statelens.lint.Rule;
import dev.statelens.lint.SourceRange;
import java.nio.file.Path;
import java.util.Set;

/**
 * One {@code "statelens"} or {@code "statelens:SL001"} string inside a {@code @SuppressWarnings}.
 *
 * @param file the file it is in
 * @param literal where the string literal is (reported when it suppresses nothing)
 * @param scopeStart first offset of the annotated declaration
 * @param scopeEnd offset after the annotated declaration
 * @param token the string's value
 * @param rules the rules it suppresses (all rules for plain {@code "statelens"})
 * @param unknownId a rule id in the token that does not exist, or null
 */
public record SuppressionToken(
    Path file,
    SourceRange literal,
    int scopeStart,
    int scopeEnd,
    String token,
    Set<Rule> rules,
    String unknownId) {

  public boolean covers(Path otherFile, int offset, Rule rule) {
    return file.equals(otherFile) && offset >= scopeStart && offset < scopeEnd
        && rules.contains(rule);
  }
}
