package dev.statelens.engine.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link ChildProgram} on this test JVM's class path, its stdout as lines. */
final class ChildJvm implements AutoCloseable {
  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder all = new StringBuilder();

  ChildJvm(List<String> jvmOptions, String... args) throws IOException {
    this(Map.of(), jvmOptions, args);
  }

  /** As above, with {@code env} added to the child's environment (e.g. {@code STATELENS_RECORD}). */
  ChildJvm(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvmOptions);
    cmd.add(ChildProgram.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the test JVM may itself run with recording switched on: the child gets only what it is given
    pb.environment().keySet().removeIf(k -> k.startsWith("STATELENS_"));
    pb.environment().putAll(env);
    process = pb.start();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (all) {
            all.append(line).append('\n');
          }
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the child died
      }
    });
  }

  /** Waits for a line starting with {@code prefix}; fails with the child's output on timeout. */
  String await(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null && l.startsWith(prefix)) {
        return l;
      }
    }
    throw new AssertionError("child did not print '" + prefix + "' within " + seconds + " s; output:\n" + output());
  }

  String output() {
    synchronized (all) {
      return all.toString();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
