package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.NameResolver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.SuperFieldAccess;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Keys held in fields: a {@code Key} field of the class around a body ({@code key},
 * {@code this.key}) is a key variable of that body, holding the same key until the body assigns
 * it or runs code that may ({@link #renewedBy}). Followed only where that code is plain from the
 * file: a field that a lambda, an anonymous or another class of the file assigns is not
 * followed, nor in a member that declares a local or parameter of the same name.
 */
final class FieldKeys {
  private final FileScope file;
  /** Class -> its Key fields that are followed (assigned only by the class's own members). */
  private final Map<ASTNode, Set<String>> followed = new IdentityHashMap<>();
  /** Method or constructor -> the fields of its class it may assign, itself or through calls. */
  private Map<MethodDeclaration, Set<String>> assigns;
  /** Class -> the fields some member of it assigns (what a call back into it may change). */
  private final Map<ASTNode, Set<String>> assignedInType = new IdentityHashMap<>();

  FieldKeys(FileScope file) {
    this.file = file;
  }

  /**
   * The fields {@code body} follows as keys: the class's followed Key fields that its member
   * (the method around {@code body}, with its lambdas) declares no local or parameter of.
   */
  Set<String> followedIn(ASTNode body) {
    ASTNode type = NameResolver.enclosingTypeNode(body);
    if (!(type instanceof AbstractTypeDeclaration)) {
      return Set.of();
    }
    Set<String> fields = followed.computeIfAbsent(type, this::followedOf);
    if (fields.isEmpty()) {
      return Set.of();
    }
    ASTNode member = body;
    while (member.getParent() != type) {
      member = member.getParent();
    }
    Set<String> out = new LinkedHashSet<>(fields);
    member.accept(new Walk(Nested.ALL) {
      @Override
      public boolean visit(SingleVariableDeclaration node) {
        out.remove(node.getName().getIdentifier());
        return true;
      }

      @Override
      public boolean visit(VariableDeclarationFragment node) {
        if (!(node.getParent() instanceof FieldDeclaration)) {
          out.remove(node.getName().getIdentifier());
        }
        return true;
      }
    });
    return out;
  }

  private Set<String> followedOf(ASTNode type) {
    Set<String> fields = new LinkedHashSet<>();
    for (Object o : ((AbstractTypeDeclaration) type).bodyDeclarations()) {
      if (o instanceof FieldDeclaration f && file.imports.isKey(f.getType())) {
        for (Object v : f.fragments()) {
          VariableDeclarationFragment fragment = (VariableDeclarationFragment) v;
          if (fragment.getExtraDimensions() == 0) {
            fields.add(fragment.getName().getIdentifier());
          }
        }
      }
    }
    if (fields.isEmpty()) {
      return fields;
    }
    // an assignment of the name anywhere else in the file: the field may change unseen
    file.cu.accept(new Walk(Nested.ALL) {
      @Override
      public boolean visit(Assignment a) {
        String name = assigned(a.getLeftHandSide());
        if (name != null && fields.contains(name) && ownerOf(a) != type) {
          fields.remove(name);
        }
        return true;
      }
    });
    return fields;
  }

  /** The class whose own member code {@code node} is, or null inside a lambda or anonymous class. */
  private static ASTNode ownerOf(ASTNode node) {
    for (ASTNode n = node.getParent(); n != null; n = n.getParent()) {
      if (n instanceof LambdaExpression || n instanceof AnonymousClassDeclaration) {
        return null;
      }
      if (n instanceof AbstractTypeDeclaration) {
        return n;
      }
    }
    return null;
  }

  /** The name an assignment's left side writes: {@code f}, {@code this.f}, {@code x.f}. */
  private static String assigned(Expression left) {
    return switch (left) {
      case SimpleName n -> n.getIdentifier();
      case FieldAccess f -> f.getName().getIdentifier();
      case SuperFieldAccess f -> f.getName().getIdentifier();
      case QualifiedName q -> q.getName().getIdentifier();
      case null, default -> null;
    };
  }

  /**
   * The fields of the class around {@code call} that it may assign, of {@code fields}: a method
   * or constructor of the class that assigns them (itself or through the class's methods it
   * calls); a call the file does not resolve on {@code this} (an inherited method may call an
   * override back) or one given {@code this}: whatever any member of the class assigns.
   */
  Set<String> renewedBy(ASTNode call, Set<String> fields) {
    ASTNode type = NameResolver.enclosingTypeNode(call);
    if (!(type instanceof AbstractTypeDeclaration)) {
      return Set.of();
    }
    Set<String> renewed = new HashSet<>();
    for (Object a : Syntax.arguments(call)) {
      if (a instanceof ThisExpression self && self.getQualifier() == null) {
        renewed.addAll(assignedIn(type));
      }
    }
    switch (call) {
      case MethodInvocation mi when mi.getExpression() == null
          || (mi.getExpression() instanceof ThisExpression self && self.getQualifier() == null) -> {
        SameFileMethods.Lookup target = file.methods.lookup(mi);
        if (target.method() != null) {
          if (target.method().getParent() == type) {
            renewed.addAll(assigns().getOrDefault(target.method(), Set.of()));
          }
        } else {
          renewed.addAll(assignedIn(type)); // inherited, or overloads not told apart
        }
      }
      case SuperMethodInvocation s -> renewed.addAll(assignedIn(type));
      case SuperConstructorInvocation s -> renewed.addAll(assignedIn(type));
      case ConstructorInvocation c -> {
        SameFileMethods.Lookup target = file.methods.constructor(c);
        renewed.addAll(target.method() != null
            ? assigns().getOrDefault(target.method(), Set.of()) : assignedIn(type));
      }
      default -> { }
    }
    renewed.retainAll(fields);
    return renewed;
  }

  /** The fields of {@code fields} that code in {@code node} (lambdas too) may assign. */
  Set<String> renewedIn(ASTNode node, Set<String> fields) {
    Set<String> renewed = new HashSet<>();
    node.accept(new Walk(Nested.ALL) {
      @Override
      public boolean visit(Assignment a) {
        String name = NameResolver.thisFieldName(a.getLeftHandSide());
        if (name != null) {
          renewed.add(name);
        }
        return true;
      }

      @Override
      public boolean visit(MethodInvocation node) {
        renewed.addAll(renewedBy(node, fields));
        return true;
      }

      @Override
      public boolean visit(SuperMethodInvocation node) {
        renewed.addAll(renewedBy(node, fields));
        return true;
      }

      @Override
      public boolean visit(ClassInstanceCreation node) {
        renewed.addAll(renewedBy(node, fields));
        return true;
      }
    });
    renewed.retainAll(fields);
    return renewed;
  }

  private Set<String> assignedIn(ASTNode type) {
    return assignedInType.computeIfAbsent(type, t -> {
      Set<String> all = new HashSet<>();
      assigns().forEach((m, fields) -> {
        if (m.getParent() == t) {
          all.addAll(fields);
        }
      });
      return all;
    });
  }

  /**
   * Each method's assigned fields (names assigned in its own code, {@code f = ...} or
   * {@code this.f = ...}), then those of the methods and constructors of its class it calls,
   * until nothing changes.
   */
  private Map<MethodDeclaration, Set<String>> assigns() {
    if (assigns != null) {
      return assigns;
    }
    assigns = new IdentityHashMap<>();
    Map<MethodDeclaration, List<MethodDeclaration>> calls = new HashMap<>();
    for (MethodDeclaration m : file.methods.all()) {
      if (m.getBody() == null) {
        continue;
      }
      Set<String> direct = new HashSet<>();
      List<MethodDeclaration> callees = new java.util.ArrayList<>();
      m.getBody().accept(new Walk(Nested.OWN) {
        @Override
        public boolean visit(Assignment a) {
          String name = a.getLeftHandSide() instanceof SimpleName n ? n.getIdentifier()
              : NameResolver.thisFieldName(a.getLeftHandSide());
          if (name != null) {
            direct.add(name);
          }
          return true;
        }

        @Override
        public boolean visit(MethodInvocation mi) {
          if (mi.getExpression() == null || mi.getExpression() instanceof ThisExpression) {
            MethodDeclaration target = file.methods.lookup(mi).method();
            if (target != null && target.getParent() == m.getParent()) {
              callees.add(target);
            }
          }
          return true;
        }

        @Override
        public boolean visit(ConstructorInvocation c) {
          MethodDeclaration target = file.methods.constructor(c).method();
          if (target != null) {
            callees.add(target);
          }
          return true;
        }
      });
      assigns.put(m, direct);
      calls.put(m, callees);
    }
    boolean changed = true;
    while (changed) { // the sets only grow, bounded by the class's fields
      changed = false;
      for (var entry : calls.entrySet()) {
        Set<String> mine = assigns.get(entry.getKey());
        for (MethodDeclaration callee : entry.getValue()) {
          changed |= mine.addAll(assigns.getOrDefault(callee, Set.of()));
        }
      }
    }
    return assigns;
  }
}
