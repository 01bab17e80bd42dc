package dev.statelens.lint.rules.keys;

import dev.statelens.lint.rules.keys.KeyReuseRule.Reuse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Draws inside a lambda from a key the lambda captures from its body. A captured local cannot be
 * reassigned in the lambda, so each run of it draws from the same key: a reuse when the lambda
 * runs per step or element, and (summarizing) a draw from the method's parameter whenever it runs.
 */
final class CapturedKeys {
  private CapturedKeys() {}

  /**
   * Summarizing: a lambda in the method that draws from one of its {@code Key} parameters
   * (captured, so never reassigned: the caller's key) consumes it, whenever it runs — also from
   * a lambda within it ({@link Nested#LAMBDAS}).
   */
  static void drawnInLambda(LambdaExpression lambda, ConsumingCalls calls, Set<String> parameters,
      Map<String, ASTNode> drawnParameters) {
    lambda.getBody().accept(new Walk(Nested.LAMBDAS) {
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
        for (Draw d : calls.draws(call)) {
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
   * Lambdas that run once per step or element and draw from a key captured from this body:
   * {@code Lax.forI/scan/whileLoop}'s body, and a stream operation's lambda
   * ({@code IntStream.range(0, n).mapToObj(i -> Random.normal(key, 3))}, {@code forEach}).
   * Lambdas passed anywhere else (to {@code jit}, a {@code Supplier}, {@code Optional.map}) may
   * run once or never: not reported.
   */
  static void perStep(MethodInvocation call, ConsumingCalls calls, Messages messages,
      Imports imports, List<Reuse> found, Function<LambdaExpression, Set<String>> renewedFields) {
    String where;
    if (PerElement.laxLoop(call, imports)) {
      where = "the body of Lax." + call.getName().getIdentifier() + " at line "
          + messages.line(call);
    } else if (PerElement.perElement(call)) {
      where = null;
    } else {
      return;
    }
    for (Object o : call.arguments()) {
      if (!(o instanceof LambdaExpression lambda)) {
        continue;
      }
      Set<String> own = new HashSet<>(); // the lambda's own names, nested ones too
      lambda.accept(new Walk(Nested.ALL) {
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
      own.addAll(renewedFields.apply(lambda)); // a field the lambda assigns: a new key each run
      // a nested lambda may not run each step
      lambda.getBody().accept(new Walk(Nested.LOCAL_CLASSES) {
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
          for (Draw d : calls.draws(node)) {
            if (!own.contains(d.ref().root())) {
              String message = where != null ? messages.loop(d.ref(), d.use(), where)
                  : messages.perElement(d.ref(), d.use(), call);
              found.add(new Reuse(node, message, d.ref().text(), null, call,
                  d.use().through() != null));
            }
          }
        }
      });
    }
  }
}
