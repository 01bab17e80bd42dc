package dev.statelens.lint.source;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jdt.core.compiler.CharOperation;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.dom.AST;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.internal.compiler.Compiler;
import org.eclipse.jdt.internal.compiler.IErrorHandlingPolicy;
import org.eclipse.jdt.internal.compiler.ICompilerRequestor;
import org.eclipse.jdt.internal.compiler.ast.CompilationUnitDeclaration;
import org.eclipse.jdt.internal.compiler.batch.ClasspathDirectory;
import org.eclipse.jdt.internal.compiler.batch.FileSystem;
import org.eclipse.jdt.internal.compiler.batch.Main;
import org.eclipse.jdt.internal.compiler.env.INameEnvironment;
import org.eclipse.jdt.internal.compiler.env.INameEnvironmentExtension;
import org.eclipse.jdt.internal.compiler.env.NameEnvironmentAnswer;
import org.eclipse.jdt.internal.compiler.impl.CompilerOptions;
import org.eclipse.jdt.internal.compiler.problem.DefaultProblemFactory;
import org.eclipse.jdt.internal.core.BasicCompilationUnit;

/**
 * Binding parses of single files that keep JDT's class path between parses.
 *
 * <p>{@code ASTParser.createAST} with bindings builds its whole lookup from scratch on every
 * call: the JDK's module image, every jar of the class path (opened, packages listed) and the
 * source folders; then it compiles the file, flow analysis and class-file generation included,
 * which the DOM's bindings never read. This class does what {@code ASTParser} does for one
 * file's text (the same JDT resolver, options, lookup order and recovery flags), except that
 * <ul>
 *   <li>the JDK and jar entries of the lookup are built once and kept while the class path and
 *       its jars (size, modification time) stay the same; source and class folders are listed
 *       afresh on every parse, since their files change between parses;</li>
 *   <li>the secondary types of the source folders (JDT parses every file of the file's package
 *       to look for them, on every parse: {@code String} misses in the file's own package
 *       first) are kept while the files of that package keep their sizes and times, or where
 *       the caller knows the parsed file kept its declarations;</li>
 *   <li>the compiler resolves the file and stops there: no flow analysis, no code generation
 *       ({@code ASTParser} skips them only together with every method body).</li>
 * </ul>
 * JDT offers neither through its public API, so this reaches its internal classes (see
 * docs/decisions.md, "Binding parses through JDT's internal resolver"). Where those are not as
 * expected (another JDT version) or the resolver aborts, the parse falls back to
 * {@link JavaParsing#parseWithBindings(Path, char[], List, List)}; {@link #internalPathWorks}
 * says which path runs. Not thread-safe: one per {@code Linter}.
 */
public final class BindingEnvironment {

  private static final Internals INTERNALS = Internals.find();

  private List<Path> keptClasspath = List.of();
  private List<Stamp> keptStamps = List.of();
  /** The running JDK's module image, initialized. */
  private List<FileSystem.Classpath> jdk;
  /** Per class path element: its kept entries if it is a jar, else null (looked up afresh). */
  private List<List<FileSystem.Classpath>> jars = List.of();
  /** Per source root: the folder that answers secondary-type lookups, with what it has read. */
  private final Map<Path, SecondaryTypes> secondaryTypes = new HashMap<>();

  /** Whether this JDT offers the internals the kept path needs (else every parse falls back). */
  public static boolean internalPathWorks() {
    return INTERNALS != null;
  }

  /**
   * Parses {@code source} as the text of {@code file}, with bindings: types are looked up in the
   * running JDK, {@code sourceRoots} (the project's sources, as on disk now) and {@code
   * classpath}; what does not resolve gets recovered bindings. Same AST and bindings as {@link
   * JavaParsing#parseWithBindings(Path, char[], List, List)}.
   */
  public CompilationUnit parse(Path file, char[] source, List<Path> sourceRoots,
      List<Path> classpath) {
    return parse(file, source, sourceRoots, classpath, false);
  }

  /**
   * As {@link #parse(Path, char[], List, List)}; {@code sameDeclarations}: the caller knows that
   * the file on disk declares the same top-level types as at the previous parse (an edit inside a
   * method body), so its new size and time do not make the secondary types read from it stale.
   */
  public CompilationUnit parse(Path file, char[] source, List<Path> sourceRoots,
      List<Path> classpath, boolean sameDeclarations) {
    if (INTERNALS == null) {
      return JavaParsing.parseWithBindings(file, source, sourceRoots, classpath);
    }
    keepJdkAndJars(classpath);
    // ASTParser's lookup order: the JDK, then the source folders, then the class path
    List<FileSystem.Classpath> entries = new ArrayList<>(jdk);
    for (Path root : sourceRoots) {
      entries.addAll(entries(root, true));
    }
    List<FileSystem.Classpath> classFolders = new ArrayList<>();
    for (int i = 0; i < classpath.size(); i++) {
      List<FileSystem.Classpath> kept = jars.get(i);
      if (kept != null) {
        entries.addAll(kept);
      } else {
        List<FileSystem.Classpath> fresh = entries(classpath.get(i), false);
        entries.addAll(fresh);
        classFolders.addAll(fresh);
      }
    }
    secondaryTypes.keySet().retainAll(sourceRoots);
    List<SecondaryTypes> secondaries = new ArrayList<>();
    for (Path root : sourceRoots) {
      secondaries.add(secondaryTypes.computeIfAbsent(root, SecondaryTypes::new)
          .current(sameDeclarations ? file.toAbsolutePath().normalize() : null));
    }
    CompilationUnit cu = INTERNALS.resolve(file, source,
        new Lookup(entries, secondaries, classFolders));
    return cu != null ? cu : JavaParsing.parseWithBindings(file, source, sourceRoots, classpath);
  }

  /** Builds the JDK and jar entries again when the class path or one of its files changed. */
  private void keepJdkAndJars(List<Path> classpath) {
    List<Stamp> stamps = Stamp.of(classpath);
    if (jdk != null && classpath.equals(keptClasspath) && stamps.equals(keptStamps)) {
      return;
    }
    List<FileSystem.Classpath> boot = new ArrayList<>();
    org.eclipse.jdt.internal.compiler.util.Util.collectRunningVMBootclasspath(boot);
    initialize(boot);
    List<List<FileSystem.Classpath>> kept = new ArrayList<>();
    for (Path p : classpath) {
      if (Files.isRegularFile(p)) {
        List<FileSystem.Classpath> entries = entries(p, false);
        initialize(entries);
        kept.add(entries);
      } else {
        kept.add(null); // a folder's listing can change at any time: read it per parse
      }
    }
    jdk = boot;
    jars = kept;
    keptClasspath = List.copyOf(classpath);
    keptStamps = stamps;
  }

  /** The entries JDT's batch compiler makes of one path, as ASTParser.setEnvironment does. */
  private static List<FileSystem.Classpath> entries(Path path, boolean source) {
    ArrayList<FileSystem.Classpath> entries = new ArrayList<>();
    Main main = new Main(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        false, null, null);
    main.processPathEntries(Main.DEFAULT_SIZE_CLASSPATH, entries, path.toString(),
        source ? "UTF-8" : null, source, false);
    if (main.pendingErrors != null && !main.pendingErrors.isEmpty()) {
      throw new IllegalStateException("invalid environment settings: " + main.pendingErrors);
    }
    return entries;
  }

  /** Opens each entry now, as a new lookup would; an entry that fails is dropped, as JDT does. */
  private static void initialize(List<FileSystem.Classpath> entries) {
    entries.removeIf(e -> {
      try {
        e.initialize();
        return false;
      } catch (IOException | RuntimeException ex) {
        return true;
      }
    });
  }

  /** A class path entry's identity on disk: a rebuilt jar gets new entries. */
  private record Stamp(Path path, long size, long modified) {
    static List<Stamp> of(List<Path> classpath) {
      List<Stamp> stamps = new ArrayList<>(classpath.size());
      for (Path p : classpath) {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          stamps.add(new Stamp(p, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        } catch (IOException | RuntimeException e) {
          stamps.add(new Stamp(p, -1, -1));
        }
      }
      return stamps;
    }
  }

  /**
   * Secondary types (top-level types not named like their file) of one source root. JDT finds
   * them by parsing every file of the package a name missed in — {@code String} misses in the
   * file's own package first —, on every parse. This keeps JDT's folder entry that did so
   * between parses, and drops it when a package it read changed on disk (a file added, removed
   * or written: names, sizes, modification times of the package folder and its parent).
   */
  private static final class SecondaryTypes {
    private final Path root;
    private FileSystem.Classpath folder;
    /** Package (JDT's {@code a/b} form) → what its folder looked like when read. */
    private final Map<String, List<String>> read = new HashMap<>();

    SecondaryTypes(Path root) {
      this.root = root;
    }

    /**
     * This, with the kept folder entry dropped if what it read changed since; a change of
     * {@code unchanged} (a file whose top-level types are the same, or null) is no change.
     */
    SecondaryTypes current(Path unchanged) {
      String same = unchanged == null ? null : unchanged.getFileName().toString();
      for (Map.Entry<String, List<String>> e : read.entrySet()) {
        List<String> now = listing(e.getKey());
        boolean samePackage = unchanged != null && unchanged.getParent() != null
            && unchanged.getParent().equals(folderOf(e.getKey()));
        if (!withoutStamp(e.getValue(), samePackage ? same : null)
            .equals(withoutStamp(now, samePackage ? same : null))) {
          folder = null;
          read.clear();
          break;
        }
        e.setValue(now);
      }
      if (folder == null) {
        List<FileSystem.Classpath> entries = entries(root, true);
        // as a lookup environment sets its entries up (modules included)
        new Lookup(entries, List.of(), List.of());
        folder = entries.isEmpty() ? null : entries.get(0);
      }
      return this;
    }

    private Path folderOf(String qualifiedPackageName) {
      return (qualifiedPackageName.isEmpty() ? root : root.resolve(qualifiedPackageName))
          .toAbsolutePath().normalize();
    }

    /** The listing with the size and time of {@code name} left out (null: none left out). */
    private static List<String> withoutStamp(List<String> listing, String name) {
      if (name == null) {
        return listing;
      }
      List<String> out = new ArrayList<>(listing.size());
      for (String line : listing) {
        out.add(line.startsWith(name + ' ') ? name : line);
      }
      return out;
    }

    NameEnvironmentAnswer find(char[] typeName, String qualifiedPackageName,
        String qualifiedBinaryFileName) {
      if (!(folder instanceof ClasspathDirectory directory)) {
        return null;
      }
      read.computeIfAbsent(qualifiedPackageName, this::listing);
      return directory.findSecondaryInClass(typeName, qualifiedPackageName,
          qualifiedBinaryFileName);
    }

    FileSystem.Classpath folder() {
      return folder;
    }

    /**
     * What JDT reads of a package folder: its files (name, size, modification time), its
     * subfolders' and its parent's entries by name (JDT checks that the package folder exists).
     */
    private List<String> listing(String qualifiedPackageName) {
      List<String> out = new ArrayList<>();
      Path dir = folderOf(qualifiedPackageName);
      File[] files = dir.toFile().listFiles();
      if (files == null) {
        out.add("no folder");
      } else {
        java.util.Arrays.sort(files);
        for (File f : files) {
          try {
            BasicFileAttributes a = Files.readAttributes(f.toPath(), BasicFileAttributes.class);
            out.add(a.isDirectory() ? f.getName() + '/' : f.getName() + ' ' + a.size() + ' '
                + a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
          } catch (IOException | RuntimeException e) {
            out.add(f.getName() + " ?");
          }
        }
      }
      if (!dir.equals(folderOf(""))) {
        String[] names = dir.getParent().toFile().list();
        if (names != null) {
          java.util.Arrays.sort(names);
        }
        out.add("parent " + (names == null ? "none" : String.join("/", names)));
      }
      return out;
    }
  }

  /**
   * The name environment of one parse: JDT's batch lookup over the entries, and on a miss the
   * secondary types of the source folders (kept, {@link SecondaryTypes}) and then of the class
   * path's folders (fresh), in that order, as JDT's own environment for ASTParser searches them.
   */
  private static final class Lookup extends FileSystem implements INameEnvironmentExtension {
    private final List<SecondaryTypes> secondaries;
    private final List<FileSystem.Classpath> classFolders;

    Lookup(List<FileSystem.Classpath> entries, List<SecondaryTypes> secondaries,
        List<FileSystem.Classpath> classFolders) {
      super(entries.toArray(FileSystem.Classpath[]::new), null, false);
      this.secondaries = secondaries;
      this.classFolders = classFolders;
    }

    @Override
    public NameEnvironmentAnswer findType(char[] typeName, char[][] packageName,
        char[] moduleName) {
      return findType(typeName, packageName, true, moduleName);
    }

    @Override
    public NameEnvironmentAnswer findType(char[] typeName, char[][] packageName,
        boolean searchWithSecondaryTypes, char[] moduleName) {
      NameEnvironmentAnswer answer = super.findType(typeName, packageName, moduleName);
      if (answer != null || !searchWithSecondaryTypes) {
        return answer;
      }
      String qualifiedPackageName = new String(CharOperation.concatWith(packageName, '/'));
      String qualifiedBinaryFileName = new String(CharOperation.concatWith(packageName, typeName,
          '/')) + SUFFIX_STRING_class;
      LookupStrategy strategy = LookupStrategy.get(moduleName);
      NameEnvironmentAnswer suggested = null;
      int folders = secondaries.size() + classFolders.size();
      for (int i = 0; i < folders; i++) {
        boolean source = i < secondaries.size();
        FileSystem.Classpath folder = source ? secondaries.get(i).folder()
            : classFolders.get(i - secondaries.size());
        if (!(folder instanceof ClasspathDirectory directory)
            || !strategy.matchesWithName(folder, loc -> loc.getModule() != null,
                loc -> loc.servesModule(moduleName))) {
          continue;
        }
        answer = source
            ? secondaries.get(i).find(typeName, qualifiedPackageName, qualifiedBinaryFileName)
            : directory.findSecondaryInClass(typeName, qualifiedPackageName,
                qualifiedBinaryFileName);
        if (answer != null) {
          if (!answer.ignoreIfBetter()) {
            if (answer.isBetter(suggested)) {
              return answer;
            }
          } else if (answer.isBetter(suggested)) {
            suggested = answer; // remember it and keep looking
          }
        }
      }
      return answer; // (sic) JDT's environment for ASTParser answers the last one looked at
    }
  }

  /** JDT's non-public pieces of {@code ASTParser.createAST}, found once. */
  private record Internals(Constructor<?> resolver, Field aborted, Method convert,
      Constructor<?> bindingTables) {

    static Internals find() {
      try {
        Class<?> resolverClass = Class.forName("org.eclipse.jdt.core.dom.CompilationUnitResolver",
            false, AST.class.getClassLoader());
        Constructor<?> resolver = resolverClass.getConstructor(INameEnvironment.class,
            IErrorHandlingPolicy.class, CompilerOptions.class, ICompilerRequestor.class,
            org.eclipse.jdt.internal.compiler.IProblemFactory.class,
            org.eclipse.core.runtime.IProgressMonitor.class, boolean.class);
        Field aborted = resolverClass.getDeclaredField("hasCompilationAborted");
        Class<?> tablesClass = Class.forName(
            "org.eclipse.jdt.core.dom.DefaultBindingResolver$BindingTables", false,
            AST.class.getClassLoader());
        Constructor<?> tables = tablesClass.getDeclaredConstructor();
        Method convert = resolverClass.getMethod("convert", CompilationUnitDeclaration.class,
            char[].class, int.class, Map.class, boolean.class,
            org.eclipse.jdt.core.WorkingCopyOwner.class, tablesClass, int.class,
            org.eclipse.core.runtime.IProgressMonitor.class, boolean.class);
        for (var accessible : new java.lang.reflect.AccessibleObject[] {resolver, aborted, tables,
            convert}) {
          accessible.setAccessible(true);
        }
        return new Internals(resolver, aborted, convert, tables);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }

    /** What ASTParser.createAST does for a unit name and text, without flow analysis and code
     * generation; null where the resolver aborted or the internals failed. */
    CompilationUnit resolve(Path file, char[] source, INameEnvironment env) {
      CompilationUnitDeclaration unit = null;
      try {
        CompilerOptions options = new CompilerOptions(JavaParsing.bindingOptionsMap());
        options.performMethodsFullRecovery = true; // statement recovery, as JavaParsing sets it
        options.performStatementsRecovery = true;
        options.parseLiteralExpressionsAsConstants = false;
        options.storeAnnotations = true;
        options.ignoreSourceFolderWarningOption = true;
        options.ignoreMethodBodies = false;
        Compiler compiler = (Compiler) resolver.newInstance(env, POLICY, options,
            (ICompilerRequestor) result -> { }, new DefaultProblemFactory(), null, false);
        unit = compiler.resolve(new BasicCompilationUnit(source, null, file.toString(),
            (org.eclipse.jdt.core.IJavaElement) null), true, false, false);
        if (unit == null || aborted.getBoolean(compiler)) {
          return null;
        }
        if (unit.scope != null && unit.scope.environment != null
            && unit.scope.environment.unitBeingCompleted == null) {
          unit.scope.environment.unitBeingCompleted = unit; // as JDT's own resolve leaves it
        }
        int flags = ICompilationUnit.ENABLE_STATEMENTS_RECOVERY
            | ICompilationUnit.ENABLE_BINDINGS_RECOVERY;
        return (CompilationUnit) convert.invoke(null, unit, source, AST.getJLSLatest(),
            JavaParsing.bindingOptionsMap(), true, null, bindingTables.newInstance(), flags, null,
            false);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      } finally {
        if (unit != null) {
          unit.cleanUp();
        }
      }
    }
  }

  /** JDT's policy for DOM parses: report all problems, never stop. */
  private static final IErrorHandlingPolicy POLICY = new IErrorHandlingPolicy() {
    @Override
    public boolean stopOnFirstError() {
      return false;
    }

    @Override
    public boolean proceedOnErrors() {
      return false;
    }

    @Override
    public boolean ignoreAllErrors() {
      return false;
    }
  };
}
