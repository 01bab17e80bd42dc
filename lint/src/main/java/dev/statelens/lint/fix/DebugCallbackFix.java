package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.analysis.KnownApis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.PostfixExpression;
import org.eclipse.jdt.core.dom.PrefixExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Moves a logger call or file write out of tracing and into {@code Debug.callback}, which runs it
 * on the host with the run-time values on every call:
 * {@code logger.info("loss " + loss)} → {@code Debug.callback(v -> logger.info("loss " + v[0]), loss)}.
 * The arrays the call reads (locals and parameters declared {@code Array}) become the callback's
 * arguments and {@code v[i]} inside; a file write, which declares IOException, is wrapped in a try
 * that rethrows it unchecked. Offered only where the result compiles: the call is a statement of
 * its own, reads at least one array, and every other local it reads is effectively final (the
 * lambda captures it). Syntax only: types come from the declarations in the enclosing member (a
 * {@code var} local is an array when it is initialised by array operations on an array local).
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
    Map<String, Declared> locals = read.locals();
    Map<String, Integer> arrays = read.arrays();
    List<SimpleName> arrayUses = read.arrayUses();
    String v = freshName(locals.keySet());
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

  /** What the call reads: the member's declarations, its array locals (in order of first use). */
  private record Reads(Map<String, Declared> locals, Map<String, Integer> arrays, List<SimpleName> arrayUses) {}

  /** The call's {@link Reads}, or a String saying why it cannot go into Debug.callback. */
  private static Object reads(MethodInvocation call) {
    if (call == null || !(call.getParent() instanceof ExpressionStatement)) {
      return "the call is not a statement of its own (Debug.callback returns nothing)";
    }
    BodyDeclaration member = QuickFixes.ancestor(call, BodyDeclaration.class);
    if (member == null) {
      return "the call is not inside a method";
    }
    Map<String, Declared> locals = declarations(member);
    Map<String, Integer> arrays = new LinkedHashMap<>();
    List<SimpleName> arrayUses = new ArrayList<>();
    String[] captured = {null};
    call.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (!isVariableUse(name)) {
          return false;
        }
        Declared d = locals.get(name.getIdentifier());
        if (d == null) {
          return false; // a field, or a name the fix does not need to capture safely
        }
        if (d.isArray()) {
          arrays.putIfAbsent(name.getIdentifier(), arrays.size());
          arrayUses.add(name);
        } else if (d.assigned() && captured[0] == null) {
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
    return new Reads(locals, arrays, arrayUses);
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

  /** How a local or parameter is declared in the member, and whether it is assigned after that. */
  private record Declared(String type, boolean assigned) {
    boolean isArray() {
      return type.equals("Array") || type.equals("dev.statelens.engine.Array");
    }
  }

  /**
   * The locals and parameters of {@code member} (lambda parameters included) by name. A name
   * declared twice with different types gets the type "?" (neither an array nor trusted).
   */
  private static Map<String, Declared> declarations(BodyDeclaration member) {
    Map<String, String> types = new HashMap<>();
    Map<String, Integer> writes = new HashMap<>();
    member.accept(new ASTVisitor() {
      @Override
      public boolean visit(SingleVariableDeclaration d) {
        declare(d.getName().getIdentifier(), d.getType().toString(), d.getInitializer() != null);
        return true;
      }

      @Override
      public boolean visit(VariableDeclarationFragment f) {
        String type = switch (f.getParent()) {
          case VariableDeclarationStatement s -> s.getType().toString();
          case VariableDeclarationExpression e -> e.getType().toString();
          case org.eclipse.jdt.core.dom.LambdaExpression l -> "?"; // an implicitly typed lambda parameter
          default -> null; // a field of a local or anonymous class
        };
        if (type != null) {
          declare(f.getName().getIdentifier(), type, f.getInitializer() != null);
        }
        return true;
      }

      private void declare(String name, String type, boolean initialized) {
        types.merge(name, type, (a, b) -> a.equals(b) ? a : "?");
        if (!initialized) {
          writes.merge(name, -1, Integer::sum); // its first assignment is its definition
        }
      }

      @Override
      public boolean visit(Assignment a) {
        if (a.getLeftHandSide() instanceof SimpleName n) {
          writes.merge(n.getIdentifier(), 1, Integer::sum);
        }
        return true;
      }

      @Override
      public boolean visit(PrefixExpression p) {
        if (p.getOperand() instanceof SimpleName n && (p.getOperator() == PrefixExpression.Operator.INCREMENT
            || p.getOperator() == PrefixExpression.Operator.DECREMENT)) {
          writes.merge(n.getIdentifier(), 1, Integer::sum);
        }
        return true;
      }

      @Override
      public boolean visit(PostfixExpression p) {
        if (p.getOperand() instanceof SimpleName n) {
          writes.merge(n.getIdentifier(), 1, Integer::sum);
        }
        return true;
      }
    });
    Map<String, Declared> result = new HashMap<>();
    types.forEach((name, type) -> result.put(name, new Declared(type, writes.getOrDefault(name, 0) > 0)));
    // var locals: an Array when their initializer is a call chain on an Array local that ends in an
    // array operation (pred.sub(y).square().mean(), not x.item() or x.shape()); in declaration order
    member.accept(new ASTVisitor() {
      @Override
      public boolean visit(VariableDeclarationFragment f) {
        if (f.getParent() instanceof VariableDeclarationStatement s && s.getType().toString().equals("var")
            && f.getInitializer() instanceof MethodInvocation init
            && !KnownApis.isConcreteResult(init.getName().getIdentifier())
            && chainRoot(init) instanceof SimpleName root
            && result.get(root.getIdentifier()) instanceof Declared d && d.isArray()) {
          String name = f.getName().getIdentifier();
          Declared declared = result.get(name);
          if (declared != null && declared.type().equals("var")) {
            result.put(name, new Declared("Array", declared.assigned()));
          }
        }
        return true;
      }
    });
    return result;
  }

  /** The receiver a chain of calls starts from: {@code pred} in {@code pred.sub(y).square()}. */
  private static org.eclipse.jdt.core.dom.Expression chainRoot(MethodInvocation call) {
    org.eclipse.jdt.core.dom.Expression e = call;
    while (e instanceof MethodInvocation m && m.getExpression() != null) {
      e = m.getExpression();
    }
    return e;
  }

  /** {@code v}, or {@code v2}, {@code v3}... when the member already uses that name. */
  private static String freshName(Set<String> taken) {
    String v = "v";
    for (int i = 2; taken.contains(v); i++) {
      v = "v" + i;
    }
    return v;
  }
}
