package dev.statelens.engine.backend.gpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where vendor libraries live when they are not on the loader's path: the CUDA toolkit's
 * directories and the {@code nvidia-*} Python wheels that JAX installs (NVRTC and cuBLAS often
 * exist only there on a machine set up for JAX), and ROCm's install prefixes (AMD's packages put
 * hipBLAS in {@code /opt/rocm/lib}, which is not always on the loader's path). Only looks at a
 * few fixed directory patterns.
 */
public final class LibrarySearch {
  private LibrarySearch() {}

  private static final List<String> ROOTS = List.of("/usr/local", "/usr/lib", "/usr/local/lib", "/opt/conda/lib",
      System.getProperty("user.home") + "/.local/lib");

  /** Existing files named {@code fileName} in the toolkit and wheel directories, best first. */
  public static List<String> find(String fileName, String wheelPackage) {
    List<String> out = new ArrayList<>();
    for (String dir : List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib")) {
      add(out, Path.of(dir, fileName));
    }
    glob(Path.of("/usr/local"), "cuda-*", d -> add(out, d.resolve("lib64").resolve(fileName)));
    for (String root : ROOTS) {
      glob(Path.of(root), "python3*", py -> {
        for (String site : List.of("site-packages", "dist-packages")) {
          add(out, py.resolve(site).resolve("nvidia").resolve(wheelPackage).resolve("lib").resolve(fileName));
        }
      });
    }
    return out;
  }

  /**
   * Existing files named {@code fileName} under ROCm's prefixes, best first: {@code $ROCM_PATH/lib},
   * {@code /opt/rocm/lib}, then versioned {@code /opt/rocm-X.Y.Z/lib} (newest name first).
   */
  public static List<String> findRocm(String fileName) {
    List<String> out = new ArrayList<>();
    String rocmPath = System.getenv("ROCM_PATH");
    if (rocmPath != null && !rocmPath.isBlank()) {
      try {
        add(out, Path.of(rocmPath.trim(), "lib", fileName));
      } catch (java.nio.file.InvalidPathException e) {
        // a malformed ROCM_PATH names no library
      }
    }
    add(out, Path.of("/opt/rocm/lib", fileName));
    List<Path> versioned = new ArrayList<>();
    glob(Path.of("/opt"), "rocm-*", versioned::add);
    versioned.sort(java.util.Comparator.reverseOrder());
    for (Path d : versioned) {
      add(out, d.resolve("lib").resolve(fileName));
    }
    return out;
  }

  /**
   * The libraries to try, in order: {@code -D<property>} alone when it is set, else each of
   * {@code sonames} (the loader's path) followed by the files {@code search} finds with that name.
   */
  public static List<String> candidates(String property, List<String> sonames,
      java.util.function.Function<String, List<String>> search) {
    String forced = System.getProperty(property);
    if (forced != null && !forced.isBlank()) {
      return List.of(forced.trim());
    }
    List<String> names = new ArrayList<>();
    for (String soname : sonames) {
      names.add(soname);
      names.addAll(search.apply(soname));
    }
    return names;
  }

  /**
   * Why none of {@link #candidates} loaded: the forced library by name, else {@code soname} with
   * what to install ({@code install}) or which property to set.
   */
  public static String notFound(String property, String soname, String install) {
    String forced = System.getProperty(property);
    return forced != null && !forced.isBlank()
        ? forced.trim() + " not found or not loadable (set by -D" + property + ")"
        : soname + " not found (" + install + ", or set -D" + property + "=/path/to/" + soname + ")";
  }

  private static void add(List<String> out, Path p) {
    if (Files.isRegularFile(p) && !out.contains(p.toString())) {
      out.add(p.toString());
    }
  }

  private static void glob(Path dir, String pattern, java.util.function.Consumer<Path> each) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, pattern)) {
      for (Path p : s) {
        each.accept(p);
      }
    } catch (IOException | SecurityException e) {
      // unreadable directory: nothing found there
    }
  }
}
