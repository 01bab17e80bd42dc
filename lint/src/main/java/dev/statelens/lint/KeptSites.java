package dev.statelens.lint;

import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.incremental.Skeleton;
import dev.statelens.lint.source.FileSummary;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.SourceFile;
import dev.statelens.lint.source.TypeSummary;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;

/**
 * The outcome of every transform site of the last whole-project analysis, with what each one
 * read, so that {@link Linter#updateAll} analyzes again only the files whose sites can see a
 * change (the IDE's build after a save, a reconcile).
 *
 * <p>Why that is sound: a site's analysis reads the code it walks (its own file, and the bodies
 * of the methods and lambdas it reaches, {@code FunctionAnalyzer.analyzedCode}), the index's
 * facts about declarations (types, fields, methods, supertypes: the same in every file's view)
 * and, for SL006, whether a field it touches is written after construction. So when every changed
 * file kept its skeleton (the tokens outside method and constructor bodies) and its index facts,
 * a site is unaffected unless it read a changed file, or touches a field whose
 * "written after construction" status the change may have flipped. Anything else, and any site
 * whose analysis failed or left a note, is analyzed again.
 */
final class KeptSites {

  /** What one site's analysis read, collected while it runs. */
  static final class Reads {
    private final Set<Path> files = new HashSet<>();
    private final Set<String> fields = new HashSet<>();
    private boolean complete;

    void record(Path site, Collection<ASTNode> code, List<Effect> effects, boolean complete) {
      files.add(site);
      for (ASTNode owner : code) {
        Path file = Units.fileOf(owner);
        if (file != null) {
          files.add(file);
        }
      }
      for (Effect e : effects) {
        if (e instanceof Effect.FieldRead read) {
          fields.add(fieldKey(read.field()));
        } else if (e instanceof Effect.FieldWrite write) {
          fields.add(fieldKey(write.field()));
        }
      }
      this.complete = complete;
    }

    Set<Path> files() {
      return files;
    }

    Set<String> fields() {
      return fields;
    }

    /** {@code demo.Helper#scale}: the declaring type SL006 asks the index about, and the name. */
    private static String fieldKey(dev.statelens.lint.analysis.FieldInfo field) {
      return (field.ownerSummary() == null ? "?" : field.ownerSummary().qualifiedName()) + "#"
          + field.name();
    }

    boolean complete() {
      return complete;
    }
  }

  /**
   * @param files the files its analysis read; null: unknown (failed, or a note), never reused
   * @param fields the fields it reads or writes, as {@code declaringType#name} ({@code ?#name}
   *     where the declaring type is not in the index)
   */
  record Site(SiteOutcome outcome, Set<Path> files, Set<String> fields) {
    Site {
      files = files == null ? null : Set.copyOf(files);
      fields = Set.copyOf(fields);
    }
  }

  private final Map<Path, List<Site>> byFile = new LinkedHashMap<>();

  void put(Path file, List<Site> sites) {
    byFile.put(file, List.copyOf(sites));
  }

  List<Site> sites(Path file) {
    return byFile.getOrDefault(file, List.of());
  }

  /** The files the kept sites of these files read (bound too, as a full analysis binds them). */
  Set<Path> filesReadFrom(Set<Path> files) {
    Set<Path> out = new HashSet<>();
    for (Path f : files) {
      for (Site s : sites(f)) {
        if (s.files() != null) {
          out.addAll(s.files());
        }
      }
    }
    return out;
  }

  /**
   * The files whose sites must be analyzed again after the files in {@code before} changed
   * (the index already holds their new versions); null when every file must be.
   *
   * @param before each changed file's previous version (null: the file is new)
   */
  Set<Path> affectedBy(Map<Path, SourceFile> before, ProjectIndex index) {
    Set<Path> changed = new HashSet<>();
    Set<String> fieldsFlipped = new HashSet<>();
    for (Map.Entry<Path, SourceFile> e : before.entrySet()) {
      SourceFile old = e.getValue();
      FileSummary now = index.file(e.getKey()).orElse(null);
      if (old == null || now == null) {
        return null; // a new file (or one the parser failed on) can change any name's meaning
      }
      if (old.content().equals(now.file().content())) {
        continue;
      }
      CompilationUnit oldUnit = JavaParsing.parseSyntax(old);
      FileSummary then = ProjectIndex.summarize(old, oldUnit);
      if (!then.syntaxErrors().isEmpty() || !now.syntaxErrors().isEmpty()
          || !sameFacts(then, now)
          || !Skeleton.of(oldUnit).equals(Skeleton.of(JavaParsing.parseSyntax(now.file())))) {
        return null; // declarations changed: resolution anywhere may differ
      }
      changed.add(e.getKey());
      fieldsFlipped.addAll(flipped(then, now));
    }
    Set<Path> dirty = new HashSet<>(changed);
    for (Map.Entry<Path, List<Site>> e : byFile.entrySet()) {
      for (Site s : e.getValue()) {
        if (s.files() == null || s.files().stream().anyMatch(changed::contains)
            || s.fields().stream().anyMatch(f -> flippedAny(f, fieldsFlipped))) {
          dirty.add(e.getKey());
          break;
        }
      }
    }
    return dirty;
  }

  /**
   * Whether a field a site touches may have changed status: its own key flipped, or its name was
   * written through a qualifier in one version only (that counts for every type's field of that
   * name), or its declaring type is unknown.
   */
  private static boolean flippedAny(String field, Set<String> flipped) {
    String name = field.substring(field.indexOf('#') + 1);
    return flipped.contains(field) || flipped.contains("*#" + name)
        || (field.startsWith("?#") && flipped.stream().anyMatch(f -> f.endsWith("#" + name)));
  }

  /** The declarations the index knows, positions and field-write facts aside. */
  private static boolean sameFacts(FileSummary a, FileSummary b) {
    if (!a.packageName().equals(b.packageName()) || a.types().size() != b.types().size()) {
      return false;
    }
    for (int i = 0; i < a.types().size(); i++) {
      TypeSummary x = a.types().get(i);
      TypeSummary y = b.types().get(i);
      if (!x.qualifiedName().equals(y.qualifiedName())
          || !Objects.equals(x.superclass(), y.superclass())
          || !x.interfaces().equals(y.interfaces()) || !x.fields().equals(y.fields())
          || !x.methodNames().equals(y.methodNames())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fields whose "written after construction" facts differ between the two versions:
   * {@code Type#name} for a type's own writes, {@code *#name} for writes through a qualifier
   * (which count for a field of that name in any type).
   */
  private static Set<String> flipped(FileSummary a, FileSummary b) {
    Set<String> names = new HashSet<>();
    symmetricDifference(a.fieldNamesAssignedThroughQualifier(),
        b.fieldNamesAssignedThroughQualifier(), names);
    Set<String> out = new HashSet<>();
    names.forEach(n -> out.add("*#" + n));
    Map<String, Set<String>> after = new HashMap<>();
    b.types().forEach(t -> after.put(t.qualifiedName(), t.fieldsAssignedAfterInit()));
    for (TypeSummary t : a.types()) {
      Set<String> own = new HashSet<>();
      symmetricDifference(t.fieldsAssignedAfterInit(),
          after.getOrDefault(t.qualifiedName(), Set.of()), own);
      own.forEach(n -> out.add(t.qualifiedName() + "#" + n));
    }
    return out;
  }

  private static void symmetricDifference(Set<String> a, Set<String> b, Set<String> out) {
    for (String x : a) {
      if (!b.contains(x)) {
        out.add(x);
      }
    }
    for (String x : b) {
      if (!a.contains(x)) {
        out.add(x);
      }
    }
  }
}
