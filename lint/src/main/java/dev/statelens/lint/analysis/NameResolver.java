package dev.statelens.lint.analysis;

import dev.statelens.lint.source.FieldSummary;
import dev.statelens.lint.source.TypeSummary;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.ArrayCreation;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.CatchClause;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.EnumConstantDeclaration;
import org.eclipse.jdt.core.dom.EnumDeclaration;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.IBinding;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.IVariableBinding;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.PatternInstanceofExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.RecordDeclaration;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.StringLiteral;
import org.eclipse.jdt.core.dom.SuperFieldAccess;
import org.eclipse.jdt.core.dom.SwitchStatement;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.TryStatement;
import org.eclipse.jdt.core.dom.TypeDeclaration;
import org.eclipse.jdt.core.dom.TypePattern;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Resolves names and expression types: with JDT bindings where they resolved, else by walking
 * scopes in the AST and looking types up in the project index and imports.
 */
public final class NameResolver {

  private static final int MAX_HIERARCHY_DEPTH = 12;

  /** Engine {@code Array} methods whose result is not an {@code Array}. */
  private static final Set<String> ARRAY_NON_ARRAY_RESULTS = Set.of(
      "shape", "dtype", "ndim", "size", "rank", "item", "floatValue", "doubleValue", "intValue",
      "longValue", "boolValue", "booleanValue", "toFloatArray", "toDoubleArray", "toIntArray",
      "toBooleanArray", "toString", "equals", "hashCode", "isTracer", "getClass");

  private final Units units;
  private CallResolver calls;

  public NameResolver(Units units) {
    this.units = units;
  }

  void setCallResolver(CallResolver calls) {
    this.calls = calls;
  }

  public Units units() {
    return units;
  }

  // ---------------------------------------------------------------- names

  /** Memo of {@link #resolve}: the analysis asks about the same names in every fixpoint round. */
  private final Map<SimpleName, Symbol> symbols = new IdentityHashMap<>();
  /** Memo of {@link #typeOf} (null values included). */
  private final Map<Expression, TypeRef> types = new IdentityHashMap<>();
  /** Each class body's members by name, indexed on first use ({@link #members}). */
  private final Map<ASTNode, TypeMembers> members = new IdentityHashMap<>();

  /** The methods and fields of a type or anonymous class body, by name. */
  TypeMembers members(ASTNode typeNode) {
    return members.computeIfAbsent(typeNode, TypeMembers::of);
  }

  /** What a simple name in expression position refers to. */
  public Symbol resolve(SimpleName name) {
    Symbol known = symbols.get(name);
    if (known == null) {
      known = resolveUncached(name);
      symbols.put(name, known);
    }
    return known;
  }

  private Symbol resolveUncached(SimpleName name) {
    IBinding binding = name.resolveBinding();
    if (binding instanceof IVariableBinding variable && !variable.isRecovered()) {
      if (variable.isField()) {
        return new Symbol.Field(fieldFromBinding(variable));
      }
      ASTNode decl = ((CompilationUnit) name.getRoot()).findDeclaringNode(variable);
      if (decl instanceof VariableDeclaration vd) {
        return new Symbol.Local(vd);
      }
    } else if (binding instanceof ITypeBinding type && !type.isRecovered()) {
      return new Symbol.TypeName(TypeRef.of(type));
    }
    return resolveByScope(name);
  }

  private Symbol resolveByScope(SimpleName name) {
    String id = name.getIdentifier();
    ASTNode child = name;
    for (ASTNode p = name.getParent(); p != null; child = p, p = p.getParent()) {
      VariableDeclaration local = localIn(p, child, id);
      if (local != null) {
        return new Symbol.Local(local);
      }
      if (p instanceof AbstractTypeDeclaration || p instanceof AnonymousClassDeclaration) {
        FieldInfo field = fieldOfType(p, id, 0);
        if (field != null) {
          return new Symbol.Field(field);
        }
      }
    }
    Units.Imports imports = units.imports(name);
    String owner = imports.staticOwner(id);
    if (owner != null) {
      return new Symbol.Field(libraryOrProjectField(TypeRef.named(owner), id, true));
    }
    if (!id.isEmpty() && Character.isUpperCase(id.charAt(0))) {
      return new Symbol.TypeName(typeFromText(id, name));
    }
    return Symbol.UNKNOWN;
  }

  /**
   * The local or parameter {@code name} refers to by scope alone (no bindings, no index), or null
   * when it is not one (a field declared in an enclosing type, a type, unknown). For quick fixes,
   * which work on syntax-only ASTs.
   */
  public static VariableDeclaration localByScope(SimpleName name) {
    String id = name.getIdentifier();
    ASTNode child = name;
    for (ASTNode p = name.getParent(); p != null; child = p, p = p.getParent()) {
      VariableDeclaration local = localIn(p, child, id);
      if (local != null) {
        return local;
      }
      List<?> members = p instanceof AbstractTypeDeclaration type ? type.bodyDeclarations()
          : p instanceof AnonymousClassDeclaration anon ? anon.bodyDeclarations() : List.of();
      if (fieldNamed(members, id) != null) {
        return null; // a field of an enclosing class shadows outer locals
      }
    }
    return null;
  }

  /** {@code this.f} with an unqualified {@code this}: the field name {@code f}, else null. */
  public static String thisFieldName(Expression e) {
    return e instanceof FieldAccess f && f.getExpression() instanceof ThisExpression self
        && self.getQualifier() == null ? f.getName().getIdentifier() : null;
  }

  /** The field named {@code id} among a class body's declarations (its fragment), or null. */
  public static VariableDeclaration fieldNamed(List<?> bodyDeclarations, String id) {
    for (Object member : bodyDeclarations) {
      if (member instanceof FieldDeclaration field
          && fragmentNamed(field.fragments(), id) instanceof VariableDeclaration fragment) {
        return fragment;
      }
    }
    return null;
  }

  /** A local declared by scope node {@code p} and visible at its child {@code child}. */
  private static VariableDeclaration localIn(ASTNode p, ASTNode child, String id) {
    switch (p) {
      case Block block -> {
        return declaredBefore(block.statements(), child, id);
      }
      case SwitchStatement sw -> {
        return declaredBefore(sw.statements(), child, id);
      }
      case ForStatement f -> {
        for (Object init : f.initializers()) {
          if (init instanceof VariableDeclarationExpression vde) {
            VariableDeclaration d = fragmentNamed(vde.fragments(), id);
            if (d != null) {
              return d;
            }
          }
        }
      }
      case EnhancedForStatement f -> {
        if (child != f.getExpression() && f.getParameter().getName().getIdentifier().equals(id)) {
          return f.getParameter();
        }
      }
      case CatchClause c -> {
        if (c.getException().getName().getIdentifier().equals(id)) {
          return c.getException();
        }
      }
      case TryStatement t -> {
        for (Object r : t.resources()) {
          if (r instanceof VariableDeclarationExpression vde) {
            VariableDeclaration d = fragmentNamed(vde.fragments(), id);
            if (d != null) {
              return d;
            }
          }
        }
      }
      case LambdaExpression lambda -> {
        for (Object param : lambda.parameters()) {
          VariableDeclaration d = (VariableDeclaration) param;
          if (d.getName().getIdentifier().equals(id)) {
            return d;
          }
        }
      }
      case MethodDeclaration method -> {
        for (Object param : method.parameters()) {
          SingleVariableDeclaration d = (SingleVariableDeclaration) param;
          if (d.getName().getIdentifier().equals(id)) {
            return d;
          }
        }
      }
      case Statement s -> {
        VariableDeclaration pattern = patternVariable(s, id);
        if (pattern != null) {
          return pattern;
        }
      }
      default -> {
        // Expressions such as `a instanceof Foo f && f.x()` declare pattern variables too.
        if (p instanceof Expression e && !(p instanceof LambdaExpression)) {
          VariableDeclaration pattern = patternVariable(e, id);
          if (pattern != null) {
            return pattern;
          }
        }
      }
    }
    return null;
  }

  private static VariableDeclaration declaredBefore(List<?> statements, ASTNode child, String id) {
    VariableDeclaration found = null;
    for (Object o : statements) {
      if (o == child) {
        break;
      }
      if (o instanceof VariableDeclarationStatement vds) {
        VariableDeclaration d = fragmentNamed(vds.fragments(), id);
        if (d != null) {
          found = d;
        }
      } else if (o instanceof Statement s) {
        // `if (!(x instanceof Foo f)) return;` makes f visible after the if.
        VariableDeclaration pattern = patternVariable(s, id);
        if (pattern != null && found == null) {
          found = pattern;
        }
      }
    }
    if (found == null && child instanceof VariableDeclarationStatement vds) {
      found = fragmentNamed(vds.fragments(), id); // `int x = 1, y = x;`
    }
    return found;
  }

  private static VariableDeclaration fragmentNamed(List<?> fragments, String id) {
    for (Object f : fragments) {
      VariableDeclarationFragment fragment = (VariableDeclarationFragment) f;
      if (fragment.getName().getIdentifier().equals(id)) {
        return fragment;
      }
    }
    return null;
  }

  /** A pattern variable named {@code id} declared in the condition of a statement/expression. */
  private static VariableDeclaration patternVariable(ASTNode node, String id) {
    Expression condition = switch (node) {
      case org.eclipse.jdt.core.dom.IfStatement s -> s.getExpression();
      case org.eclipse.jdt.core.dom.WhileStatement s -> s.getExpression();
      case org.eclipse.jdt.core.dom.InfixExpression e -> e;
      case org.eclipse.jdt.core.dom.ConditionalExpression e -> e.getExpression();
      default -> null;
    };
    if (condition == null) {
      return null;
    }
    VariableDeclaration[] found = new VariableDeclaration[1];
    condition.accept(new org.eclipse.jdt.core.dom.ASTVisitor() {
      @Override
      public boolean visit(PatternInstanceofExpression e) {
        if (e.getPattern() instanceof TypePattern tp
            && tp.getPatternVariable().getName().getIdentifier().equals(id)) {
          found[0] = tp.getPatternVariable();
        }
        return true;
      }

      @Override
      public boolean visit(LambdaExpression e) {
        return false;
      }
    });
    return found[0];
  }

  // ---------------------------------------------------------------- fields

  FieldInfo fieldFromBinding(IVariableBinding variable) {
    ITypeBinding declaring = variable.getDeclaringClass();
    TypeRef owner = declaring == null ? null : TypeRef.of(declaring);
    TypeSummary ownerSummary = owner == null || owner.qualifiedName() == null
        ? null
        : units.index().type(owner.qualifiedName()).orElse(null);
    FieldSummary summary = ownerSummary == null ? null : ownerSummary.fields().get(variable.getName());
    int mods = variable.getModifiers();
    boolean isFinal = Modifier.isFinal(mods)
        || (declaring != null && (declaring.isRecord() || declaring.isInterface()))
        || variable.isEnumConstant();
    return new FieldInfo(variable.getName(), owner, Modifier.isStatic(mods), isFinal,
        TypeRef.of(variable.getType()), ownerSummary, summary, true);
  }

  /** A field named {@code id} declared in or inherited by a type declaration node. */
  private FieldInfo fieldOfType(ASTNode typeNode, String id, int depth) {
    if (typeNode instanceof AbstractTypeDeclaration decl) {
      FieldInfo declared = declaredField(decl, id);
      if (declared != null) {
        return declared;
      }
      TypeSummary summary = units.index().type(qualifiedName(decl)).orElse(null);
      return summary == null ? null : inheritedField(summary, id, depth);
    }
    if (typeNode instanceof AnonymousClassDeclaration anon) {
      FieldDeclaration fd = members(anon).field(id);
      if (fd != null) {
        return new FieldInfo(id, null, false, Modifier.isFinal(fd.getModifiers()),
            typeFromText(fd.getType().toString(), fd), null, null, true);
      }
      if (anon.getParent() instanceof ClassInstanceCreation creation) {
        TypeRef supertype = typeFromText(creation.getType().toString(), creation);
        TypeSummary summary = summaryOf(supertype).orElse(null);
        return summary == null ? null : fieldOfSummary(summary, id, depth);
      }
    }
    return null;
  }

  private FieldInfo declaredField(AbstractTypeDeclaration decl, String id) {
    TypeRef owner = TypeRef.named(qualifiedName(decl));
    TypeSummary ownerSummary = units.index().type(owner.qualifiedName()).orElse(null);
    FieldSummary summary = ownerSummary == null ? null : ownerSummary.fields().get(id);
    if (decl instanceof RecordDeclaration record) {
      for (Object c : record.recordComponents()) {
        SingleVariableDeclaration component = (SingleVariableDeclaration) c;
        if (component.getName().getIdentifier().equals(id)) {
          return new FieldInfo(id, owner, false, true,
              typeFromText(component.getType().toString(), component), ownerSummary, summary, true);
        }
      }
    }
    if (decl instanceof EnumDeclaration e) {
      for (Object c : e.enumConstants()) {
        if (((EnumConstantDeclaration) c).getName().getIdentifier().equals(id)) {
          return new FieldInfo(id, owner, true, true, owner, ownerSummary, summary, true);
        }
      }
    }
    boolean isInterface = decl instanceof TypeDeclaration td && td.isInterface();
    TypeMembers declared = members(decl);
    FieldDeclaration fd = declared.field(id);
    if (fd != null) {
      VariableDeclaration fragment = declared.fieldFragment(id);
      int mods = fd.getModifiers();
      String typeText = fd.getType().toString() + "[]".repeat(fragment.getExtraDimensions());
      return new FieldInfo(id, owner, isInterface || Modifier.isStatic(mods),
          isInterface || Modifier.isFinal(mods), typeFromText(typeText, fd), ownerSummary,
          summary, true);
    }
    return null;
  }

  private FieldInfo inheritedField(TypeSummary type, String id, int depth) {
    if (depth > MAX_HIERARCHY_DEPTH) {
      return null;
    }
    for (TypeSummary supertype : supertypes(type)) {
      FieldInfo f = fieldOfSummary(supertype, id, depth + 1);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private FieldInfo fieldOfSummary(TypeSummary type, String id, int depth) {
    FieldSummary f = type.fields().get(id);
    if (f != null) {
      TypeRef fieldType = typeFromTextInFile(f.typeText(), type);
      return new FieldInfo(id, TypeRef.named(type.qualifiedName()), f.isStatic(), f.isFinal(),
          fieldType, type, f, true);
    }
    return inheritedField(type, id, depth);
  }

  /** The project supertypes (superclass first, then interfaces) of an indexed type. */
  public List<TypeSummary> supertypes(TypeSummary type) {
    List<TypeSummary> out = new java.util.ArrayList<>();
    Units.Imports imports = units.imports(units.unit(type.file()));
    if (type.superclass() != null) {
      units.index().resolveSimple(TypeRef.stripPackage(type.superclass()), type.file(),
          imports.types()).ifPresent(out::add);
    }
    for (String i : type.interfaces()) {
      units.index().resolveSimple(TypeRef.stripPackage(i), type.file(), imports.types())
          .ifPresent(out::add);
    }
    return out;
  }

  private FieldInfo libraryOrProjectField(TypeRef owner, String id, boolean isStatic) {
    TypeSummary summary = summaryOf(owner).orElse(null);
    if (summary != null) {
      FieldInfo f = fieldOfSummary(summary, id, 0);
      if (f != null) {
        return f;
      }
    }
    return new FieldInfo(id, owner, isStatic, false, KnownApis.staticFieldType(owner, id), null, null, false);
  }

  /**
   * The field a {@code FieldAccess}, {@code SuperFieldAccess} or {@code QualifiedName} denotes,
   * or null when the expression is not a field (a type or package name).
   */
  public FieldInfo fieldOf(Expression access) {
    if (access instanceof Name name) {
      IBinding binding = name.resolveBinding();
      if (binding instanceof IVariableBinding variable && variable.isField() && !variable.isRecovered()) {
        return fieldFromBinding(variable);
      }
      if (binding instanceof ITypeBinding || binding instanceof org.eclipse.jdt.core.dom.IPackageBinding) {
        return null;
      }
    }
    switch (access) {
      case FieldAccess fa -> {
        IVariableBinding b = fa.resolveFieldBinding();
        if (b != null && !b.isRecovered()) {
          return fieldFromBinding(b);
        }
        return memberField(fa.getExpression(), fa.getName().getIdentifier());
      }
      case SuperFieldAccess sfa -> {
        IVariableBinding b = sfa.resolveFieldBinding();
        if (b != null && !b.isRecovered()) {
          return fieldFromBinding(b);
        }
        ASTNode type = enclosingTypeNode(sfa);
        if (type instanceof AbstractTypeDeclaration decl) {
          TypeSummary s = units.index().type(qualifiedName(decl)).orElse(null);
          return s == null ? unknownField(sfa.getName().getIdentifier()) : inheritedField(s, sfa.getName().getIdentifier(), 0);
        }
        return unknownField(sfa.getName().getIdentifier());
      }
      case QualifiedName qn -> {
        Symbol qualifier = resolveQualifier(qn.getQualifier());
        String id = qn.getName().getIdentifier();
        return switch (qualifier) {
          case Symbol.TypeName t -> isPackageLike(qn.getQualifier())
              ? null
              : libraryOrProjectField(t.type(), id, true);
          case Symbol.Local l -> memberFieldOfType(typeOfDeclaration(l.declaration()), id);
          case Symbol.Field f -> memberFieldOfType(f.field().type(), id);
          case Symbol.Unknown u -> unknownField(id);
        };
      }
      case SimpleName sn -> {
        return resolve(sn) instanceof Symbol.Field f ? f.field() : null;
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean isPackageLike(Name qualifier) {
    // `java.lang` in `java.lang.System`: all lower-case segments name a package, not a type.
    String text = qualifier.getFullyQualifiedName();
    int dot = text.lastIndexOf('.');
    String last = dot < 0 ? text : text.substring(dot + 1);
    return !last.isEmpty() && Character.isLowerCase(last.charAt(0)) && qualifier.isQualifiedName()
        && !(qualifier.resolveBinding() instanceof IVariableBinding);
  }

  private FieldInfo memberField(Expression receiver, String id) {
    if (receiver instanceof ThisExpression th) {
      ASTNode type = th.getQualifier() == null ? enclosingTypeNode(th) : outerTypeNamed(th, th.getQualifier().getFullyQualifiedName());
      FieldInfo f = type == null ? null : fieldOfType(type, id, 0);
      return f == null ? unknownField(id) : f;
    }
    return memberFieldOfType(typeOf(receiver), id);
  }

  private FieldInfo memberFieldOfType(TypeRef type, String id) {
    if (type == null) {
      return unknownField(id);
    }
    if (type.isArray() && id.equals("length")) {
      return new FieldInfo("length", type, false, true, TypeRef.named("int"), null, null, true);
    }
    TypeSummary summary = summaryOf(type).orElse(null);
    FieldInfo f = summary == null ? null : fieldOfSummary(summary, id, 0);
    return f != null ? f : new FieldInfo(id, type, false, false, null, null, null, false);
  }

  private static FieldInfo unknownField(String id) {
    return new FieldInfo(id, null, false, false, null, null, null, false);
  }

  /** A qualifier name: a local, a field, or a type (or package). */
  public Symbol resolveQualifier(Name qualifier) {
    IBinding binding = qualifier.resolveBinding();
    if (binding instanceof ITypeBinding type && !type.isRecovered()) {
      return new Symbol.TypeName(TypeRef.of(type));
    }
    if (qualifier instanceof SimpleName simple) {
      return resolve(simple);
    }
    QualifiedName qn = (QualifiedName) qualifier;
    FieldInfo field = fieldOf(qn);
    if (field != null && field.owner() != null) {
      return new Symbol.Field(field);
    }
    return new Symbol.TypeName(typeFromText(qn.getFullyQualifiedName(), qn));
  }

  // ---------------------------------------------------------------- types

  /** The static type of an expression, or null when unknown. */
  public TypeRef typeOf(Expression e) {
    if (e == null) {
      return null;
    }
    if (types.containsKey(e)) {
      return types.get(e);
    }
    TypeRef type = typeOfUncached(e);
    types.put(e, type);
    return type;
  }

  private TypeRef typeOfUncached(Expression e) {
    ITypeBinding binding = e.resolveTypeBinding();
    if (binding != null && !binding.isRecovered() && !binding.isNullType()) {
      return TypeRef.of(binding);
    }
    return switch (e) {
      case ParenthesizedExpression p -> typeOf(p.getExpression());
      case CastExpression c -> typeFromText(c.getType().toString(), c);
      case ClassInstanceCreation c -> typeFromText(c.getType().toString(), c);
      case ArrayCreation a -> typeFromText(a.getType().toString(), a);
      case StringLiteral s -> TypeRef.named("java.lang.String");
      case ThisExpression t -> thisType(t);
      case SimpleName n -> switch (resolve(n)) {
        case Symbol.Local l -> typeOfDeclaration(l.declaration());
        case Symbol.Field f -> f.field().type();
        case Symbol.TypeName t -> t.type();
        case Symbol.Unknown u -> null;
      };
      case QualifiedName q -> {
        FieldInfo f = fieldOf(q);
        yield f == null ? typeFromText(q.getFullyQualifiedName(), q) : f.type();
      }
      case FieldAccess fa -> {
        FieldInfo f = fieldOf(fa);
        yield f == null ? null : f.type();
      }
      case ArrayAccess aa -> {
        TypeRef array = typeOf(aa.getArray());
        yield array == null || !array.isArray()
            ? null
            : TypeRef.simple(array.simpleName().substring(0, array.simpleName().length() - 2));
      }
      case MethodInvocation mi -> typeOfCall(mi);
      default -> null;
    };
  }

  private TypeRef typeOfCall(MethodInvocation mi) {
    String name = mi.getName().getIdentifier();
    Expression receiver = mi.getExpression();
    TypeRef receiverType = receiver == null ? null : typeOf(receiver);
    if (receiverType != null && receiverType.is(KnownTypes.ARRAY)) {
      return ARRAY_NON_ARRAY_RESULTS.contains(name) ? null : TypeRef.named(KnownTypes.ARRAY);
    }
    if (calls != null) {
      CalleeRef callee = calls.resolve(mi);
      if (callee.declaration() != null && callee.declaration().getReturnType2() != null) {
        return typeFromText(callee.declaration().getReturnType2().toString(), callee.declaration());
      }
    }
    return mi.arguments().isEmpty() ? recordComponentType(receiverType, name) : null;
  }

  /**
   * {@code p.out().w()} on records of the project: an accessor is declared by its component, not
   * as a method, so without bindings its type is the component's (a final instance field of that
   * name, when no method declaration of the name was found).
   */
  private TypeRef recordComponentType(TypeRef receiverType, String name) {
    TypeSummary owner = summaryOf(receiverType).orElse(null);
    if (owner == null) {
      return null;
    }
    var component = owner.fields().get(name);
    return component == null || component.isStatic() || !component.isFinal()
        ? null
        : typeFromTextInFile(component.typeText(), owner);
  }

  /** The declared type of a local or parameter ({@code var} takes the initializer's type). */
  public TypeRef typeOfDeclaration(VariableDeclaration decl) {
    if (decl.resolveBinding() != null && !decl.resolveBinding().isRecovered()) {
      return TypeRef.of(decl.resolveBinding().getType());
    }
    String text = null;
    int extra = decl.getExtraDimensions();
    if (decl instanceof SingleVariableDeclaration svd) {
      text = svd.getType().toString() + (svd.isVarargs() ? "[]" : "");
    } else if (decl.getParent() instanceof VariableDeclarationStatement vds) {
      text = vds.getType().toString();
    } else if (decl.getParent() instanceof VariableDeclarationExpression vde) {
      text = vde.getType().toString();
    }
    if (text == null) {
      return null; // untyped lambda parameter
    }
    if (text.equals("var")) {
      return decl.getInitializer() == null ? null : typeOf(decl.getInitializer());
    }
    return typeFromText(text + "[]".repeat(extra), decl);
  }

  /** A type written in source, qualified through imports and the index where possible. */
  public TypeRef typeFromText(String text, ASTNode context) {
    String simple = TypeRef.stripPackage(text);
    String erased = text.contains("<") ? text.substring(0, text.indexOf('<')) : text;
    String base = simple.replace("[]", "");
    if (erased.contains(".") && Character.isLowerCase(erased.charAt(0))) {
      return new TypeRef(erased.endsWith("[]") ? null : erased, simple, null);
    }
    String qualified = units.imports(context).qualify(base);
    if (qualified == null) {
      TypeSummary t = units.index().resolveSimple(base, Units.fileOf(context),
          units.imports(context).types()).orElse(null);
      qualified = t == null ? null : t.qualifiedName();
    }
    if (qualified == null && units.imports(context).packageName().equals(TransformKind.ENGINE_PACKAGE)) {
      qualified = TransformKind.ENGINE_PACKAGE + "." + base;
    }
    if (qualified == null && units.imports(context).importsOnDemand(TransformKind.ENGINE_PACKAGE)
        && KnownApis.ENGINE_TYPES.contains(base)) {
      qualified = TransformKind.ENGINE_PACKAGE + "." + base;
    }
    if (qualified == null) {
      return TypeRef.simple(simple);
    }
    return new TypeRef(simple.endsWith("[]") ? null : qualified, simple, null);
  }

  private TypeRef typeFromTextInFile(String text, TypeSummary inType) {
    CompilationUnit cu = units.unit(inType.file());
    return typeFromText(text, cu);
  }

  public Optional<TypeSummary> summaryOf(TypeRef type) {
    if (type == null) {
      return Optional.empty();
    }
    if (type.qualifiedName() != null) {
      return units.index().type(type.qualifiedName());
    }
    List<TypeSummary> named = units.index().typesNamed(type.simpleName());
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  private TypeRef thisType(ThisExpression t) {
    ASTNode type = t.getQualifier() == null
        ? enclosingTypeNode(t)
        : outerTypeNamed(t, t.getQualifier().getFullyQualifiedName());
    return type instanceof AbstractTypeDeclaration decl ? TypeRef.named(qualifiedName(decl)) : null;
  }

  /** The innermost class body (named or anonymous) around a node. */
  public static ASTNode enclosingTypeNode(ASTNode node) {
    for (ASTNode n = node.getParent(); n != null; n = n.getParent()) {
      if (n instanceof AbstractTypeDeclaration || n instanceof AnonymousClassDeclaration) {
        return n;
      }
    }
    return null;
  }

  /** The enclosing named type called {@code name} ({@code Outer} in {@code Outer.this}). */
  public static ASTNode outerTypeNamed(ASTNode node, String name) {
    String simple = TypeRef.stripPackage(name);
    for (ASTNode n = node.getParent(); n != null; n = n.getParent()) {
      if (n instanceof AbstractTypeDeclaration decl && decl.getName().getIdentifier().equals(simple)) {
        return n;
      }
    }
    return null;
  }

  /** The dotted source name of a type declaration (nested types: {@code pkg.Outer.Inner}). */
  public static String qualifiedName(AbstractTypeDeclaration decl) {
    StringBuilder name = new StringBuilder(decl.getName().getIdentifier());
    for (ASTNode n = decl.getParent(); n != null; n = n.getParent()) {
      if (n instanceof AbstractTypeDeclaration outer) {
        name.insert(0, outer.getName().getIdentifier() + ".");
      } else if (n instanceof BodyDeclaration || n instanceof AnonymousClassDeclaration) {
        // Local classes have no stable qualified name; keep the simple chain.
        continue;
      }
    }
    CompilationUnit cu = (CompilationUnit) decl.getRoot();
    if (cu.getPackage() != null) {
      name.insert(0, cu.getPackage().getName().getFullyQualifiedName() + ".");
    }
    return name.toString();
  }
}
