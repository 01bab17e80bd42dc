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
 * exist only there on a machine set up for JAX). Only looks at a few fixed directory patterns.
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
