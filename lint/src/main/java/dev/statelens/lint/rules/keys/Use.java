package dev.statelens.lint.rules.keys;

import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.Statement;

/**
 * A consuming use of a key: the call that takes it, and the draw that consumes it — the same
 * call, or for a method or constructor of this file, the draw inside it. {@code carriedOver}:
 * the loop whose previous iteration made this use, when the current pass is that loop's second.
 * {@code via}: the variable the call was given (an alias of the key may have another name).
 * {@code through}: for a method of another file, its draw as that file exported it.
 */
record Use(ASTNode call, ASTNode draw, Statement carriedOver, String via, String through) {
  Use(ASTNode call, ASTNode draw, Statement carriedOver, String via) {
    this(call, draw, carriedOver, via, null);
  }
}
