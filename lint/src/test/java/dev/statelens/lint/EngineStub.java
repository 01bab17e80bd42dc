package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** The engine's API as a compiled stub (test resources), for lints with the engine on the classpath. */
final class EngineStub {

  private EngineStub() {}

  /** Compiles the stub into {@code dir} and returns it (a classpath entry). */
  static Path compile(Path dir) throws IOException, URISyntaxException {
    Path classes = Files.createDirectories(dir);
    List<String> files = new ArrayList<>();
    try (Stream<Path> stub = Files.walk(Path.of(
        EngineStub.class.getResource("/engine-stub").toURI()))) {
      stub.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (var fileManager = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(messages, fileManager, null,
          List.of("-d", classes.toString(), "-proc:none", "-Xlint:none"), null,
          fileManager.getJavaFileObjectsFromStrings(files)).call();
      assertTrue(ok, "the engine stub does not compile:\n" + messages);
    }
    return classes;
  }
}
