package dev.statelens.lint.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;

/**
 * One class body's methods and fields by name, indexed once. Resolving a call or a field name
 * scanned every member of the class each time: in a 5,000-line class with a thousand members,
 * re-analysing it as you type spent a third of its time in those scans.
 */
public final class TypeMembers {
  private final Map<String, List<MethodDeclaration>> methods = new HashMap<>();
  private final List<MethodDeclaration> constructors = new ArrayList<>();
  private final Map<String, FieldDeclaration> fields = new HashMap<>();
  private final Map<String, VariableDeclaration> fragments = new HashMap<>();

  private TypeMembers(List<?> bodyDeclarations) {
    for (Object member : bodyDeclarations) {
      if (member instanceof MethodDeclaration m) {
        if (m.isConstructor()) {
          constructors.add(m);
        } else {
          methods.computeIfAbsent(m.getName().getIdentifier(), k -> new ArrayList<>(1)).add(m);
        }
      } else if (member instanceof FieldDeclaration f) {
        for (Object fragment : f.fragments()) {
          VariableDeclaration v = (VariableDeclaration) fragment;
          fields.putIfAbsent(v.getName().getIdentifier(), f);
          fragments.putIfAbsent(v.getName().getIdentifier(), v);
        }
      }
    }
  }

  /** The index of the body of {@code typeNode}: a type declaration (class, enum, record...) or an anonymous class. */
  public static TypeMembers of(ASTNode typeNode) {
    return new TypeMembers(typeNode instanceof AbstractTypeDeclaration d ? d.bodyDeclarations()
        : ((AnonymousClassDeclaration) typeNode).bodyDeclarations());
  }

  /** The methods (not constructors) of that name, in the order they are declared. */
  public List<MethodDeclaration> methods(String name) {
    return methods.getOrDefault(name, List.of());
  }

  /** The constructors, in the order they are declared. */
  public List<MethodDeclaration> constructors() {
    return constructors;
  }

  /** The field declaration that declares {@code name} first, or null. */
  public FieldDeclaration field(String name) {
    return fields.get(name);
  }

  /** The fragment that declares the field {@code name} first, or null. */
  public VariableDeclaration fieldFragment(String name) {
    return fragments.get(name);
  }
}
