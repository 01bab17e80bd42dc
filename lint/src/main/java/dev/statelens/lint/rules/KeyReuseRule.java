package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.Units;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BreakStatement;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.CatchClause;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.ContinueStatement;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.IfStatement;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.Initializer;
import org.eclipse.jdt.core.dom.LabeledStatement;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParameterizedType;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.SwitchStatement;
import org.eclipse.jdt.core.dom.SynchronizedStatement;
import org.eclipse.jdt.core.dom.ThrowStatement;
import org.eclipse.jdt.core.dom.TryStatement;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;
import org.eclipse.jdt.core.dom.YieldStatement;

/**
 * SL010: the same PRNG {@code Key} drawn from twice — JAX's "never reuse a key". Unlike the other
 * rules it looks at every method and lambda body of a file, transformed or not (reuse is wrong in
 * eager code too), so it is a syntactic pass over one file rather than a {@link RuleCheck} over a
 * transform call's effects; the {@code Linter} runs it on each analyzed file.
 *
 * <p>By names, one file at a time: a local or parameter declared as the engine's {@code Key} (or
 * {@code var k = Random.key/foldIn(...)}) passed as the key of two consuming calls on one path
 * with no assignment between, or consumed in a loop body (Java loops, and lambdas given to
 * {@code Lax.forI/scan/whileLoop}) that does not reassign it. Consuming calls: {@code Random.*}
 * samplers and {@code split}, {@code Nn.dropout}, {@code initializer.init}, and the file's own
 * methods and constructors that consume a {@code Key} parameter (a per-file summary,
 * {@link #summarize}). A copy ({@code Key k2 = key}) is the same key: draws are recorded per value
 * ({@link State}), not per name. A loop body is followed twice, the second time from the state
 * the first left, as the next iteration starts; a lambda that runs once per element (a stream
 * operation's, {@code forEach}) and draws from a captured key is reported like a loop. {@code
 * foldIn} derives a key and is not a use. The two arms of an if/else or {@code ?:} are separate
 * paths. Whatever it cannot follow (fields, keys stored in arrays or records, keys passed to
 * methods of other files or to overloads it cannot tell apart, untyped lambda parameters, lambdas
 * that may run once) is not reported.
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
   * Found within its own file (draws through that file's methods; not through further files).
   */
  public record Exported(String name, List<String> parameterTypes, boolean varargs,
      Map<Integer, String> drawn) {}

  /** What a file exports for a type name it declares more than once (nested types). */
  private static final Exported SEVERAL = new Exported("", List.of(), false, Map.of());

  /**
   * The project's types of one simple name, as SL010 follows calls into other files: qualified
   * name ({@code demo.Model}) -> what its file {@link #exports} for it, or {@link #AMBIGUOUS} when
   * several files declare that qualified name; null when no analyzed file declares the simple
   * name. The caller picks the one its imports and package make that name mean.
   */
  @FunctionalInterface
  public interface Project {
    Object type(String simpleName);

    Object AMBIGUOUS = "ambiguous";
    Project NONE = name -> null;
  }

  private static final String ENGINE = "dev.statelens.engine";
  /** {@code Random} functions that take a key without drawing from it. */
  private static final Set<String> NOT_CONSUMING = Set.of("foldIn", "key");
  /** {@code Init} factories whose initializers do not draw from the key. */
  private static final Set<String> CONSTANT_INITIALIZERS = Set.of("zeros", "ones", "constant");
  private static final Set<String> LAX_LOOPS = Set.of("forI", "scan", "whileLoop");
  /**
   * Stream operations whose lambda runs once per element, when called on a stream
   * ({@link #isStream}); {@code forEach} on any object (a collection's, a map's) too.
   */
  private static final Set<String> PER_ELEMENT = Set.of("map", "mapToObj", "mapToInt",
      "mapToLong", "mapToDouble", "flatMap", "mapMulti", "filter", "peek", "forEach",
      "forEachOrdered", "anyMatch", "allMatch", "noneMatch", "takeWhile", "dropWhile", "reduce");
  /** Operations that return a stream again: a chain of them on a stream is a stream. */
  private static final Set<String> STREAM_STEPS = Set.of("map", "mapToObj", "mapToInt",
      "mapToLong", "mapToDouble", "flatMap", "mapMulti", "filter", "peek", "limit", "skip",
      "distinct", "sorted", "boxed", "parallel", "sequential", "unordered", "takeWhile",
      "dropWhile", "asLongStream", "asDoubleStream");
  private static final Set<String> STREAM_TYPES = Set.of("Stream", "IntStream", "LongStream",
      "DoubleStream");
  /** Loops nested deeper than this are followed once: each level doubles the passes below it. */
  private static final int TWO_PASS_DEPTH = 6;

  private KeyReuseRule() {}

  /** The reuses in one file, in source order, following calls within the file only. */
  public static List<Reuse> find(CompilationUnit cu) {
    return find(cu, Project.NONE, new HashMap<>());
  }

  /**
   * The reuses in one file, also through calls to methods and constructors of the project's
   * other files that draw from a {@code Key} parameter ({@code Model.noise(key, x)},
   * {@code model.dropout(key, x)} for a variable declared {@code Model}, {@code new Layer(key)}).
   * {@code consulted} receives each type name looked up in {@code project} and what it gave:
   * the findings stay right while those lookups give the same.
   */
  public static List<Reuse> find(CompilationUnit cu, Project project,
      Map<String, Object> consulted) {
    return run(cu, "", project, consulted, false).reuses();
  }

  /** A file's reuses ({@link #find}) and what it offers other files ({@link #exports}). */
  public record FileResult(List<Reuse> reuses, Map<String, List<Exported>> exports) {}

  /** {@link #find} and {@link #exports} of one file, from one summary of its methods. */
  public static FileResult findAndExport(CompilationUnit cu, String fileName, Project project,
      Map<String, Object> consulted) {
    return run(cu, fileName, project, consulted, true);
  }

  private static FileResult run(CompilationUnit cu, String fileName, Project project,
      Map<String, Object> consulted, boolean export) {
    Imports imports = Imports.of(cu);
    if (!imports.key) {
      // the engine's Key is not imported (a fully qualified Key alone is not followed)
      return new FileResult(List.of(), export ? exports(cu, (FileScope) null) : Map.of());
    }
    FileScope file = new FileScope(cu, imports, SameFileMethods.of(cu));
    file.fileName = fileName;
    file.project = name -> {
      Object type = project.type(name);
      consulted.put(name, type);
      return type;
    };
    summarize(file);
    List<Reuse> found = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodDeclaration m) {
        if (m.getBody() != null) {
          new Body(file, found, null).run(m.parameters(), m.getBody());
        }
        return true; // lambdas and local classes inside are bodies of their own
      }

      @Override
      public boolean visit(LambdaExpression l) {
        new Body(file, found, null).run(l.parameters(), l.getBody());
        return true;
      }

      @Override
      public boolean visit(Initializer i) {
        new Body(file, found, null).run(List.of(), i.getBody());
        return true;
      }
    });
    // a loop body is followed twice (and nested loops more often): one report per call
    Map<ASTNode, Reuse> once = new IdentityHashMap<>();
    List<Reuse> reuses = new ArrayList<>();
    for (Reuse r : found) {
      if (once.putIfAbsent(r.at(), r) == null) {
        reuses.add(r);
      }
    }
    reuses.sort(java.util.Comparator.comparingInt(r -> r.at().getStartPosition()));
    return new FileResult(reuses, export ? exports(cu, file) : Map.of());
  }

  /**
   * What this file offers other files' SL010 analysis: for each type it declares (by its
   * package and simple name, {@code demo.Model}; a nested type too), its methods and constructors with their drawn {@code Key} parameters (only names that
   * some overload draws through are listed; every declared type is, so a name two files declare
   * is known to be ambiguous). Depends on this file's text alone.
   */
  public static Map<String, List<Exported>> exports(CompilationUnit cu, String fileName) {
    Imports imports = Imports.of(cu);
    FileScope file = null;
    if (imports.key) {
      file = new FileScope(cu, imports, SameFileMethods.of(cu));
      file.fileName = fileName;
      summarize(file);
    }
    return exports(cu, file);
  }

  /** The exports of {@code cu}, from its summarized scope (null: the file has no Key). */
  private static Map<String, List<Exported>> exports(CompilationUnit cu, FileScope scope) {
    Map<String, List<Exported>> out = new java.util.TreeMap<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(AnonymousClassDeclaration node) {
        return false;
      }

      @Override
      public boolean visit(TypeDeclarationStatement node) {
        return false; // local types are not seen from other files
      }

      @Override
      public void preVisit(ASTNode node) {
        if (node instanceof org.eclipse.jdt.core.dom.AbstractTypeDeclaration type) {
          List<Exported> methods = scope == null ? List.of() : exported(scope, type);
          String pkg = cu.getPackage() == null ? ""
              : cu.getPackage().getName().getFullyQualifiedName() + ".";
          out.merge(pkg + type.getName().getIdentifier(), methods, (a, b) -> List.of(SEVERAL));
        }
      }
    });
    return out;
  }

  private static List<Exported> exported(FileScope file, ASTNode type) {
    Map<String, List<MethodDeclaration>> byName = new LinkedHashMap<>();
    for (Object o : ((org.eclipse.jdt.core.dom.AbstractTypeDeclaration) type).bodyDeclarations()) {
      if (o instanceof MethodDeclaration m) {
        byName.computeIfAbsent(m.isConstructor() ? "new" : m.getName().getIdentifier(),
            k -> new ArrayList<>()).add(m);
      }
    }
    List<Exported> out = new ArrayList<>();
    byName.forEach((name, overloads) -> {
      if (overloads.stream().noneMatch(m -> !file.drawing.getOrDefault(m, Map.of()).isEmpty())) {
        return; // nothing drawn through this name
      }
      for (MethodDeclaration m : overloads) {
        List<String> types = new ArrayList<>();
        for (Object p : m.parameters()) {
          types.add(typeName(((SingleVariableDeclaration) p).getType()));
        }
        Map<Integer, String> drawn = new java.util.TreeMap<>();
        file.drawing.getOrDefault(m, Map.of()).forEach((index, draw) -> drawn.put(index,
            Snippets.call(draw) + " at " + file.fileName + ":"
                + file.cu.getLineNumber(draw.getStartPosition())));
        out.add(new Exported(name, types, m.isVarargs(), drawn));
      }
    });
    return out;
  }

  /** A parameter type as {@link SameFileMethods.ArgumentTypes} compares it: simple, no type arguments. */
  private static String typeName(Type type) {
    if (type.isArrayType()) {
      return "[]";
    }
    if (type instanceof ParameterizedType p) {
      type = p.getType();
    }
    if (type instanceof org.eclipse.jdt.core.dom.SimpleType simple) {
      Name n = simple.getName();
      return n instanceof QualifiedName q ? q.getName().getIdentifier() : n.getFullyQualifiedName();
    }
    if (type instanceof org.eclipse.jdt.core.dom.QualifiedType q) {
      return q.getName().getIdentifier();
    }
    return type.toString();
  }

  /**
   * Which {@code Key} parameters each method of the file consumes, by parameter index, with the
   * draw that consumes it ({@code Random.normal(k, ...)}, also when reached through other methods
   * of the file). A parameter is consumed when, on some path, it is drawn from while it still
   * holds the caller's key (not after {@code k = Random.foldIn(k, i)}), or a lambda in the method
   * draws from it. Repeated until nothing changes, so chains and recursion settle: the sets only
   * grow, and each round that changes one adds a parameter.
   */
  private static void summarize(FileScope file) {
    Map<MethodDeclaration, Map<Integer, ASTNode>> drawing = file.drawing;
    Map<MethodDeclaration, Map<String, Integer>> withKeys = new LinkedHashMap<>();
    int keyParameters = 0;
    for (MethodDeclaration m : file.methods.all()) {
      Map<String, Integer> keys = keyParameters(m, file.imports);
      if (m.getBody() != null && !keys.isEmpty()) {
        withKeys.put(m, keys);
        keyParameters += keys.size();
      }
    }
    for (int round = 0; round <= keyParameters; round++) {
      boolean changed = false;
      for (var entry : withKeys.entrySet()) {
        MethodDeclaration m = entry.getKey();
        if (drawing.getOrDefault(m, Map.of()).size() == entry.getValue().size()) {
          continue; // every Key parameter already drawn from: nothing can be added
        }
        Map<String, ASTNode> drawn = new LinkedHashMap<>();
        new Body(file, new ArrayList<>(), drawn).run(m.parameters(), m.getBody());
        Map<Integer, ASTNode> byIndex = new LinkedHashMap<>();
        entry.getValue().forEach((name, index) -> {
          if (drawn.containsKey(name)) {
            byIndex.put(index, drawn.get(name));
          }
        });
        if (!byIndex.keySet().equals(drawing.getOrDefault(m, Map.of()).keySet())) {
          drawing.put(m, byIndex);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
  }

  /** A method's {@code Key} parameters by name -> index (not a varargs {@code Key...}). */
  private static Map<String, Integer> keyParameters(MethodDeclaration m, Imports imports) {
    Map<String, Integer> keys = new LinkedHashMap<>();
    List<?> parameters = m.parameters();
    for (int i = 0; i < parameters.size(); i++) {
      SingleVariableDeclaration p = (SingleVariableDeclaration) parameters.get(i);
      if (!p.isVarargs() && isKeyType(p.getType(), imports)) {
        keys.put(p.getName().getIdentifier(), i);
      }
    }
    return keys;
  }

  private static boolean isKeyType(Type type, Imports imports) {
    String name = type.toString();
    return (name.equals("Key") && imports.key) || name.equals(ENGINE + ".Key");
  }

  /**
   * One file's facts shared by its bodies: its names, its methods and their summaries, and what
   * each loop assigns and each body declares (asked again in every summary round and pass).
   */
  private static final class FileScope {
    final CompilationUnit cu;
    final Imports imports;
    final SameFileMethods methods;
    /** Method or constructor -> index of each Key parameter it draws from -> the draw. */
    final Map<MethodDeclaration, Map<Integer, ASTNode>> drawing = new IdentityHashMap<>();
    final Map<ASTNode, Set<String>> assignedInLoop = new IdentityHashMap<>();
    final Map<ASTNode, Set<String>> declaredKeys = new IdentityHashMap<>();
    final Map<ASTNode, Map<String, Container>> declaredContainers = new IdentityHashMap<>();
    /** Method -> the index of the Key parameter it returns unchanged on every return. */
    final Map<MethodDeclaration, Integer> returnsParameter = new IdentityHashMap<>();
    /** The other files' types (and the record of what was asked). */
    Project project = Project.NONE;
    /** The file's name as messages print it, when the AST does not know it. */
    String fileName = "another file";
    /** Type declaration -> its fields' declared types (simple names), for {@code model.m(key)}. */
    final Map<ASTNode, Map<String, String>> fieldTypes = new IdentityHashMap<>();

    FileScope(CompilationUnit cu, Imports imports, SameFileMethods methods) {
      this.cu = cu;
      this.imports = imports;
      this.methods = methods;
      for (MethodDeclaration m : methods.all()) {
        Integer index = returnedParameter(m, imports);
        if (index != null) {
          returnsParameter.put(m, index);
        }
      }
    }
  }

  /**
   * {@code Key keep(Key k) { return k; }}: the index of the {@code Key} parameter that every
   * return statement returns as it is (never assigned in the method), else null. The caller's
   * {@code keep(key)} is then the same key, a reference copy.
   */
  private static Integer returnedParameter(MethodDeclaration m, Imports imports) {
    if (m.isConstructor() || m.getBody() == null || m.getReturnType2() == null
        || !isKeyType(m.getReturnType2(), imports)) {
      return null;
    }
    Map<String, Integer> keys = keyParameters(m, imports);
    if (keys.isEmpty()) {
      return null;
    }
    Set<String> returned = new HashSet<>();
    Set<String> assigned = new HashSet<>();
    boolean[] other = {false};
    m.getBody().accept(new OwnScope() {
      @Override
      public boolean visit(ReturnStatement r) {
        Expression e = r.getExpression();
        while (e instanceof ParenthesizedExpression || e instanceof CastExpression) {
          e = e instanceof ParenthesizedExpression pe ? pe.getExpression()
              : ((CastExpression) e).getExpression();
        }
        if (e instanceof SimpleName n && keys.containsKey(n.getIdentifier())) {
          returned.add(n.getIdentifier());
        } else {
          other[0] = true;
        }
        return true;
      }

      @Override
      public boolean visit(Assignment a) {
        if (a.getLeftHandSide() instanceof SimpleName n) {
          assigned.add(n.getIdentifier());
        }
        return true;
      }
    });
    if (other[0] || returned.size() != 1) {
      return null;
    }
    String name = returned.iterator().next();
    return assigned.contains(name) ? null : keys.get(name);
  }

  /**
   * Visits a body's own code: not its lambdas, anonymous and local classes (other scopes, whose
   * returns and locals are theirs, analyzed when they run).
   */
  private abstract static class OwnScope extends ASTVisitor {
    @Override
    public boolean visit(LambdaExpression node) {
      return false;
    }

    @Override
    public boolean visit(AnonymousClassDeclaration node) {
      return false;
    }

    @Override
    public boolean visit(TypeDeclarationStatement node) {
      return false;
    }
  }

  /** What kind of holder of keys a {@link Container} is: how its keys are read back. */
  private enum Holder {
    /** A record ({@code Pair}, or one of this file): {@code p.first()}, {@code p.key()}. */
    RECORD,
    /** An immutable list ({@code Random.split(key, n)}, {@code List.of(...)}): {@code ks.get(0)}. */
    LIST,
    /** An array no code of the body writes or hands on: {@code ks[0]}. */
    ARRAY
  }

  /**
   * A local (or, for records, a parameter) that keeps keys inside. {@code components}: a
   * record's components in order (null where an accessor is declared, so not followed);
   * {@code keyComponents}: the accessors known to give a Key (for {@code var k = p.key()}).
   * Records are immutable, so {@code p.key()} is the same key while {@code p} is not
   * reassigned, wherever {@code p} came from; a list or array only when made in the body from
   * keys ({@code Random.split(key, 3)}, {@code List.of(a, b)}, {@code new Key[] {a, b}}).
   */
  private record Container(Holder holder, List<String> components, Set<String> keyComponents,
      boolean ofKeys) {}

  /**
   * Which engine names the file sees: {@code Key}, {@code Random}, {@code Nn}, {@code Lax}, and
   * whether a bare call can be a statically imported {@code Random} member. Read from the file's
   * imports ({@link Units.Imports}): a simple name is the engine's when imported from it, or when the
   * file imports (or is in) the engine package and no other import claims the name.
   */
  private record Imports(boolean key, boolean random, boolean nn, boolean lax, boolean pair,
      Units.Imports file) {

    static Imports of(CompilationUnit cu) {
      Units.Imports file = Units.Imports.of(cu);
      boolean inEngine = file.packageName().equals(ENGINE);
      return new Imports(visible(file, inEngine, "Key"), visible(file, inEngine, "Random"),
          visible(file, inEngine, "Nn"), visible(file, inEngine, "Lax"),
          visible(file, inEngine, "Pair"), file);
    }

    private static boolean visible(Units.Imports file, boolean inEngine, String simple) {
      String imported = file.qualify(simple);
      return imported != null ? imported.equals(ENGINE + "." + simple)
          : inEngine || file.importsOnDemand(ENGINE);
    }

    /** {@code normal(key, ...)} with {@code import static dev.statelens.engine.Random.normal} (or {@code .*}). */
    boolean staticRandom(String member) {
      String random = ENGINE + ".Random";
      return random.equals(file.staticOwner(member)) || file.staticWildcardOwners().contains(random);
    }
  }

  /**
   * A consuming use of a key: the call that takes it, and the draw that consumes it — the same
   * call, or for a method or constructor of this file, the draw inside it. {@code carriedOver}:
   * the loop whose previous iteration made this use, when the current pass is that loop's second.
   * {@code via}: the variable the call was given (an alias of the key may have another name).
   */
  private record Use(ASTNode call, ASTNode draw, Statement carriedOver, String via,
      String through) {
    Use(ASTNode call, ASTNode draw, Statement carriedOver, String via) {
      this(call, draw, carriedOver, via, null);
    }
  }

  /**
   * A key as a call is given it: {@code text} as written ({@code key}, {@code ks.first()},
   * {@code p.key()}, {@code keep(key)}), {@code root} the variable whose assignment changes it,
   * {@code values} the values it may hold (see {@link State}).
   */
  private record KeyRef(String text, String root, Set<String> values) {
    /** Whether it is a plain variable (the quick fixes split and reassign only those). */
    boolean variable() {
      return text.equals(root);
    }
  }

  /** A key that {@code use} consumes. */
  private record Draw(KeyRef ref, Use use) {}

  /**
   * What a container value holds: the values of the keys it was made with, by slot (a record
   * component's name, a list or array index); a slot not listed holds a key of its own, made
   * with the container ({@code Random.split(key)}'s halves), named {@code token/slot}.
   */
  private record Contents(Map<String, Set<String>> slots) {}

  /**
   * What is known on the current path. A key variable holds a <em>value</em>, named by a token:
   * a parameter its own name (the caller's key), each assignment a new token; {@code Key k2 = key}
   * makes {@code k2} hold {@code key}'s value (a Java reference copy is the same key), and after a
   * join or {@code c ? a : b} a variable may hold several. Draws are recorded per value, so a draw
   * through one name and then another that holds the same value is a reuse.
   */
  private static final class State {
    /** Key name -> the values it may hold, in a stable order; absent: its own name's token. */
    final Map<String, Set<String>> values = new HashMap<>();
    /** Value token -> the consuming use since the value was made. */
    final Map<String, Use> used = new HashMap<>();
    /** Container value token -> what it holds; shared by every path (a token's contents never change). */
    final Map<String, Contents> contents;

    State(Map<String, Contents> contents) {
      this.contents = contents;
    }

    State copy() {
      State c = new State(contents);
      c.values.putAll(values); // the sets are never changed in place
      c.used.putAll(used);
      return c;
    }

    Set<String> valuesOf(String name) {
      return values.getOrDefault(name, Set.of(name));
    }


    /**
     * {@code name} now holds {@code now}. A value no variable holds any more forgets its draw:
     * it cannot be drawn from again on this path, and a join must not pair that draw with the
     * same value still held on another path (the value a loop's zero-iteration path keeps).
     */
    void hold(String name, Set<String> now) {
      Set<String> before = valuesOf(name);
      values.put(name, now);
      for (String value : before) {
        if (!now.contains(value) && !held(value)) {
          used.remove(value);
        }
      }
    }

    /** Whether a variable holds {@code value} (a name's own value: while it is not assigned). */
    private boolean held(String value) {
      int slot = value.indexOf('/');
      if (slot >= 0) {
        return held(value.substring(0, slot)); // a container's own key: while it is held
      }
      if (!value.contains("#") && !values.containsKey(value)) {
        return true;
      }
      for (Set<String> held : values.values()) {
        if (held.contains(value)) {
          return true;
        }
        for (String token : held) { // kept in a record, list or array a variable holds
          Contents c = contents.get(token);
          if (c != null && c.slots().values().stream().anyMatch(v -> v.contains(value))) {
            return true;
          }
        }
      }
      return false;
    }

    /** Joins another path into this one: what either may have. */
    void add(State other) {
      other.used.forEach(used::putIfAbsent);
      if (values.equals(other.values)) {
        return; // the usual case: both paths assigned the same
      }
      Set<String> names = new HashSet<>(values.keySet());
      names.addAll(other.values.keySet());
      for (String name : names) {
        Set<String> mine = valuesOf(name);
        Set<String> theirs = other.valuesOf(name);
        if (!mine.equals(theirs)) {
          Set<String> both = new LinkedHashSet<>(mine);
          both.addAll(theirs);
          values.put(name, both);
        }
      }
    }
  }

  /** One method, lambda or initializer body: its Key variables and where each was last drawn from. */
  private static final class Body {
    private final FileScope file;
    private final CompilationUnit cu;
    private final Imports imports;
    private final SameFileMethods methods;
    private final Map<MethodDeclaration, Map<Integer, ASTNode>> drawing;
    private final List<Reuse> found;
    /** Summarizing a method: its parameter -> the first draw from the caller's key; else null. */
    private final Map<String, ASTNode> drawnParameters;
    private final Set<String> parameters = new HashSet<>();
    private final Set<String> keys = new HashSet<>();
    /** Locals and parameters that keep keys inside (records, lists, arrays). */
    private final Map<String, Container> containers = new HashMap<>();
    /** Container tokens made in this body -> their contents (null: a list or array not followed). */
    private final Map<String, Contents> contents = new HashMap<>();
    private State state = new State(contents);
    /** The names each enclosing loop body assigns or declares, innermost first. */
    private final Deque<LoopScope> loops = new ArrayDeque<>();
    /** The current path ended (return, throw, break, continue). */
    private boolean ended;
    /** Numbers the values assignments make ({@code key#3}). */
    private int madeValues;

    private record LoopScope(Statement loop, Set<String> assigned) {}

    Body(FileScope file, List<Reuse> found, Map<String, ASTNode> drawnParameters) {
      this.file = file;
      this.cu = file.cu;
      this.imports = file.imports;
      this.methods = file.methods;
      this.drawing = file.drawing;
      this.found = found;
      this.drawnParameters = drawnParameters;
    }

    /** The body being followed (its parent declares the parameters). */
    private ASTNode bodyNode;

    void run(List<?> parameterList, ASTNode body) {
      bodyNode = body;
      for (Object p : parameterList) {
        if (p instanceof SingleVariableDeclaration d && isKeyType(d.getType(), imports)) {
          keys.add(d.getName().getIdentifier());
          parameters.add(d.getName().getIdentifier()); // holds its own name's value: the caller's
        }
      }
      for (Object p : parameterList) {
        if (p instanceof SingleVariableDeclaration d && !d.isVarargs()
            && recordContainer(d.getType()) instanceof Container c) {
          containers.put(d.getName().getIdentifier(), c); // a record given in: immutable
        }
      }
      containers.putAll(file.declaredContainers.computeIfAbsent(body, this::declaredContainers));
      keys.addAll(file.declaredKeys.computeIfAbsent(body, this::declaredKeys));
      if (keys.isEmpty() && containers.isEmpty()) {
        return;
      }
      if (body instanceof Statement s) {
        statement(s);
      } else if (body instanceof Expression e) {
        expression(e);
      }
    }

    // ---- which names are keys

    /** Visits the local declarations a body makes itself (see {@link OwnScope}). */
    private abstract static class OwnDeclarations extends OwnScope {
      /** One {@code Type a = …, b = …;} statement or for-loop initializer. */
      abstract void locals(Type type, List<?> fragments);

      @Override
      public boolean visit(VariableDeclarationStatement node) {
        locals(node.getType(), node.fragments());
        return true;
      }

      @Override
      public boolean visit(VariableDeclarationExpression node) {
        locals(node.getType(), node.fragments());
        return true;
      }
    }

    /** The Key locals a body declares (not in its lambdas and local classes). */
    private Set<String> declaredKeys(ASTNode body) {
      Set<String> declared = new HashSet<>();
      body.accept(new OwnDeclarations() {
        @Override
        void locals(Type type, List<?> fragments) {
          addKeys(type, fragments, declared);
        }

        @Override
        public boolean visit(SingleVariableDeclaration node) {
          if (isKeyType(node.getType(), imports)) {
            declared.add(node.getName().getIdentifier());
          }
          return true;
        }
      });
      return declared;
    }

    /**
     * The locals a body declares that keep keys inside ({@link Container}): by declared type
     * ({@code Pair<Key, Key>}, a record of this file, {@code List<Key>}, {@code Key[]}) or, for
     * {@code var}, by initializer ({@code Random.split(...)}, {@code Pair.of}, {@code new R(...)},
     * {@code List.of}, {@code new Key[] {...}}). An array is one only if every use of its name in
     * the body reads an element at a constant index ({@code ks[0]}) or its length: a write, or
     * the array handed anywhere, could change what {@code ks[0]} holds.
     */
    private Map<String, Container> declaredContainers(ASTNode body) {
      Map<String, Container> declared = new HashMap<>();
      body.accept(new OwnDeclarations() {
        @Override
        void locals(Type type, List<?> fragments) {
          for (Object o : fragments) {
            VariableDeclarationFragment f = (VariableDeclarationFragment) o;
            if (f.getExtraDimensions() > 0) {
              continue;
            }
            Container c = type.isVar() ? containerMadeBy(f.getInitializer())
                : containerOfType(type);
            if (c != null) {
              declared.put(f.getName().getIdentifier(), c);
            }
          }
        }
      });
      declared.entrySet().removeIf(e -> e.getValue().holder() == Holder.ARRAY
          && !onlyElementsRead(body, e.getKey()));
      return declared;
    }

    /** A declared type that keeps keys: a record's, {@code List<Key>}, {@code Key[]}. */
    private Container containerOfType(Type type) {
      if (type instanceof org.eclipse.jdt.core.dom.ArrayType a) {
        return a.getDimensions() == 1 && isKeyType(a.getElementType(), imports)
            ? new Container(Holder.ARRAY, List.of(), Set.of(), true) : null;
      }
      if (type instanceof ParameterizedType p && p.getType().toString().equals("List")
          && p.typeArguments().size() == 1 && isKeyType((Type) p.typeArguments().get(0), imports)) {
        return new Container(Holder.LIST, List.of(), Set.of(), true);
      }
      return recordContainer(type);
    }

    /** The engine's {@code Pair}, or a record of this file with its implicit constructor. */
    private Container recordContainer(Type type) {
      Type raw = type instanceof ParameterizedType p ? p.getType() : type;
      if (!(raw instanceof org.eclipse.jdt.core.dom.SimpleType simple)) {
        return null;
      }
      String name = simple.getName().getFullyQualifiedName();
      if ((name.equals("Pair") && imports.pair) || name.equals(ENGINE + ".Pair")) {
        boolean ofKeys = type instanceof ParameterizedType p && p.typeArguments().size() == 2
            && p.typeArguments().stream().allMatch(t -> isKeyType((Type) t, imports));
        return pair(ofKeys);
      }
      return fileRecord(name);
    }

    private static Container pair(boolean ofKeys) {
      return new Container(Holder.RECORD, List.of("first", "second"),
          ofKeys ? Set.of("first", "second") : Set.of(), ofKeys);
    }

    private Container fileRecord(String name) {
      List<String> components = methods.plainRecord(name);
      if (components == null) {
        return null;
      }
      Set<String> keyComponents = new HashSet<>();
      for (String c : components) {
        if (c != null && methods.recordComponentType(name, c) instanceof Type t
            && isKeyType(t, imports)) {
          keyComponents.add(c);
        }
      }
      return new Container(Holder.RECORD, components, keyComponents, false);
    }

    /** {@code var ks = <init>}: the container the initializer makes, or null. */
    private Container containerMadeBy(Expression init) {
      init = unwrap(init);
      if (init instanceof MethodInvocation mi) {
        String name = mi.getName().getIdentifier();
        if (onRandom(mi) && name.equals("split")) {
          return mi.arguments().size() == 1 ? pair(true)
              : new Container(Holder.LIST, List.of(), Set.of(), true);
        }
        if (on(mi, "Pair", imports.pair) && name.equals("of") && mi.arguments().size() == 2) {
          return pair(false);
        }
        if (mi.getExpression() instanceof Name owner && owner.getFullyQualifiedName().equals("List")
            && (name.equals("of") || name.equals("copyOf"))) {
          return new Container(Holder.LIST, List.of(), Set.of(), false);
        }
        return null;
      }
      if (init instanceof ClassInstanceCreation c && c.getAnonymousClassDeclaration() == null) {
        return recordContainer(c.getType());
      }
      if (init instanceof org.eclipse.jdt.core.dom.ArrayCreation a) {
        return containerOfType(a.getType());
      }
      return null;
    }

    /**
     * Whether every use of {@code array} in {@code body} (lambdas included) is its declaration,
     * an assignment of the whole array, an element read at a constant index or {@code .length}.
     */
    private static boolean onlyElementsRead(ASTNode body, String array) {
      boolean[] other = {false};
      body.accept(new ASTVisitor() {
        @Override
        public boolean visit(SimpleName n) {
          if (!n.getIdentifier().equals(array)) {
            return false;
          }
          ASTNode parent = n.getParent();
          boolean fine = switch (parent) {
            case VariableDeclarationFragment f -> f.getName() == n;
            case Assignment a -> a.getLeftHandSide() == n;
            case ArrayAccess a -> a.getArray() == n && constantIndex(a) != null
                && !(a.getParent() instanceof Assignment as && as.getLeftHandSide() == a);
            case QualifiedName q -> q.getQualifier() == n
                && q.getName().getIdentifier().equals("length");
            default -> false;
          };
          other[0] |= !fine;
          return false;
        }
      });
      return !other[0];
    }

    private static String constantIndex(ArrayAccess a) {
      return a.getIndex() instanceof NumberLiteral n && n.getToken().matches("\\d+") ? n.getToken()
          : null;
    }

    private static Expression unwrap(Expression e) {
      while (e instanceof ParenthesizedExpression || e instanceof CastExpression) {
        e = e instanceof ParenthesizedExpression p ? p.getExpression()
            : ((CastExpression) e).getExpression();
      }
      return e;
    }

    private void addKeys(Type type, List<?> fragments, Set<String> declared) {
      for (Object o : fragments) {
        VariableDeclarationFragment f = (VariableDeclarationFragment) o;
        if (isKeyType(type, imports) || (type.isVar() && (makesKey(f.getInitializer())
            || copiesKey(f.getInitializer(), declared) || givesKey(f.getInitializer())))) {
          declared.add(f.getName().getIdentifier());
        }
      }
    }

    /** {@code var k2 = key} (or {@code c ? key : other}) where {@code key} is a Key variable. */
    private boolean copiesKey(Expression init, Set<String> declared) {
      return switch (init) {
        case SimpleName n -> declared.contains(n.getIdentifier()) || keys.contains(n.getIdentifier());
        case ParenthesizedExpression p -> copiesKey(p.getExpression(), declared);
        case ConditionalExpression c -> copiesKey(c.getThenExpression(), declared)
            || copiesKey(c.getElseExpression(), declared);
        case null, default -> false;
      };
    }

    /**
     * {@code var k = keep(key)} (a method of this file declared to return a Key) or
     * {@code var k = ks.first()} (a container's component known to be a Key).
     */
    private boolean givesKey(Expression init) {
      if (!(init instanceof MethodInvocation mi)) {
        return init instanceof ArrayAccess a && a.getArray() instanceof SimpleName n
            && containerDeclaredOfKeys(n.getIdentifier());
      }
      if (mi.getExpression() instanceof SimpleName n && containerNamed(n.getIdentifier())
          instanceof Container c) {
        return switch (c.holder()) {
          case RECORD -> mi.arguments().isEmpty()
              && c.keyComponents().contains(mi.getName().getIdentifier());
          case LIST -> c.ofKeys() && mi.getName().getIdentifier().equals("get");
          case ARRAY -> false;
        };
      }
      SameFileMethods.Lookup target = methods.lookup(mi);
      return target.method() != null && !target.method().isConstructor()
          && target.method().getReturnType2() != null
          && isKeyType(target.method().getReturnType2(), imports);
    }

    /** The container declared so far under {@code name} (while declarations are collected). */
    private Container containerNamed(String name) {
      return containers.get(name);
    }

    private boolean containerDeclaredOfKeys(String name) {
      Container c = containerNamed(name);
      return c != null && c.holder() == Holder.ARRAY && c.ofKeys();
    }

    /** {@code Random.key(...)}, {@code Random.foldIn(...)}, {@code Random.split(...).first()}. */
    private boolean makesKey(Expression init) {
      if (!(init instanceof MethodInvocation mi)) {
        return false;
      }
      String name = mi.getName().getIdentifier();
      if (onRandom(mi)) {
        return name.equals("key") || name.equals("foldIn");
      }
      return (name.equals("first") || name.equals("second"))
          && mi.getExpression() instanceof MethodInvocation inner && onRandom(inner)
          && inner.getName().getIdentifier().equals("split") && inner.arguments().size() == 1;
    }

    // ---- statements

    private void statement(Statement s) {
      if (ended) {
        return; // unreachable on this path
      }
      switch (s) {
        case Block b -> b.statements().forEach(o -> statement((Statement) o));
        case ExpressionStatement e -> expression(e.getExpression());
        case VariableDeclarationStatement d -> declare(d.fragments());
        case IfStatement i -> {
          expression(i.getExpression());
          State before = state.copy();
          statement(i.getThenStatement());
          Arm then = arm(before);
          if (i.getElseStatement() != null) {
            statement(i.getElseStatement());
          }
          join(List.of(then, arm(before)), before);
        }
        case ForStatement f -> {
          f.initializers().forEach(o -> expression((Expression) o));
          loop(f, f.getExpression(), f.getBody(), expressions(f.updaters()), null);
        }
        case EnhancedForStatement f -> {
          expression(f.getExpression());
          loop(f, null, f.getBody(), List.of(), f.getParameter().getName().getIdentifier());
        }
        case WhileStatement w -> loop(w, w.getExpression(), w.getBody(), List.of(), null);
        case DoStatement d -> loop(d, null, d.getBody(), List.of(d.getExpression()), null);
        case ReturnStatement r -> {
          if (r.getExpression() != null) {
            expression(r.getExpression());
          }
          ended = true;
        }
        case ThrowStatement t -> {
          expression(t.getExpression());
          ended = true;
        }
        case YieldStatement y -> {
          expression(y.getExpression());
          ended = true;
        }
        case BreakStatement b -> ended = true;
        case ContinueStatement c -> ended = true;
        case SynchronizedStatement sync -> {
          expression(sync.getExpression());
          statement(sync.getBody());
        }
        case LabeledStatement l -> statement(l.getBody());
        case ConstructorInvocation c -> { // this(key, ...): the constructor it runs may draw
          c.arguments().forEach(o -> expression((Expression) o));
          consumed(c);
        }
        case SuperConstructorInvocation c -> {
          if (c.getExpression() != null) {
            expression(c.getExpression());
          }
          c.arguments().forEach(o -> expression((Expression) o));
          consumed(c);
        }
        case TryStatement t -> tryStatement(t);
        case SwitchStatement sw -> switchStatement(sw);
        default -> { } // local classes, asserts, empty statements: nothing to follow
      }
    }

    private static List<Expression> expressions(List<?> nodes) {
      return nodes.stream().map(Expression.class::cast).toList();
    }

    private void declare(List<?> fragments) {
      for (Object o : fragments) {
        VariableDeclaration f = (VariableDeclaration) o;
        if (f.getInitializer() != null) {
          expression(f.getInitializer());
        }
        assign(f.getName().getIdentifier(), f.getInitializer());
      }
    }

    /**
     * {@code name} now holds {@code value}: the value(s) of the key variable it copies, or a new
     * one (nothing drawn from it yet). Only key variables are tracked.
     */
    private void assign(String name, Expression value) {
      if (containers.get(name) instanceof Container c) {
        Set<String> copied = value != null && unwrap(value) instanceof SimpleName n
            && containers.containsKey(n.getIdentifier()) ? state.valuesOf(n.getIdentifier()) : null;
        if (copied == null) {
          String token = fresh(name);
          contents.put(token, contentsOf(c, token, value));
          copied = Set.of(token);
        }
        state.hold(name, copied);
        return;
      }
      if (!keys.contains(name)) {
        return;
      }
      Set<String> copied = value == null ? null : copied(name, value);
      state.hold(name, copied != null ? copied : Set.of(fresh(name)));
    }

    /**
     * What a new container value {@code token} holds, made by {@code value}: the keys it was
     * built from by slot ({@code Pair.of(a, b)}, {@code new Params(key, w)}, {@code List.of(a, b)},
     * {@code new Key[] {a, b}}); keys of its own ({@code Random.split(key)}, or any record: its
     * components never change); null for a list or array from elsewhere (not followed).
     */
    private Contents contentsOf(Container c, String token, Expression value) {
      Expression v = value == null ? null : unwrap(value);
      List<?> arguments = null;
      List<String> slots = c.components();
      switch (v) {
        case MethodInvocation mi when onRandom(mi) && mi.getName().getIdentifier().equals("split") ->
          arguments = List.of();
        case MethodInvocation mi when on(mi, "Pair", imports.pair)
            && mi.getName().getIdentifier().equals("of") -> arguments = mi.arguments();
        case MethodInvocation mi when mi.getExpression() instanceof Name owner
            && owner.getFullyQualifiedName().equals("List")
            && mi.getName().getIdentifier().equals("of") -> arguments = mi.arguments();
        case MethodInvocation mi when mi.getExpression() instanceof Name owner
            && owner.getFullyQualifiedName().equals("List")
            && mi.getName().getIdentifier().equals("copyOf") -> arguments = List.of();
        case MethodInvocation mi when c.holder() == Holder.ARRAY
            && mi.getName().getIdentifier().equals("toArray")
            && mi.getExpression() instanceof MethodInvocation split && onRandom(split)
            && split.getName().getIdentifier().equals("split") -> arguments = List.of();
        case ClassInstanceCreation n when c.holder() == Holder.RECORD
            && n.arguments().size() == slots.size() -> arguments = n.arguments();
        case org.eclipse.jdt.core.dom.ArrayCreation a when a.getInitializer() != null ->
          arguments = a.getInitializer().expressions();
        case org.eclipse.jdt.core.dom.ArrayInitializer a -> arguments = a.expressions();
        case null, default -> { }
      }
      if (arguments == null) {
        return c.holder() == Holder.RECORD ? new Contents(Map.of()) : null;
      }
      Map<String, Set<String>> held = new HashMap<>();
      for (int i = 0; i < arguments.size(); i++) {
        String slot = c.holder() == Holder.RECORD ? (i < slots.size() ? slots.get(i) : null)
            : Integer.toString(i);
        KeyRef ref = slot == null ? null : keyRef((Expression) arguments.get(i));
        if (ref != null) {
          held.put(slot, ref.values());
        }
      }
      return new Contents(held);
    }

    /** The values slot {@code slot} of container value {@code token} holds; null: not followed. */
    private Set<String> slot(Container c, String token, String slot) {
      Contents held = state.contents.get(token);
      if (held == null) {
        if (c.holder() != Holder.RECORD || state.contents.containsKey(token)) {
          return null; // a list or array from elsewhere
        }
        held = new Contents(Map.of()); // a record given in, or from elsewhere: its own keys
      }
      return held.slots().getOrDefault(slot, Set.of(token + "/" + slot));
    }

    /**
     * The key an argument passes, when it is one this body follows: a key variable, a key kept
     * in a container ({@code ks.first()}, {@code p.key()}, {@code ks.get(0)}, {@code ks[0]}), or
     * what a method of this file returns unchanged ({@code keep(key)}); else null.
     */
    private KeyRef keyRef(Expression e) {
      return switch (e) {
        case SimpleName n when keys.contains(n.getIdentifier()) ->
          new KeyRef(n.getIdentifier(), n.getIdentifier(), state.valuesOf(n.getIdentifier()));
        case ParenthesizedExpression p -> keyRef(p.getExpression());
        case CastExpression c -> keyRef(c.getExpression());
        case MethodInvocation mi -> {
          if (mi.getExpression() instanceof SimpleName n
              && containers.get(n.getIdentifier()) instanceof Container c) {
            yield slotRef(mi, n.getIdentifier(), c, slotOf(mi, c));
          }
          SameFileMethods.Lookup target = mi.arguments().isEmpty() ? SameFileMethods.Lookup.ELSEWHERE
              : methods.lookup(mi, this::argumentType);
          Integer index = target.method() == null ? null : file.returnsParameter.get(target.method());
          KeyRef given = index == null || index >= mi.arguments().size() ? null
              : keyRef((Expression) mi.arguments().get(index));
          yield given == null ? null : new KeyRef(Snippets.code(mi), given.root(), given.values());
        }
        case ArrayAccess a when a.getArray() instanceof SimpleName n
            && containers.get(n.getIdentifier()) instanceof Container c
            && c.holder() == Holder.ARRAY -> slotRef(a, n.getIdentifier(), c, constantIndex(a));
        case null, default -> null;
      };
    }

    private KeyRef slotRef(Expression read, String container, Container c, String slot) {
      if (slot == null) {
        return null;
      }
      Set<String> values = new LinkedHashSet<>();
      for (String token : state.valuesOf(container)) {
        Set<String> held = slot(c, token, slot);
        if (held == null) {
          return null;
        }
        values.addAll(held);
      }
      return new KeyRef(Snippets.code(read), container, values);
    }

    /** {@code p.key()}: the component; {@code ks.get(0)} / {@code ks.getFirst()}: the index. */
    private static String slotOf(MethodInvocation read, Container c) {
      String name = read.getName().getIdentifier();
      return switch (c.holder()) {
        case RECORD -> read.arguments().isEmpty() && c.components().contains(name) ? name : null;
        case LIST -> name.equals("getFirst") && read.arguments().isEmpty() ? "0"
            : name.equals("get") && read.arguments().size() == 1
                && read.arguments().get(0) instanceof NumberLiteral n && n.getToken().matches("\\d+")
                ? n.getToken() : null;
        case ARRAY -> null;
      };
    }

    /** An argument's type when the text says it: a key, or a literal's ({@link SameFileMethods.ArgumentTypes}). */
    private String argumentType(Expression argument) {
      if (keyRef(argument) != null) {
        return "Key";
      }
      return switch (argument) {
        case NumberLiteral n -> {
          String t = n.getToken().toLowerCase(java.util.Locale.ROOT);
          boolean hex = t.startsWith("0x");
          if (t.endsWith("l")) {
            yield "long";
          }
          if (!hex && t.endsWith("f")) {
            yield "float";
          }
          if (!hex && (t.endsWith("d") || t.contains(".") || t.contains("e"))) {
            yield "double";
          }
          yield "int";
        }
        case org.eclipse.jdt.core.dom.StringLiteral sl -> "String";
        case org.eclipse.jdt.core.dom.TextBlock tb -> "String";
        case org.eclipse.jdt.core.dom.BooleanLiteral b -> "boolean";
        case org.eclipse.jdt.core.dom.CharacterLiteral c -> "char";
        case null, default -> null;
      };
    }

    private String fresh(String name) {
      return name + "#" + ++madeValues;
    }

    /**
     * The values {@code e} evaluates to when it copies a key variable ({@code key},
     * {@code (Key) key}, {@code c ? key : other}: an arm that is not a key variable gives a new
     * value), else null.
     */
    private Set<String> copied(String name, Expression e) {
      return switch (e) {
        case SimpleName n when keys.contains(n.getIdentifier()) -> state.valuesOf(n.getIdentifier());
        case MethodInvocation mi when keyRef(mi) instanceof KeyRef ref -> ref.values();
        case ArrayAccess a when keyRef(a) instanceof KeyRef ref -> ref.values();
        case ParenthesizedExpression p -> copied(name, p.getExpression());
        case CastExpression c -> copied(name, c.getExpression());
        case ConditionalExpression c -> {
          Set<String> then = copied(name, c.getThenExpression());
          Set<String> otherwise = copied(name, c.getElseExpression());
          if (then == null && otherwise == null) {
            yield null;
          }
          Set<String> either = new LinkedHashSet<>(then != null ? then : Set.of(fresh(name)));
          either.addAll(otherwise != null ? otherwise : Set.of(fresh(name)));
          yield either;
        }
        default -> null;
      };
    }

    /** The state at the end of one arm (null: the arm ended), then resets to {@code before}. */
    private record Arm(State state) {}

    private Arm arm(State before) {
      Arm arm = new Arm(ended ? null : state);
      state = before.copy();
      ended = false;
      return arm;
    }

    /**
     * After a branch: a key is used if it was used on any arm that goes on (a later draw reuses
     * it on that path); the path ends if every arm ended.
     */
    private void join(List<Arm> arms, State before) {
      State joined = null;
      for (Arm a : arms) {
        if (a.state() != null) {
          if (joined == null) {
            joined = a.state().copy(); // the first arm as it is; the others add what they may hold
          } else {
            joined.add(a.state());
          }
        }
      }
      state = joined != null ? joined : before.copy();
      ended = joined == null;
    }

    /**
     * A loop, followed as two iterations: the second starts from the state the first left, so a
     * key drawn from in one iteration and drawn from (or split) again in the next before being
     * reassigned is found. Paths that {@code continue} are not carried to the next iteration.
     *
     * @param condition checked before each iteration (for, while), or null
     * @param after what runs after the body each iteration (updaters, a do-while's condition)
     * @param eachVariable a for-each's variable, new in each iteration, or null
     */
    private void loop(Statement loop, Expression condition, Statement body, List<Expression> after,
        String eachVariable) {
      Set<String> assigned = file.assignedInLoop.computeIfAbsent(loop, l -> {
        Set<String> names = assignedIn(body);
        after.forEach(e -> names.addAll(assignedIn(e)));
        if (eachVariable != null) {
          names.add(eachVariable);
        }
        return names;
      });
      loops.push(new LoopScope(loop, assigned));
      List<State> leaving = new ArrayList<>(); // the states the loop may be left with
      int passes = loops.size() <= TWO_PASS_DEPTH ? 2 : 1;
      for (int pass = 1; pass <= passes; pass++) {
        if (pass == 2) {
          carriedOver(loop, true);
        }
        if (condition != null) {
          expression(condition);
        }
        leaving.add(state.copy()); // the body may run zero times, or no more
        if (eachVariable != null) {
          assign(eachVariable, null);
        }
        statement(body);
        boolean bodyEnds = ended; // every path breaks, continues, returns or throws
        ended = false; // break/continue end the iteration, not the code after the loop
        after.forEach(this::expression);
        if (bodyEnds) {
          break;
        }
      }
      loops.pop();
      // used on the way out of the last pass, else on an earlier exit
      State out = state;
      for (int i = leaving.size() - 1; i >= 0; i--) {
        out.add(leaving.get(i));
      }
      state = out;
      carriedOver(loop, false);
      ended = false;
    }

    /** Marks (or unmarks) the uses made inside {@code loop} as made by its previous iteration. */
    private void carriedOver(Statement loop, boolean mark) {
      state.used.replaceAll((key, use) -> {
        if (mark && use.carriedOver() == null && inside(use.call(), loop)) {
          return new Use(use.call(), use.draw(), loop, use.via(), use.through());
        }
        if (!mark && use.carriedOver() == loop) {
          return new Use(use.call(), use.draw(), null, use.via(), use.through());
        }
        return use;
      });
    }

    private static boolean inside(ASTNode node, ASTNode outer) {
      int start = outer.getStartPosition();
      return node.getStartPosition() >= start
          && node.getStartPosition() < start + outer.getLength();
    }

    private void tryStatement(TryStatement t) {
      t.resources().forEach(o -> expression((Expression) o));
      State before = state.copy();
      statement(t.getBody());
      List<Arm> arms = new ArrayList<>();
      arms.add(arm(before));
      for (Object o : t.catchClauses()) {
        statement(((CatchClause) o).getBody());
        arms.add(arm(before));
      }
      join(arms, before);
      if (t.getFinally() != null) {
        boolean wasEnded = ended;
        ended = false;
        statement(t.getFinally());
        ended |= wasEnded;
      }
    }

    private void switchStatement(SwitchStatement sw) {
      expression(sw.getExpression());
      State before = state.copy();
      List<Arm> arms = new ArrayList<>();
      boolean defaultCase = false;
      for (Object o : sw.statements()) {
        if (o instanceof org.eclipse.jdt.core.dom.SwitchCase c) {
          defaultCase |= c.isDefault();
          // each case label starts a new path (fall-through is rare and not followed)
          arms.add(arm(before));
        } else {
          statement((Statement) o);
        }
      }
      arms.add(arm(before));
      if (!defaultCase) {
        arms.add(new Arm(before.copy()));
      }
      join(arms.subList(1, arms.size()), before);
    }

    // ---- expressions, in evaluation order

    private void expression(Expression e) {
      e.accept(new ASTVisitor() {
        @Override
        public boolean visit(LambdaExpression node) {
          if (drawnParameters != null) {
            capturedDraws(node);
          }
          return false; // runs later, if at all: a body of its own
        }

        @Override
        public boolean visit(AnonymousClassDeclaration node) {
          return false;
        }

        @Override
        public boolean visit(org.eclipse.jdt.core.dom.SwitchExpression node) {
          return false; // not followed: its arms are paths of their own
        }

        @Override
        public boolean visit(ConditionalExpression node) {
          expression(node.getExpression());
          State before = state.copy();
          expression(node.getThenExpression());
          Arm then = arm(before);
          expression(node.getElseExpression());
          join(List.of(then, arm(before)), before);
          return false;
        }

        @Override
        public boolean visit(InfixExpression node) {
          InfixExpression.Operator op = node.getOperator();
          if (op != InfixExpression.Operator.CONDITIONAL_AND
              && op != InfixExpression.Operator.CONDITIONAL_OR) {
            return true;
          }
          expression(node.getLeftOperand());
          List<Expression> rest = new ArrayList<>();
          rest.add(node.getRightOperand());
          node.extendedOperands().forEach(o -> rest.add((Expression) o));
          for (Expression r : rest) { // may not run: used after it only if used before it
            State before = state.copy();
            expression(r);
            join(List.of(arm(before), new Arm(before)), before);
          }
          return false;
        }

        @Override
        public boolean visit(Assignment node) {
          expression(node.getRightHandSide());
          if (node.getLeftHandSide() instanceof SimpleName n) {
            assign(n.getIdentifier(), node.getOperator() == Assignment.Operator.ASSIGN
                ? node.getRightHandSide() : null);
          } else {
            expression(node.getLeftHandSide());
          }
          return false;
        }

        @Override
        public boolean visit(VariableDeclarationExpression node) {
          declare(node.fragments());
          return false;
        }

        @Override
        public boolean visit(MethodInvocation node) {
          if (node.getExpression() != null) {
            expression(node.getExpression());
          }
          node.arguments().forEach(o -> expression((Expression) o));
          consumed(node);
          if (drawnParameters == null) {
            perStepLambdas(node);
          }
          return false;
        }

        @Override
        public boolean visit(ClassInstanceCreation node) {
          if (node.getExpression() != null) {
            expression(node.getExpression());
          }
          node.arguments().forEach(o -> expression((Expression) o));
          consumed(node); // new Layer(key, ...): the file's constructor may draw from it
          return false; // an anonymous class body: a body of its own
        }
      });
    }

    // ---- consuming calls

    /**
     * The key variables {@code call} consumes: as a sampler's key, or as the argument of a method
     * or constructor of this file that draws from that parameter ({@code new Layer(key)},
     * {@code this(key)}, {@code super(key)} too).
     */
    private List<Draw> draws(ASTNode call) {
      if (!hasKeyArgument(arguments(call))) {
        return List.of(); // most calls: nothing to look up
      }
      if (!(call instanceof MethodInvocation mi)) {
        SameFileMethods.Lookup target = methods.constructor(call, this::argumentType);
        if (target == SameFileMethods.Lookup.ELSEWHERE && call instanceof ClassInstanceCreation c
            && c.getAnonymousClassDeclaration() == null) {
          return throughOtherFile(call, simpleTypeName(c.getType()), "new");
        }
        return target.method() == null ? List.of() : throughMethod(call, target.method());
      }
      String name = mi.getName().getIdentifier();
      if (onRandom(mi)) {
        return NOT_CONSUMING.contains(name) ? List.of() : firstArgument(mi);
      }
      if (on(mi, "Nn", imports.nn) && name.equals("dropout")) {
        return firstArgument(mi);
      }
      SameFileMethods.Lookup target = methods.lookup(mi, this::argumentType);
      String type = mi.getExpression() == null || target.declared() ? null
          : receiverType(mi.getExpression());
      if (type != null && methods.declaresType(type)) { // model.forward(key) on a class of the file
        target = methods.lookupIn(type, mi, this::argumentType);
      }
      if (target.declared()) {
        return target.method() == null ? List.of() : throughMethod(mi, target.method());
      }
      if (type != null) {
        List<Draw> elsewhere = throughOtherFile(mi, type, name);
        if (!elsewhere.isEmpty()) {
          return elsewhere;
        }
      }
      if ((mi.getExpression() != null && name.equals("init") && drawsOnInit(mi))
          || (mi.getExpression() == null && !NOT_CONSUMING.contains(name)
              && imports.staticRandom(name))) {
        return firstArgument(mi);
      }
      return List.of();
    }

    /**
     * A call to a method or constructor {@code name} of {@code type}, a type another file of the
     * project declares (one file, not this one), that draws from a {@code Key} parameter.
     * Not while summarizing: a file's summaries, which other files see, depend on its text alone.
     */
    private List<Draw> throughOtherFile(ASTNode call, String type, String name) {
      if (drawnParameters != null || type == null || methods.declaresType(type)
          || !(file.project.type(type) instanceof Map<?, ?> declared)) {
        return List.of();
      }
      String qualified = meant(type, declared.keySet());
      if (qualified == null || !(declared.get(qualified) instanceof List<?> exported)) {
        return List.of(); // a jar's type, or not told apart
      }
      List<?> args = arguments(call);
      List<Exported> fitting = new ArrayList<>();
      if (exported.contains(SEVERAL)) {
        return List.of(); // the file declares several types of that name
      }
      for (Object o : exported) {
        Exported e = (Exported) o;
        if (e.name().equals(name) && (e.parameterTypes().size() == args.size()
            || (e.varargs() && args.size() >= e.parameterTypes().size() - 1))) {
          fitting.add(e);
        }
      }
      if (fitting.size() > 1) {
        fitting.removeIf(e -> !mayTake(e, args));
      }
      if (fitting.size() != 1) {
        return List.of(); // none, or overloads the text does not tell apart
      }
      List<Draw> draws = new ArrayList<>();
      fitting.get(0).drawn().forEach((index, draw) -> {
        KeyRef key = keyArgument(call, index);
        if (key != null) {
          draws.add(new Draw(key, new Use(call, call, null, key.text(), draw)));
        }
      });
      return draws;
    }

    /**
     * Which of the project's types of that simple name the file's text means, by Java's order:
     * a single-type import, the file's own package, an on-demand import (one). Null when none:
     * a class of a jar, or two on-demand candidates.
     */
    private String meant(String simple, Set<?> qualified) {
      Units.Imports names = imports.file();
      String imported = names.qualify(simple);
      if (imported != null) {
        return qualified.contains(imported) ? imported : null;
      }
      String own = names.packageName().isEmpty() ? simple : names.packageName() + "." + simple;
      if (qualified.contains(own)) {
        return own;
      }
      String found = null;
      for (Object q : qualified) {
        String name = (String) q;
        int dot = name.lastIndexOf('.');
        if (dot > 0 && names.importsOnDemand(name.substring(0, dot))) {
          if (found != null) {
            return null;
          }
          found = name;
        }
      }
      return found;
    }

    private boolean mayTake(Exported e, List<?> args) {
      for (int i = 0; i < args.size() && i < e.parameterTypes().size(); i++) {
        if (e.varargs() && i == e.parameterTypes().size() - 1) {
          return true;
        }
        String argument = argumentType((Expression) args.get(i));
        if (argument != null && !SameFileMethods.takes(e.parameterTypes().get(i), argument)) {
          return false;
        }
      }
      return true;
    }

    /**
     * The simple name of the type a call's receiver is, when the text says it: a type name
     * ({@code Model.noise}), a local, parameter or field declared with a type
     * ({@code Model model}), {@code new Model(...)}, {@code this.model}; else null.
     */
    private String receiverType(Expression receiver) {
      return switch (receiver) {
        case SimpleName n -> {
          String id = n.getIdentifier();
          String declared = localTypes().get(id);
          if (declared == null) {
            declared = fieldType(n, id);
          }
          if (declared == null && Character.isUpperCase(id.charAt(0))) {
            declared = id; // a type's static method
          }
          yield declared;
        }
        case QualifiedName q when Character.isUpperCase(q.getName().getIdentifier().charAt(0))
            && Character.isLowerCase(q.getQualifier().getFullyQualifiedName().charAt(0)) ->
          q.getName().getIdentifier(); // dev.demo.Model.noise(...)
        case org.eclipse.jdt.core.dom.FieldAccess f when f.getExpression() instanceof ThisExpression ->
          fieldType(f, f.getName().getIdentifier());
        case ClassInstanceCreation c when c.getAnonymousClassDeclaration() == null ->
          simpleTypeName(c.getType());
        case ParenthesizedExpression p -> receiverType(p.getExpression());
        case MethodInvocation mi when mi.arguments().isEmpty() && mi.getExpression() != null
            && receiverType(mi.getExpression()) instanceof String owner
            && methods.recordComponentType(owner, mi.getName().getIdentifier()) instanceof Type t
            && methods.plainRecord(owner) instanceof List<String> plain
            && plain.contains(mi.getName().getIdentifier()) ->
          simpleTypeName(t); // state.params(): a record component's declared type
        case null, default -> null;
      };
    }

    private Map<String, String> localTypes;

    /** The body's locals and parameters with a declared class type (or {@code var x = new T()}). */
    private Map<String, String> localTypes() {
      if (localTypes == null) {
        localTypes = new HashMap<>();
        ASTNode scope = bodyNode.getParent();
        scope.accept(new ASTVisitor() {
          @Override
          public boolean visit(SingleVariableDeclaration node) {
            put(node.getName().getIdentifier(), node.getType(), null);
            return true;
          }

          @Override
          public boolean visit(VariableDeclarationStatement node) {
            node.fragments().forEach(o -> put(((VariableDeclarationFragment) o).getName()
                .getIdentifier(), node.getType(), ((VariableDeclarationFragment) o).getInitializer()));
            return true;
          }

          @Override
          public boolean visit(VariableDeclarationExpression node) {
            node.fragments().forEach(o -> put(((VariableDeclarationFragment) o).getName()
                .getIdentifier(), node.getType(), ((VariableDeclarationFragment) o).getInitializer()));
            return true;
          }

          private void put(String name, Type type, Expression init) {
            String simple = type.isVar() && init instanceof ClassInstanceCreation c
                ? simpleTypeName(c.getType()) : type.isVar() ? null : simpleTypeName(type);
            if (localTypes.containsKey(name) && !java.util.Objects.equals(localTypes.get(name), simple)) {
              simple = null; // two locals of one name in different scopes: not told apart
            }
            localTypes.put(name, simple);
          }
        });
      }
      return localTypes;
    }

    /** The declared type of field {@code name} of the class around {@code node} (or an outer one). */
    private String fieldType(ASTNode node, String name) {
      for (ASTNode t = dev.statelens.lint.analysis.NameResolver.enclosingTypeNode(node); t != null;
          t = dev.statelens.lint.analysis.NameResolver.enclosingTypeNode(t)) {
        ASTNode type = t;
        Map<String, String> fields = file.fieldTypes.computeIfAbsent(type, k -> {
          Map<String, String> declared = new HashMap<>();
          List<?> members = type instanceof org.eclipse.jdt.core.dom.AbstractTypeDeclaration d
              ? d.bodyDeclarations() : type instanceof AnonymousClassDeclaration a
                  ? a.bodyDeclarations() : List.of();
          for (Object o : members) {
            if (o instanceof org.eclipse.jdt.core.dom.FieldDeclaration f) {
              for (Object v : f.fragments()) {
                declared.put(((VariableDeclarationFragment) v).getName().getIdentifier(),
                    simpleTypeName(f.getType()));
              }
            }
          }
          return declared;
        });
        if (fields.containsKey(name)) {
          return fields.get(name);
        }
      }
      return null;
    }

    private static String simpleTypeName(Type type) {
      String name = typeName(type);
      return name.isEmpty() || name.equals("[]") || !Character.isUpperCase(name.charAt(0)) ? null
          : name;
    }

    private static List<?> arguments(ASTNode call) {
      return switch (call) {
        case MethodInvocation mi -> mi.arguments();
        case ClassInstanceCreation c -> c.arguments();
        case ConstructorInvocation c -> c.arguments();
        case SuperConstructorInvocation c -> c.arguments();
        default -> List.of();
      };
    }

    private boolean hasKeyArgument(List<?> arguments) {
      for (Object a : arguments) {
        if (keyRef((Expression) a) != null) {
          return true;
        }
      }
      return false;
    }

    private List<Draw> firstArgument(MethodInvocation call) {
      KeyRef key = keyArgument(call, 0);
      return key == null ? List.of()
          : List.of(new Draw(key, new Use(call, call, null, key.text())));
    }

    /** {@code noise(key, 3)} where this file's {@code noise} draws from its first parameter. */
    private List<Draw> throughMethod(ASTNode call, MethodDeclaration method) {
      List<Draw> draws = new ArrayList<>();
      drawing.getOrDefault(method, Map.of()).forEach((index, draw) -> {
        KeyRef key = keyArgument(call, index);
        if (key != null) {
          draws.add(new Draw(key, new Use(call, draw, null, key.text())));
        }
      });
      return draws;
    }

    private KeyRef keyArgument(ASTNode call, int index) {
      List<?> arguments = arguments(call);
      return index < arguments.size() ? keyRef((Expression) arguments.get(index)) : null;
    }

    private void consumed(ASTNode call) {
      for (Draw d : draws(call)) {
        KeyRef key = d.ref();
        Set<String> held = key.values();
        Use before = null;
        for (String value : held) {
          if (drawnParameters != null && parameters.contains(value)) {
            drawnParameters.putIfAbsent(value, d.use().draw()); // the caller's key, maybe copied
          }
          Use earlier = state.used.put(value, d.use());
          if (before == null) {
            before = earlier;
          }
        }
        if (drawnParameters == null) { // summarizing asks only which parameters are drawn from
          report(call, key, before, d.use());
        }
      }
    }

    /** {@code use} of {@code key} by {@code call}, after {@code before} (or null) on this path. */
    private void report(ASTNode call, KeyRef key, Use before, Use use) {
      if (before != null) {
        found.add(new Reuse(call, reuseMessage(key, before, use), key.text(), before.call(), null,
            use.through() != null || before.through() != null));
        return;
      }
      for (LoopScope loop : loops) {
        if (!loop.assigned().contains(key.root())) {
          found.add(new Reuse(call, loopMessage(key, use, "the loop at line " + line(loop.loop())),
              key.text(), null, loop.loop(), use.through() != null));
          return;
        }
      }
    }

    /**
     * Summarizing: a lambda in the method that draws from one of its {@code Key} parameters
     * (captured, so never reassigned: the caller's key) consumes it, whenever it runs.
     */
    private void capturedDraws(LambdaExpression lambda) {
      lambda.getBody().accept(new ASTVisitor() {
        @Override
        public boolean visit(AnonymousClassDeclaration node) {
          return false;
        }

        @Override
        public boolean visit(TypeDeclarationStatement node) {
          return false;
        }

        @Override
        public boolean visit(MethodInvocation node) {
          captured(node);
          return true;
        }

        @Override
        public boolean visit(ClassInstanceCreation node) {
          captured(node);
          return true;
        }

        private void captured(ASTNode call) {
          for (Draw d : draws(call)) {
            for (String value : d.ref().values()) {
              if (parameters.contains(value)) {
                drawnParameters.putIfAbsent(value, d.use().draw());
              }
            }
          }
        }
      });
    }

    /**
     * Lambdas that run once per step or element and draw from a key captured from this body
     * (a captured local cannot be reassigned there, so every run draws from the same key):
     * {@code Lax.forI/scan/whileLoop}'s body, and a stream operation's lambda
     * ({@code IntStream.range(0, n).mapToObj(i -> Random.normal(key, 3))}, {@code forEach}).
     * Lambdas passed anywhere else (to {@code jit}, a {@code Supplier}, {@code Optional.map}) may
     * run once or never: not reported.
     */
    private void perStepLambdas(MethodInvocation call) {
      String where;
      if (on(call, "Lax", imports.lax) && LAX_LOOPS.contains(call.getName().getIdentifier())) {
        where = "the body of Lax." + call.getName().getIdentifier() + " at line " + line(call);
      } else if (perElement(call)) {
        where = null;
      } else {
        return;
      }
      for (Object o : call.arguments()) {
        if (!(o instanceof LambdaExpression lambda)) {
          continue;
        }
        Set<String> own = new HashSet<>();
        lambda.accept(new ASTVisitor() {
          @Override
          public boolean visit(SingleVariableDeclaration node) {
            own.add(node.getName().getIdentifier());
            return true;
          }

          @Override
          public boolean visit(VariableDeclarationFragment node) {
            own.add(node.getName().getIdentifier());
            return true;
          }
        });
        lambda.getBody().accept(new ASTVisitor() {
          @Override
          public boolean visit(LambdaExpression node) {
            return false;
          }

          @Override
          public boolean visit(AnonymousClassDeclaration node) {
            return false;
          }

          @Override
          public boolean visit(MethodInvocation node) {
            reportCaptured(node);
            return true;
          }

          @Override
          public boolean visit(ClassInstanceCreation node) {
            reportCaptured(node);
            return true;
          }

          private void reportCaptured(ASTNode node) {
            for (Draw d : draws(node)) {
              if (!own.contains(d.ref().root())) {
                String message = where != null ? loopMessage(d.ref(), d.use(), where)
                    : perElementMessage(d.ref(), d.use(), call);
                found.add(new Reuse(node, message, d.ref().text(), null, call,
                    d.use().through() != null));
              }
            }
          }
        });
      }
    }

    /**
     * A stream operation whose lambda runs per element: {@code forEach} on any object, the others
     * on a stream ({@link #isStream}).
     */
    private static boolean perElement(MethodInvocation call) {
      String name = call.getName().getIdentifier();
      if ((name.equals("generate") || name.equals("iterate"))
          && call.getExpression() instanceof Name type && STREAM_TYPES.contains(simple(type))) {
        return true; // Stream.generate(() -> ...): the supplier runs for each element
      }
      if (!PER_ELEMENT.contains(name) || call.getExpression() == null) {
        return false;
      }
      return name.equals("forEach") || name.equals("forEachOrdered") || isStream(call.getExpression());
    }

    /**
     * Syntactically a stream: {@code Stream/IntStream/LongStream/DoubleStream.*(...)},
     * {@code Arrays.stream(...)}, {@code x.stream()}, {@code x.parallelStream()}, and stream steps
     * ({@code map}, {@code filter}, {@code limit}, ...) on one. Without bindings a user's own
     * {@code map} on some other object is not one.
     */
    private static boolean isStream(Expression e) {
      if (!(e instanceof MethodInvocation mi)) {
        return e instanceof ParenthesizedExpression p && isStream(p.getExpression());
      }
      String name = mi.getName().getIdentifier();
      Expression receiver = mi.getExpression();
      if (receiver instanceof Name type && (STREAM_TYPES.contains(simple(type))
          || (simple(type).equals("Arrays") && name.equals("stream")))) {
        return true;
      }
      if (receiver != null && (name.equals("stream") || name.equals("parallelStream"))
          && mi.arguments().isEmpty()) {
        return true;
      }
      return STREAM_STEPS.contains(name) && receiver != null && isStream(receiver);
    }

    private static String simple(Name name) {
      return name instanceof QualifiedName q ? q.getName().getIdentifier()
          : ((SimpleName) name).getIdentifier();
    }

    /** {@code Init.zeros().init(key, ...)} and the other constant initializers ignore the key. */
    private static boolean drawsOnInit(MethodInvocation init) {
      return !(init.getExpression() instanceof MethodInvocation factory
          && factory.getExpression() instanceof Name owner
          && (owner.getFullyQualifiedName().equals("Init")
              || owner.getFullyQualifiedName().equals(ENGINE + ".Init"))
          && CONSTANT_INITIALIZERS.contains(factory.getName().getIdentifier()));
    }

    private boolean onRandom(MethodInvocation call) {
      return on(call, "Random", imports.random);
    }

    /** A static call on the engine's {@code simple} class ({@code Random.normal}). */
    private static boolean on(MethodInvocation call, String simple, boolean visible) {
      if (!(call.getExpression() instanceof Name receiver)) {
        return false;
      }
      String name = receiver.getFullyQualifiedName();
      return (visible && name.equals(simple)) || name.equals(ENGINE + "." + simple);
    }

    private Set<String> assignedIn(ASTNode node) {
      Set<String> names = new HashSet<>();
      node.accept(new ASTVisitor() {
        @Override
        public boolean visit(Assignment a) {
          if (a.getLeftHandSide() instanceof SimpleName n) {
            names.add(n.getIdentifier());
          }
          return true;
        }

        @Override
        public boolean visit(VariableDeclarationFragment f) {
          names.add(f.getName().getIdentifier());
          return true;
        }

        @Override
        public boolean visit(SingleVariableDeclaration d) {
          names.add(d.getName().getIdentifier());
          return true;
        }
      });
      return names;
    }

    // ---- messages

    private String reuseMessage(KeyRef ref, Use first, Use second) {
      String key = ref.text();
      String previous = first.carriedOver() == null ? ""
          : " in the previous iteration of the loop at line " + line(first.carriedOver());
      if (!first.via().equals(key)) { // a copy: Key k2 = key, c ? key : other, p.key(), keep(key)
        boolean plainCopy = ref.variable() && first.via().matches("[\\p{L}_$][\\p{L}\\p{N}_$]*");
        return "Key '" + key + "' is drawn from again by " + describe(second) + " after "
            + describe(first) + previous + " drew from '" + first.via() + "', which holds the "
            + "same key (" + (plainCopy ? "assigning a Key copies the reference, not the key"
                : "a Key kept in a record, pair, list or array, or returned by a method, is the "
                + "same reference, not a new key")
            + "), without a split between: draws from one key are correlated (often the same "
            + "bits). Fix: split it once and give each draw its own key: var ks = Random.split("
            + first.via() + "); ... ks.first() ... ks.second().";
      }
      String fix = ref.variable() ? "split it: var ks = Random.split(" + key + "); " + key
          + " = ks.first(); ... ks.second()."
          : "split it once and give each draw its own key: var ks = Random.split(" + key
              + "); ... ks.first() ... ks.second(), or split more keys where it was made "
              + "(Random.split(key, n)).";
      return "Key '" + key + "' is drawn from again by " + describe(second) + " after "
          + describe(first) + previous
          + " without being split or reassigned: draws from one key are correlated (often the "
          + "same bits). Fix: " + fix;
    }

    private String loopMessage(KeyRef ref, Use use, String where) {
      String key = ref.text();
      return "Key '" + key + "' is drawn from by " + describe(use) + " on every iteration of "
          + where + ", which does not reassign it: every iteration "
          + "gets the same random numbers. Fix: fold in the step: Random.foldIn(" + key
          + ", i)" + (ref.variable() ? ", or split and reassign the key each iteration: var ks = "
              + "Random.split(" + key + "); " + key + " = ks.first(); draw with ks.second()."
              : ".");
    }

    private String perElementMessage(KeyRef ref, Use use, MethodInvocation operation) {
      String key = ref.text();
      return "Key '" + key + "' is drawn from by " + describe(use) + " in the lambda given to "
          + Snippets.call(operation) + " at line " + line(operation) + ", which runs once per "
          + "element and cannot reassign the captured key: every element gets the same random "
          + "numbers. Fix: fold in the element's index: Random.foldIn(" + key + ", i), or "
          + "split off a key per element: Random.split(" + key + ", n).get(i).";
    }

    /** {@code Random.normal(...) at line 5}, or {@code noise(...) at line 9 (through ...)}. */
    private String describe(Use use) {
      String text = Snippets.call(use.call()) + " at line " + line(use.call());
      if (use.through() != null) {
        return text + " (through " + use.through() + ")";
      }
      return use.draw() == use.call() ? text
          : text + " (through " + Snippets.call(use.draw()) + " at line " + line(use.draw()) + ")";
    }

    private int line(ASTNode node) {
      return cu.getLineNumber(node.getStartPosition());
    }
  }
}
