package dev.statelens.lint.rules.keys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;

/**
 * SL010: the same PRNG {@code Key} drawn from twice — JAX's "never reuse a key". Unlike the other
 * rules it looks at every method and lambda body of a file, transformed or not (reuse is wrong in
 * eager code too), so it is a syntactic pass over one file rather than a
 * {@link dev.statelens.lint.rules.RuleCheck} over a transform call's effects; the {@code Linter}
 * runs it on each analyzed file. This class is the rule's whole public face; how it works is in
 * {@code package-info.java}.
 *
 * <p>By names, one file at a time: a local or parameter declared as the engine's {@code Key} (or
 * {@code var k = Random.key/foldIn(...)}) passed as the key of two consuming calls on one path
 * with no assignment between, or consumed in a loop body (Java loops, and lambdas given to
 * {@code Lax.forI/scan/whileLoop}) that does not reassign it. Consuming calls: {@code Random.*}
 * samplers and {@code split}, {@code Nn.dropout}, {@code initializer.init}, and the file's own
 * methods and constructors that consume a {@code Key} parameter (a per-file summary,
 * {@link Summaries}). A copy ({@code Key k2 = key}) is the same key: draws are recorded per value
 * ({@link State}), not per name. A loop body is followed twice, the second time from the state
 * the first left, as the next iteration starts; a lambda that runs once per element (a stream
 * operation's, {@code forEach}) and draws from a captured key is reported like a loop. {@code
 * foldIn} derives a key and is not a use. The two arms of an if/else or {@code ?:} are separate
 * paths. Keys kept in records, pairs, lists and arrays made in the body, a {@code Key} field of
 * the class within one method ({@link FieldKeys}), and calls into the project's other files
 * ({@link OtherFiles}, chains of files too) are followed. Whatever it cannot follow (overloads it
 * cannot tell apart, untyped lambda parameters, lambdas that may run once, a field that code it
 * cannot see may assign) is not reported.
 */
public final class KeyReuseRule {

  /**
   * A reuse: where (the second consuming call) and the message; for quick fixes, the key's name
   * and what it reuses: the earlier consuming call on the path (null for a loop report), or the
   * loop (a loop statement, or the {@code Lax.forI/scan/whileLoop} call) whose iterations reuse it.
   */
  public record Reuse(ASTNode at, String message, String key, ASTNode earlier, ASTNode loop,
      boolean acrossFiles) {
    Reuse(ASTNode at, String message, String key, ASTNode earlier, ASTNode loop) {
      this(at, message, key, earlier, loop, false);
    }
  }

  /**
   * A method (or constructor: {@code name} "new") of a type, as other files of the project see
   * it for SL010: its parameter types as written (simple names), and the {@code Key} parameters
   * it draws from by index, with the draw ({@code "Random.normal(...) at Model.java:17"}).
   * Found within its own file, through that file's methods and through the other files'
   * exports it was given (so a chain of files names its last draw, in whichever file).
   */
  public record Exported(String name, List<String> parameterTypes, boolean varargs,
      Map<Integer, String> drawn) {}

  /**
   * The project's types of one simple name, as SL010 follows calls into other files: qualified
   * name ({@code demo.Model}) -> what its file exports for it ({@link #findAndExport}), or {@link #AMBIGUOUS} when
   * several files declare that qualified name; null when no analyzed file declares the simple
   * name. The caller picks the one its imports and package make that name mean.
   */
  @FunctionalInterface
  public interface Project {
    Object type(String simpleName);

    Object AMBIGUOUS = "ambiguous";
    Project NONE = name -> null;
  }

  /** A file's reuses and what it offers other files ({@link #findAndExport}). */
  public record FileResult(List<Reuse> reuses, Map<String, List<Exported>> exports) {}

  private KeyReuseRule() {}

  /** The reuses in one file, in source order, following calls within the file only. */
  public static List<Reuse> find(CompilationUnit cu) {
    return FileAnalysis.run(cu, "", Project.NONE, new HashMap<>(), false).reuses();
  }

  /**
   * The reuses in one file, also through calls to methods and constructors of the project's
   * other files that draw from a {@code Key} parameter ({@code Model.noise(key, x)},
   * {@code model.dropout(key, x)} for a variable declared {@code Model}, {@code new Layer(key)});
   * and what this file offers the other files' analysis: for each type it declares (by its
   * package and simple name, {@code demo.Model}; a nested type too), its methods and constructors
   * with their drawn {@code Key} parameters (only names that some overload draws through are
   * listed; every declared type is, so a name two files declare is known to be ambiguous). The
   * exports depend on this file's text alone. {@code consulted} receives each type name looked up
   * in {@code project} and what it gave: the reuses stay right while those lookups give the same.
   * One summary of the file's methods serves both.
   */
  public static FileResult findAndExport(CompilationUnit cu, String fileName, Project project,
      Map<String, Object> consulted) {
    return FileAnalysis.run(cu, fileName, project, consulted, true);
  }
}
