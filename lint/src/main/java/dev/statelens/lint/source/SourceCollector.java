package dev.statelens.lint.source;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Expands the paths given on the command line into the Java files to analyze. */
public final class SourceCollector {

  private SourceCollector() {}

  /**
   * Java files under each path (a file is taken as is, a folder is walked; hidden folders such
   * as {@code .git} are skipped), sorted and without duplicates.
   *
   * @throws IOException naming the path that does not exist or cannot be read
   */
  public static List<Path> javaFiles(List<Path> inputs) throws IOException {
    TreeSet<Path> files = new TreeSet<>();
    for (Path input : inputs) {
      Path path = input.toAbsolutePath().normalize();
      if (!Files.exists(path)) {
        // a relative path is resolved against the caller's folder (the launcher runs from there):
        // naming the absolute path shows a typo and a wrong folder alike
        throw new IOException("no such file or folder: " + input
            + (input.isAbsolute() ? "" : " (looked for " + path + ")")
            + "; check the path, or give the Java files or folders to analyze, e.g. src/main/java");
      }
      if (Files.isRegularFile(path)) {
        if (!path.toString().endsWith(".java")) {
          throw new IOException("not a Java source file: " + input + " (give .java files or folders)");
        }
        files.add(path);
        continue;
      }
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          return !dir.equals(path) && name.startsWith(".")
              ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && file.toString().endsWith(".java")) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    }
    return new ArrayList<>(files);
  }
}
