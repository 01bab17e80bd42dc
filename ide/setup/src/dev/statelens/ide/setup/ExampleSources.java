package dev.statelens.ide.setup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The examples project's sources: a copy of the repository's {@code examples/src/main/java}, not a
 * link to it. Linked, a quick fix a newcomer tried in the IDE (the README's first step: Ctrl+1 on
 * the Counter, <i>Convert to explicit state</i>) rewrote the repository's examples, which are wrong on
 * purpose — JDT saves at once a changed file no editor has open ({@code CounterExample.java}).
 *
 * <p>On each start {@link #sync} brings in what changed in the repository since (new examples, an
 * engine API the examples follow), but only into files the user has not edited: a manifest beside the
 * copy keeps the hash of each file as it was copied.
 */
final class ExampleSources {
  private ExampleSources() {}

  /**
   * Copies every file of {@code from} missing in {@code to}, and overwrites a file of {@code to} with
   * a changed {@code from} only while it is still as copied ({@code manifest} holds those hashes).
   * Returns the files written, relative to {@code to}.
   */
  static List<String> sync(Path from, Path to, Path manifest) throws IOException {
    Properties copied = new Properties();
    if (Files.exists(manifest)) {
      try (InputStream in = Files.newInputStream(manifest)) {
        copied.load(in);
      }
    }
    List<String> written = new java.util.ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path source : files) {
      String rel = from.relativize(source).toString().replace('\\', '/');
      Path target = to.resolve(rel);
      String sourceHash = sha256(source);
      boolean write = !Files.exists(target)
          || sha256(target).equals(copied.getProperty(rel)) && !sourceHash.equals(copied.getProperty(rel));
      if (write) {
        Files.createDirectories(target.getParent());
        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        copied.setProperty(rel, sourceHash);
        written.add(rel);
      }
    }
    Files.createDirectories(manifest.getParent());
    try (OutputStream out = Files.newOutputStream(manifest)) {
      copied.store(out, "StateLens examples: each file's SHA-256 as copied from the repository (edited files are left alone)");
    }
    return written;
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
