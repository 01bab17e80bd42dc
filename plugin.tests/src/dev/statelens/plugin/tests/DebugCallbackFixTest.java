package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.test.support.TestJavaProjects;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.jdt.core.IJavaProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SL003 on a logger call: the lint module's debug-callback fix through the Problems view's Quick
 * Fix, against the real engine (Debug.callback), and the code compiles with no marker left.
 */
class DebugCallbackFixTest {

  static final String LOGGING = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;
      import java.util.logging.Logger;

      public class Logging {
        private static final Logger logger = Logger.getLogger("train");

        Array step(Array x) {
          Array loss = x.mul(x).sum();
          logger.info("loss " + loss);
          return x.sub(loss);
        }

        Function<Array, Array> jitted() {
          return Transforms.jit(this::step);
        }
      }
      """;

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  @Test
  void movesTheLoggerCallIntoDebugCallbackAndTheCodeCompiles() throws Exception {
    project = TestProjects.create("debug-callback", Map.of("demo/Logging.java", LOGGING));
    TestJavaProjects.fullBuild(project);
    assertEquals(List.of(), TestJavaProjects.compileErrors(project));
    IFile file = project.getProject().getFile("src/demo/Logging.java");
    IMarker io = TestProjects.lintMarker(file, "SL003");

    TestProjects.resolution(io, "Run it in Debug.callback (StateLens)").run(io);

    String text = TestJavaProjects.read(file);
    assertTrue(text.contains("Debug.callback(v -> logger.info(\"loss \" + v[0]), loss);"), text);
    assertTrue(text.contains("import dev.statelens.engine.Debug;"), text);
    TestProjects.assertBuildsClean(project);
  }
}
