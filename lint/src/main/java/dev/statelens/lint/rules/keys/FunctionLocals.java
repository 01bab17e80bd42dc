package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.NameResolver;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Locals that hold one lambda for good: {@code var one = Transforms.jit((Key k, S s) -> ...)} (or
 * the lambda itself), never assigned again, whose parameters are all typed. A call through such a
 * local ({@code one.apply(key, s)}) runs that lambda with the arguments in order, so it draws from
 * the keys the lambda draws from ({@link Summaries} summarizes the lambda like a method). Under
 * {@code jit} too: the compiled graph is a function of the key, the same key gives the same bits.
 */
final class FunctionLocals {
  /** The calls a functional interface is run by ({@code Function.apply}, {@code Supplier.get}...). */
  private static final Set<String> RUN = Set.of("apply", "accept", "test", "get", "call", "run");

  private final Map<VariableDeclaration, LambdaExpression> lambdas = new IdentityHashMap<>();

  private FunctionLocals() {}

  static FunctionLocals of(CompilationUnit cu, Imports imports) {
    FunctionLocals out = new FunctionLocals();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(VariableDeclarationFragment f) {
        if (f.getParent() instanceof VariableDeclarationStatement
            && held(f.getInitializer(), imports) instanceof LambdaExpression l && typed(l)) {
          out.lambdas.put(f, l);
        }
        return true;
      }
    });
    if (!out.lambdas.isEmpty()) {
      cu.accept(new ASTVisitor() {
        @Override
        public boolean visit(Assignment a) {
          if (a.getLeftHandSide() instanceof SimpleName n) {
            out.lambdas.remove(NameResolver.localByScope(n)); // may hold another function later
          }
          return true;
        }
      });
    }
    return out;
  }

  /** All the lambdas these locals hold (each summarized like a method). */
  Iterable<LambdaExpression> all() {
    return lambdas.values();
  }

  /** The lambda {@code call} runs: {@code one.apply(a, b)} on such a local, with one argument per parameter. */
  LambdaExpression called(MethodInvocation call) {
    if (lambdas.isEmpty() || !(call.getExpression() instanceof SimpleName receiver)
        || !(RUN.contains(call.getName().getIdentifier())
            || call.getName().getIdentifier().startsWith("applyAs"))) {
      return null;
    }
    LambdaExpression l = lambdas.get(NameResolver.localByScope(receiver));
    return l != null && l.parameters().size() == call.arguments().size() ? l : null;
  }

  /** The lambda an initializer keeps: itself, or the one handed to {@code jit(...)} (named or not). */
  private static LambdaExpression held(Expression init, Imports imports) {
    Expression e = Syntax.unwrap(init);
    if (e instanceof LambdaExpression l) {
      return l;
    }
    if (e instanceof MethodInvocation jit && jit.getName().getIdentifier().equals("jit")
        && (jit.getExpression() == null ? imports.staticTransforms("jit")
            : Imports.on(jit, "Transforms", imports.transforms()))
        && !jit.arguments().isEmpty()
        && Syntax.unwrap((Expression) jit.arguments().getLast()) instanceof LambdaExpression l) {
      return l;
    }
    return null;
  }

  /** {@code (Key k, S s) -> ...}: every parameter's type written, so Key parameters are known. */
  private static boolean typed(LambdaExpression l) {
    List<?> parameters = l.parameters();
    return !parameters.isEmpty() && parameters.stream().allMatch(p -> p instanceof SingleVariableDeclaration);
  }
}
