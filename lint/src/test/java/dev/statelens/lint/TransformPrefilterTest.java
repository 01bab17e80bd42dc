package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.analysis.TransformKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text prefilter that lets a saved edit skip the binding parse must pass every transform's
 * name: a transform missing there would make its sites vanish after an edit.
 */
class TransformPrefilterTest {

  @Test
  void everyTransformNamePassesThePrefilter() {
    for (TransformKind kind : TransformKind.values()) {
      assertTrue(Linter.mayCallTransform("var f = Transforms." + kind.methodName() + "(this::loss);"),
          kind.methodName() + " is a transform but the prefilter rejects it");
    }
    assertFalse(Linter.mayCallTransform("int total = 0; for (int i : xs) total += i;"));
  }

  @Test
  void aFieldWriteInsideJacrevOrVjpIsFlagged(@TempDir Path dir) throws IOException {
    // no jit/grad/vmap in the text: only the new transforms make these sites
    Path file = dir.resolve("Sensitivity.java");
    Files.writeString(file, """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;

        class Sensitivity {
          int evaluations;

          Array jacobian(Array x) {
            return Transforms.jacrev((Array v) -> {
              evaluations++;
              return v.sin();
            }).apply(x);
          }

          Array pullback(Array x, Array ct) {
            return Transforms.vjp((Array v) -> {
              evaluations++;
              return v.exp();
            }, x).pullback(ct);
          }
        }
        """);
    String findings = Fixtures.golden(Linter.lintPaths(List.of(file), LintConfig.defaults()));
    assertTrue(findings.contains("9:7 SL001 Field Sensitivity.evaluations is written inside the lambda "
        + "differentiated by jacrev at Sensitivity.java:8"), findings);
    assertTrue(findings.contains("16:7 SL001 Field Sensitivity.evaluations is written inside the lambda "
        + "differentiated by vjp at Sensitivity.java:15"), findings);
  }
}
