package dev.statelens.lint.source;

import dev.statelens.lint.suppress.SuppressionToken;
import java.util.List;
import java.util.Set;

/**
 * What the index keeps of one file after its syntax-only parse.
 *
 * @param file the file
 * @param packageName its package ("" for the default package)
 * @param types the named types it declares (nested ones included)
 * @param hasTransformCall whether it calls something named jit/grad/valueAndGrad/vmap
 * @param referencedNames capitalized simple names it mentions (candidate type references)
 * @param fieldNamesAssignedThroughQualifier field names written as {@code expr.name = ...}
 * @param suppressions its {@code @SuppressWarnings("statelens...")} tokens
 * @param syntaxErrors one line per syntax error ("line: message")
 */
public record FileSummary(
    SourceFile file,
    String packageName,
    List<TypeSummary> types,
    boolean hasTransformCall,
    Set<String> referencedNames,
    Set<String> fieldNamesAssignedThroughQualifier,
    List<SuppressionToken> suppressions,
    List<SyntaxError> syntaxErrors) {

  /** A syntax error JDT recovered from. */
  public record SyntaxError(int line, String message) {}
}
