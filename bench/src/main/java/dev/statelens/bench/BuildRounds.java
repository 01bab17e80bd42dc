package dev.statelens.bench;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the before/after comparisons ({@link BuildCompare}, {@link LintBuildCompare},
 * {@link KeyReuseFindCompare}) share: several builds of a module loaded side by side in one JVM,
 * each in its own class loader, measured in alternating rounds so every build sees the same load
 * of a shared machine, and the rounds summarized.
 */
final class BuildRounds {
  private BuildRounds() {}

  /** One build's measurement in one round (thread CPU per operation, in the caller's unit). */
  @FunctionalInterface
  interface Measure {
    double run(int build) throws Exception;
  }

  /**
   * A class loader over the build's classes in {@code dir}, then this benchmarks jar (JDT,
   * Jackson, SQLite, the workload classes); fails when {@code probeClass} still comes from the
   * jar, i.e. the build was not loaded from {@code dir}.
   */
  static ClassLoader loader(File dir, String probeClass) throws Exception {
    URL jar = BuildRounds.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader loader = new URLClassLoader(new URL[] {dir.toURI().toURL(), jar},
        ClassLoader.getPlatformClassLoader());
    if (Class.forName(probeClass, false, loader).getProtectionDomain().getCodeSource().getLocation().sameFile(jar)) {
      throw new IllegalStateException(probeClass + " of " + dir + " was not loaded from it");
    }
    return loader;
  }

  /** {@code rounds} rounds, each measuring builds 0..builds-1 in turn: result[build][round]. */
  static double[][] alternate(int rounds, int builds, Measure measure) throws Exception {
    double[][] out = new double[builds][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int b = 0; b < builds; b++) {
        out[b][r] = measure.run(b);
      }
    }
    return out;
  }

  /** "load 15.2 14.8 14.1 ...": printed beside the numbers of a run on a shared machine. */
  static String load() throws IOException {
    return "load " + Files.readString(Path.of("/proc/loadavg")).trim();
  }

  /** A sorted copy, for min / quartile / median. */
  static double[] sorted(double[] rounds) {
    double[] s = rounds.clone();
    Arrays.sort(s);
    return s;
  }
}
