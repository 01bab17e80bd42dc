package dev.statelens.lint.incremental;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.TypeDeclaration;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;

/**
 * The methods and constructors with a body that a file's named types declare, in source order:
 * the units a saved edit is re-analyzed by. Everything else (imports, type and field
 * declarations, signatures, initializers, enum constants) is the file's skeleton: an edit there
 * re-analyzes the whole file.
 */
public final class Members {

  /**
   * @param declStart where the declaration starts (Javadoc and annotations included)
   * @param bodyStart the body's opening brace
   * @param bodyEnd one past the body's closing brace
   * @param name the method's simple name
   * @param constructor whether it is a constructor
   * @param standalone whether its class extends and implements nothing and is no interface, enum
   *     or record: no other declaration depends on the method being there (it overrides and
   *     implements nothing), so a parse that does not need it may leave it out
   */
  public record Member(int ordinal, int declStart, int bodyStart, int bodyEnd, String name,
      boolean constructor, boolean standalone) {

    public boolean contains(int offset) {
      return offset >= declStart && offset < bodyEnd;
    }
  }

  private final List<Member> members;

  private Members(List<Member> members) {
    this.members = members;
  }

  public static Members of(CompilationUnit cu) {
    List<Member> out = new ArrayList<>();
    for (MethodDeclaration method : declarations(cu)) {
      int start = method.getBody().getStartPosition();
      boolean standalone = method.getParent() instanceof TypeDeclaration type
          && !type.isInterface() && type.getSuperclassType() == null
          && type.superInterfaceTypes().isEmpty() && type.permittedTypes().isEmpty();
      out.add(new Member(out.size(), method.getStartPosition(), start,
          start + method.getBody().getLength(), method.getName().getIdentifier(),
          method.isConstructor(), standalone));
    }
    return new Members(List.copyOf(out));
  }

  /** The members' declarations in {@code cu}, in the order of {@link #of}. */
  public static List<MethodDeclaration> declarations(CompilationUnit cu) {
    List<MethodDeclaration> out = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodDeclaration method) {
        if (method.getBody() != null && method.getParent() instanceof AbstractTypeDeclaration) {
          out.add(method);
        }
        return false; // methods do not nest; local and anonymous classes belong to their body
      }

      @Override
      public boolean visit(AnonymousClassDeclaration anonymous) {
        return false; // in a field initializer or enum constant: skeleton
      }

      @Override
      public boolean visit(TypeDeclarationStatement local) {
        return false;
      }
    });
    return out;
  }

  /**
   * The same members at new positions ({@code move} maps an old offset to the new one, or -1);
   * null where a member's start or its body's braces do not map.
   */
  public Members moved(java.util.function.IntUnaryOperator move) {
    List<Member> out = new ArrayList<>(members.size());
    for (Member m : members) {
      int declStart = move.applyAsInt(m.declStart());
      int bodyStart = move.applyAsInt(m.bodyStart());
      int bodyLast = move.applyAsInt(m.bodyEnd() - 1);
      if (declStart < 0 || bodyStart < 0 || bodyLast < 0) {
        return null;
      }
      out.add(new Member(m.ordinal(), declStart, bodyStart, bodyLast + 1, m.name(),
          m.constructor(), m.standalone()));
    }
    return new Members(List.copyOf(out));
  }

  public List<Member> all() {
    return members;
  }

  public int size() {
    return members.size();
  }

  public Member get(int ordinal) {
    return members.get(ordinal);
  }

  /** The member whose declaration contains {@code offset}, or -1 (skeleton). */
  public int at(int offset) {
    int lo = 0;
    int hi = members.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Member m = members.get(mid);
      if (offset < m.declStart()) {
        hi = mid - 1;
      } else if (offset >= m.bodyEnd()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The member containing a node, or -1. */
  public int at(ASTNode node) {
    return at(node.getStartPosition());
  }

  /**
   * The one member whose body holds every changed token of {@code diff}, with the same ordinal in
   * both versions and every other member's braces at corresponding tokens: -1 when only comments
   * or whitespace changed, -2 when the edit is not confined to one body (or the structure moved).
   */
  public static int changedBody(TokenDiff diff, Members before, Members after) {
    if (before.size() != after.size()) {
      return -2;
    }
    int changed = -1;
    for (int i = 0; i < before.size(); i++) {
      Member b = before.get(i);
      Member a = after.get(i);
      int openBefore = diff.before().startingAt(b.bodyStart());
      int closeBefore = diff.before().startingAt(b.bodyEnd() - 1);
      int openAfter = diff.after().startingAt(a.bodyStart());
      int closeAfter = diff.after().startingAt(a.bodyEnd() - 1);
      if (openBefore < 0 || closeBefore < 0 || openAfter < 0 || closeAfter < 0
          || diff.mapToken(openBefore) != openAfter || diff.mapToken(closeBefore) != closeAfter) {
        return -2;
      }
      boolean holdsChange = !diff.sameTokens() && openBefore < diff.firstChanged()
          && closeBefore >= diff.endChangedBefore() && openAfter < diff.firstChanged()
          && closeAfter >= diff.endChangedAfter();
      if (holdsChange) {
        changed = i;
      }
    }
    return diff.sameTokens() ? -1 : changed >= 0 ? changed : -2;
  }
}
