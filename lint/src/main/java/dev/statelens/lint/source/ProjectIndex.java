package dev.statelens.lint.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jdt.core.dom.CompilationUnit;

/**
 * Every analyzed file, summarized from a syntax-only parse: which types each declares, their
 * fields and methods, which files call a transform, suppressions, syntax errors. Name-based
 * resolution runs on this index; bindings are only computed for the files that need them.
 */
public final class ProjectIndex {

  private final Map<Path, FileSummary> files = new LinkedHashMap<>();
  private final Map<String, TypeSummary> byQualifiedName = new HashMap<>();
  private final Map<String, List<TypeSummary>> bySimpleName = new HashMap<>();
  private final Set<String> fieldNamesAssignedThroughQualifier = new HashSet<>();

  /** Parses and summarizes each file. Never throws on bad code: JDT recovers from errors. */
  public static ProjectIndex build(List<SourceFile> sources) {
    ProjectIndex index = new ProjectIndex();
    for (SourceFile file : sources) {
      index.add(file, JavaParsing.parseSyntax(file));
    }
    return index;
  }

  /** Adds (or replaces) one file summarized from an AST the caller already has. */
  public void add(SourceFile file, CompilationUnit cu) {
    add(summarize(file, cu));
  }

  /** What {@link #add(SourceFile, CompilationUnit)} would keep of a file, without adding it. */
  public static FileSummary summarize(SourceFile file, CompilationUnit cu) {
    return FileIndexer.summarize(file, cu);
  }

  /** Adds (or replaces) one file's summary. */
  public void add(FileSummary summary) {
    FileSummary previous = files.put(summary.file().path(), summary);
    if (previous != null) {
      for (TypeSummary type : previous.types()) {
        byQualifiedName.remove(type.qualifiedName());
        bySimpleName.getOrDefault(type.simpleName(), new ArrayList<>()).remove(type);
      }
    }
    for (TypeSummary type : summary.types()) {
      byQualifiedName.put(type.qualifiedName(), type);
      bySimpleName.computeIfAbsent(type.simpleName(), k -> new ArrayList<>()).add(type);
    }
    if (previous != null && !previous.fieldNamesAssignedThroughQualifier().isEmpty()) {
      // a replaced file may no longer write what it wrote: recount, as a fresh index would
      fieldNamesAssignedThroughQualifier.clear();
      for (FileSummary f : files.values()) {
        fieldNamesAssignedThroughQualifier.addAll(f.fieldNamesAssignedThroughQualifier());
      }
    } else {
      fieldNamesAssignedThroughQualifier.addAll(summary.fieldNamesAssignedThroughQualifier());
    }
  }

  public List<FileSummary> files() {
    return List.copyOf(files.values());
  }

  public Optional<FileSummary> file(Path path) {
    return Optional.ofNullable(files.get(path));
  }

  public Optional<TypeSummary> type(String qualifiedName) {
    return Optional.ofNullable(byQualifiedName.get(qualifiedName));
  }

  /** Types with this simple name, in any package. */
  public List<TypeSummary> typesNamed(String simpleName) {
    return bySimpleName.getOrDefault(simpleName, List.of());
  }

  /**
   * The type a simple name means, seen from a file: a type of the file itself or its package
   * first, then one imported by name, then the only project type with that name.
   */
  public Optional<TypeSummary> resolveSimple(String simpleName, Path fromFile, List<String> imports) {
    List<TypeSummary> candidates = typesNamed(simpleName);
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    String pkg = file(fromFile).map(FileSummary::packageName).orElse("");
    for (TypeSummary t : candidates) {
      if (t.file().equals(fromFile)) {
        return Optional.of(t);
      }
    }
    for (String imported : imports) {
      if (imported.endsWith("." + simpleName)) {
        return type(imported);
      }
    }
    for (TypeSummary t : candidates) {
      String expected = pkg.isEmpty() ? simpleName : pkg + "." + simpleName;
      if (t.qualifiedName().equals(expected)) {
        return Optional.of(t);
      }
    }
    for (String imported : imports) {
      if (imported.endsWith(".*")) {
        Optional<TypeSummary> t = type(imported.substring(0, imported.length() - 1) + simpleName);
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /**
   * Whether a non-final field can change after construction: it is written outside
   * constructors and initializers of its type, or (unless private) written through a qualifier
   * anywhere in the project.
   */
  public boolean isAssignedAfterInit(TypeSummary owner, FieldSummary field) {
    return owner.fieldsAssignedAfterInit().contains(field.name())
        || (!field.isPrivate() && fieldNamesAssignedThroughQualifier.contains(field.name()));
  }

  /** The source folders (file path minus package folders), for JDT's source lookup. */
  public List<Path> sourceRoots() {
    Set<Path> roots = new java.util.LinkedHashSet<>();
    for (FileSummary f : files.values()) {
      Path dir = f.file().path().getParent();
      String pkg = f.packageName();
      if (!pkg.isEmpty()) {
        String[] parts = pkg.split("\\.");
        boolean matches = true;
        for (int i = parts.length - 1; i >= 0 && dir != null; i--) {
          if (dir.getFileName() == null || !dir.getFileName().toString().equals(parts[i])) {
            matches = false;
            break;
          }
          dir = dir.getParent();
        }
        if (!matches) {
          dir = f.file().path().getParent();
        }
      }
      if (dir != null) {
        roots.add(dir);
      }
    }
    return List.copyOf(roots);
  }

  public long totalLines() {
    long lines = 0;
    for (FileSummary f : files.values()) {
      lines += f.file().lineCount();
    }
    return lines;
  }
}
