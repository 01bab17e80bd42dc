package dev.statelens.lint.fix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ImportDeclaration;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.Document;
import org.eclipse.text.edits.DeleteEdit;
import org.eclipse.text.edits.InsertEdit;
import org.eclipse.text.edits.MalformedTreeException;
import org.eclipse.text.edits.MultiTextEdit;
import org.eclipse.text.edits.ReplaceEdit;
import org.eclipse.text.edits.TextEdit;

/**
 * Text edits on one file, collected by a fix, plus the imports they need. Edits are plain
 * offsets into the original text, so a fix can combine replacements and insertions freely as
 * long as they do not overlap.
 */
final class Edits {

  final String source;
  final CompilationUnit cu;
  private final List<TextEdit> edits = new ArrayList<>();
  private final Set<String> imports = new LinkedHashSet<>();

  Edits(String source, CompilationUnit cu) {
    this.source = source;
    this.cu = cu;
  }

  void replace(int offset, int length, String text) {
    edits.add(new ReplaceEdit(offset, length, text));
  }

  void replace(ASTNode node, String text) {
    replace(node.getStartPosition(), node.getLength(), text);
  }

  void insert(int offset, String text) {
    edits.add(new InsertEdit(offset, text));
  }

  String text(ASTNode node) {
    return source.substring(node.getStartPosition(), node.getStartPosition() + node.getLength());
  }

  /**
   * The name to write for a type: its simple name, imported if needed, or the qualified name
   * when another import already uses that simple name.
   */
  String type(String qualified) {
    String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
    String pkg = qualified.substring(0, Math.max(0, qualified.lastIndexOf('.')));
    String ownPackage = cu.getPackage() == null ? "" : cu.getPackage().getName().getFullyQualifiedName();
    for (Object o : cu.imports()) {
      ImportDeclaration imp = (ImportDeclaration) o;
      if (imp.isStatic()) {
        continue;
      }
      String name = imp.getName().getFullyQualifiedName();
      if (!imp.isOnDemand() && name.equals(qualified)) {
        return simple;
      }
      if (!imp.isOnDemand() && name.endsWith("." + simple)) {
        return qualified; // another type with this simple name is imported
      }
    }
    if (pkg.equals("java.lang") || pkg.equals(ownPackage)) {
      return simple;
    }
    for (Object o : cu.imports()) {
      ImportDeclaration imp = (ImportDeclaration) o;
      if (!imp.isStatic() && imp.isOnDemand() && imp.getName().getFullyQualifiedName().equals(pkg)) {
        return simple;
      }
    }
    imports.add(qualified);
    return simple;
  }

  /** True when the file imports {@code qualified} or its package on demand. */
  boolean imports(String qualified) {
    String pkg = qualified.substring(0, qualified.lastIndexOf('.'));
    for (Object o : cu.imports()) {
      ImportDeclaration imp = (ImportDeclaration) o;
      String name = imp.getName().getFullyQualifiedName();
      if (!imp.isStatic() && (name.equals(qualified) || (imp.isOnDemand() && name.equals(pkg)))) {
        return true;
      }
    }
    return false;
  }

  /** The whitespace that starts the line containing {@code offset}. */
  String indentAt(int offset) {
    return indentAt(source, offset);
  }

  /** The whitespace that starts the line of {@code source} containing {@code offset}. */
  static String indentAt(String source, int offset) {
    int lineStart = source.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
    int i = lineStart;
    while (i < source.length() && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i++;
    }
    return source.substring(lineStart, i);
  }

  boolean isEmpty() {
    return edits.isEmpty();
  }

  /** All edits as one tree, import insertions and deletions included. */
  TextEdit toTextEdit() {
    MultiTextEdit root = new MultiTextEdit();
    List<ImportDeclaration> kept = new ArrayList<>();
    for (Object o : cu.imports()) {
      kept.add((ImportDeclaration) o);
    }
    List<ImportDeclaration> unused = importsLeftUnused();
    if (unused.size() < kept.size()) { // one import stays to place new ones by
      kept.removeAll(unused);
      for (ImportDeclaration imp : unused) {
        int end = imp.getStartPosition() + imp.getLength();
        root.addChild(new DeleteEdit(imp.getStartPosition(), end - imp.getStartPosition()
            + (end < source.length() && source.charAt(end) == '\n' ? 1 : 0)));
      }
    }
    if (!imports.isEmpty()) {
      if (kept.isEmpty()) {
        root.addChild(firstImports());
      } else {
        insertSorted(root, kept);
      }
    }
    for (TextEdit e : edits) {
      root.addChild(e.copy());
    }
    return root;
  }

  /** The new imports, in name order, for a file that has none: after the package, else at the top. */
  private InsertEdit firstImports() {
    StringBuilder text = new StringBuilder();
    List<String> sorted = imports.stream().sorted().toList();
    if (cu.getPackage() != null) {
      text.append('\n');
      for (String imp : sorted) {
        text.append('\n').append("import ").append(imp).append(';');
      }
      return new InsertEdit(cu.getPackage().getStartPosition() + cu.getPackage().getLength(), text.toString());
    }
    for (String imp : sorted) {
      text.append("import ").append(imp).append(";\n");
    }
    return new InsertEdit(0, text.append('\n').toString());
  }

  /**
   * Each new import in its place among the file's single-type imports, in name order (as JDT's
   * Organize Imports and the usual styles keep them): before the first one whose name sorts after
   * it, else after the last of them (not after a block of static imports that follows them).
   * Appended after the last, {@code import dev.statelens.engine.Debug;} landed below
   * {@code java.util...} and the user had to organize imports after every fix.
   */
  private void insertSorted(MultiTextEdit root, List<ImportDeclaration> existing) {
    List<ImportDeclaration> types = existing.stream().filter(e -> !e.isStatic()).toList();
    ImportDeclaration last = (types.isEmpty() ? existing : types).getLast();
    Map<Integer, StringBuilder> byOffset = new TreeMap<>();
    for (String imp : imports.stream().sorted().toList()) {
      ImportDeclaration next = types.stream()
          .filter(e -> e.getName().getFullyQualifiedName().compareTo(imp) > 0)
          .findFirst().orElse(null);
      if (next != null) {
        byOffset.computeIfAbsent(next.getStartPosition(), k -> new StringBuilder())
            .append("import ").append(imp).append(";\n");
      } else {
        byOffset.computeIfAbsent(last.getStartPosition() + last.getLength(), k -> new StringBuilder())
            .append('\n').append("import ").append(imp).append(';');
      }
    }
    byOffset.forEach((offset, text) -> root.addChild(new InsertEdit(offset, text.toString())));
  }

  /**
   * The file's single-type imports whose every use an edit replaces and whose name no edit writes
   * again: Convert to explicit state turns {@code Supplier<Array> fast} into a {@code Function<...>},
   * and the {@code import java.util.function.Supplier;} it left made JDT warn "never used" in the
   * file the user had just fixed. A use in Javadoc counts (kept).
   */
  private List<ImportDeclaration> importsLeftUnused() {
    List<TextEdit> replacing = edits.stream().filter(e -> e.getLength() > 0).toList();
    List<ImportDeclaration> unused = new ArrayList<>();
    if (replacing.isEmpty()) {
      return unused;
    }
    StringBuilder written = new StringBuilder();
    for (TextEdit e : edits) {
      written.append(e instanceof ReplaceEdit r ? r.getText() : e instanceof InsertEdit i ? i.getText() : "")
          .append('\n');
    }
    for (Object o : cu.imports()) {
      ImportDeclaration imp = (ImportDeclaration) o;
      String name = imp.getName().getFullyQualifiedName();
      String simple = name.substring(name.lastIndexOf('.') + 1);
      if (imp.isStatic() || imp.isOnDemand()
          || Pattern.compile("\\b" + Pattern.quote(simple) + "\\b").matcher(written).find()) {
        continue;
      }
      int[] uses = new int[2]; // [replaced, elsewhere]
      cu.accept(new ASTVisitor(true) {
        @Override
        public boolean visit(ImportDeclaration node) {
          return false;
        }

        @Override
        public boolean visit(SimpleName n) {
          if (n.getIdentifier().equals(simple)) {
            boolean replaced = replacing.stream().anyMatch(e -> e.getOffset() <= n.getStartPosition()
                && n.getStartPosition() + n.getLength() <= e.getExclusiveEnd());
            uses[replaced ? 0 : 1]++;
          }
          return false;
        }
      });
      if (uses[0] > 0 && uses[1] == 0) {
        unused.add(imp);
      }
    }
    return unused;
  }

  /** The source after the edits. */
  String apply() {
    Document document = new Document(source);
    try {
      toTextEdit().apply(document);
    } catch (MalformedTreeException | BadLocationException e) {
      throw new IllegalStateException("quick fix produced overlapping edits: " + e.getMessage(), e);
    }
    return document.get();
  }
}
