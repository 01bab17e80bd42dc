package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.analysis.KnownApis;
import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.WriteVisitor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Moves a logger call or file write out of tracing and into {@code Debug.callback}, which runs it
 * on the host with the run-time values on every call:
 * {@code logger.info("loss " + loss)} → {@code Debug.callback(v -> logger.info("loss " + v[0]), loss)}.
 * The arrays the call reads (locals and parameters declared {@code Array}) become the callback's
 * arguments and {@code v[i]} inside; a file write, which declares IOException, is wrapped in a try
 * that rethrows it unchecked. Offered only where the result compiles: the call is a statement of
 * its own, reads at least one array, and every other local it reads is effectively final (the
 * lambda captures it). Syntax only: types come from the declaration in scope at each use
 * ({@link DeclaredTypes}; a {@code var} local is an array when it is initialised by array
 * operations on an array local).
 */
public final class DebugCallbackFix {

  static final String DEBUG = "dev.statelens.engine.Debug";

  private DebugCallbackFix() {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    MethodInvocation call = QuickFixes.ancestor(QuickFixes.nodeAt(edits.cu, finding), MethodInvocation.class);
    Object reads = reads(call);
    if (!(reads instanceof Reads read)) {
      return notApplicable((String) reads);
    }
    Map<String, Integer> arrays = read.arrays();
    List<SimpleName> arrayUses = read.arrayUses();
    String v = DeclaredTypes.freshName("v", DeclaredTypes.namesDeclaredIn(read.member()));
    String body = withArrayReads(edits, call, arrayUses, arrays, v);
    if (KnownApis.IO_EXCEPTION_WRITES.contains(call.getName().getIdentifier())) {
      String io = edits.type("java.io.IOException");
      String unchecked = edits.type("java.io.UncheckedIOException");
      String indent = lineIndent(edits.source, call.getStartPosition());
      body = "{\n" + indent + "  try {\n" + indent + "    " + body + ";\n" + indent + "  } catch (" + io + " e) {\n"
          + indent + "    throw new " + unchecked + "(e);\n" + indent + "  }\n" + indent + "}";
    }
    StringBuilder replacement = new StringBuilder(edits.type(DEBUG)).append(".callback(").append(v).append(" -> ")
        .append(body);
    arrays.keySet().forEach(a -> replacement.append(", ").append(a));
    replacement.append(')');
    edits.replace(call, replacement.toString());
    return files.applied(FixId.DEBUG_CALLBACK, "Run it in Debug.callback on the run-time values of "
        + String.join(", ", arrays.keySet()));
  }

  /**
   * Null when {@link #apply} rewrites {@code call} (syntax only, so the rule offers the fix just
   * where it applies), else why not.
   */
  public static String whyNotApplicable(MethodInvocation call) {
    return reads(call) instanceof String reason ? reason : null;
  }

  /** What the call reads: its member, its array locals (in order of first use) and their uses. */
  private record Reads(BodyDeclaration member, Map<String, Integer> arrays, List<SimpleName> arrayUses) {}

  /** The call's {@link Reads}, or a String saying why it cannot go into Debug.callback. */
  private static Object reads(MethodInvocation call) {
    if (call == null || !(call.getParent() instanceof ExpressionStatement)) {
      return "the call is not a statement of its own (Debug.callback returns nothing)";
    }
    BodyDeclaration member = QuickFixes.ancestor(call, BodyDeclaration.class);
    if (member == null) {
      return "the call is not inside a method";
    }
    Map<String, Integer> arrays = new LinkedHashMap<>();
    List<SimpleName> arrayUses = new ArrayList<>();
    String[] captured = {null};
    call.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (!isVariableUse(name)) {
          return false;
        }
        DeclaredTypes.Declared d = DeclaredTypes.at(name);
        if (d == null || d.field()) {
          return false; // a field (the lambda reads it as it is then), or not a variable of the file
        }
        if (isArray(d, 0)) {
          arrays.putIfAbsent(name.getIdentifier(), arrays.size());
          arrayUses.add(name);
        } else if (assignedAgain(d.declaration()) && captured[0] == null) {
          captured[0] = name.getIdentifier();
        }
        return false;
      }
    });
    if (arrays.isEmpty()) {
      return "the call reads no local or parameter declared Array: nothing to hand to Debug.callback";
    }
    if (captured[0] != null) {
      return "'" + captured[0] + "' is assigned elsewhere, so the callback's lambda cannot capture it "
          + "(it must be effectively final)";
    }
    return new Reads(member, arrays, arrayUses);
  }

  /** The whitespace that starts the line holding {@code offset}. */
  private static String lineIndent(String source, int offset) {
    int start = source.lastIndexOf('\n', offset - 1) + 1;
    int end = start;
    while (end < source.length() && (source.charAt(end) == ' ' || source.charAt(end) == '\t')) {
      end++;
    }
    return source.substring(start, end);
  }

  private static FixOutcome notApplicable(String reason) {
    return new FixOutcome.NotApplicable(FixId.DEBUG_CALLBACK, reason);
  }

  /** The call's text with each array read replaced by {@code v[i]}. */
  private static String withArrayReads(Edits edits, MethodInvocation call, List<SimpleName> uses,
      Map<String, Integer> index, String v) {
    String text = edits.text(call);
    int base = call.getStartPosition();
    StringBuilder sb = new StringBuilder(text);
    for (int i = uses.size() - 1; i >= 0; i--) { // from the end, so earlier offsets stay valid
      SimpleName use = uses.get(i);
      int at = use.getStartPosition() - base;
      sb.replace(at, at + use.getLength(), v + "[" + index.get(use.getIdentifier()) + "]");
    }
    return sb.toString();
  }

  /** A name that reads a variable: not a method name, a field after a dot, or a declaration. */
  private static boolean isVariableUse(SimpleName name) {
    ASTNode parent = name.getParent();
    return !(parent instanceof MethodInvocation mi && mi.getName() == name)
        && !(parent instanceof QualifiedName qn && qn.getName() == name)
        && !(parent instanceof FieldAccess fa && fa.getName() == name)
        && !name.isDeclaration()
        && !(parent instanceof Type);
  }

  /**
   * Whether a local holds an engine array: declared {@code Array}, or a {@code var} initialised by
   * a chain of array operations on such a local ({@code var loss = pred.sub(y).square().mean()},
   * not {@code x.item()} or {@code x.shape()}).
   */
  private static boolean isArray(DeclaredTypes.Declared d, int depth) {
    if (d.isArray()) {
      return true;
    }
    return depth < 8 && d.type().equals("var")
        && d.declaration().getInitializer() instanceof MethodInvocation init
        && !KnownApis.isConcreteResult(init.getName().getIdentifier())
        && chainRoot(init) instanceof SimpleName root
        && DeclaredTypes.at(root) instanceof DeclaredTypes.Declared r && !r.field() && isArray(r, depth + 1);
  }

  /**
   * Whether a local is assigned after its declaration, so a lambda cannot capture it: written at
   * all when it was declared with a value (a parameter, a for or catch variable, {@code x = ...}),
   * more than once when it was declared without one ({@code int n;}: its first write defines it).
   */
  private static boolean assignedAgain(VariableDeclaration local) {
    ASTNode scope = QuickFixes.ancestor(local, BodyDeclaration.class);
    if (scope == null) {
      return false;
    }
    String id = local.getName().getIdentifier();
    int[] writes = {0};
    scope.accept(new WriteVisitor() {
      @Override
      protected void written(org.eclipse.jdt.core.dom.Expression target) {
        if (target instanceof SimpleName n && n.getIdentifier().equals(id)
            && NameResolver.localByScope(n) == local) {
          writes[0]++;
        }
      }
    });
    boolean declaredEmpty = local instanceof VariableDeclarationFragment f && f.getInitializer() == null;
    return writes[0] > (declaredEmpty ? 1 : 0);
  }

  /** The receiver a chain of calls starts from: {@code pred} in {@code pred.sub(y).square()}. */
  private static org.eclipse.jdt.core.dom.Expression chainRoot(MethodInvocation call) {
    org.eclipse.jdt.core.dom.Expression e = call;
    while (e instanceof MethodInvocation m && m.getExpression() != null) {
      e = m.getExpression();
    }
    return e;
  }
}
