package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An editor buffer that adds an overload, a saved file that calls it: the lint walk's Convert to
 * explicit state in the Counter's editor, before Save. Main is parsed with bindings against the
 * Counter on disk, where only {@code count()} exists, and JDT binds {@code counter.count(state)} to
 * it; the call must be resolved by name and arity in the buffer's Counter instead (no SL001 on the
 * kept adapter's field write, which the jit does not reach).
 */
class UnsavedOverloadTest {

  static final String COUNTER_ON_DISK = """
      package demo;

      import dev.statelens.engine.Array;

      public class Counter {
        Array n = Array.scalar(0);

        public Array count() {
          n = n.add(1);
          return n;
        }
      }
      """;

  static final String COUNTER_BUFFER = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Pair;

      public class Counter {
        Array n = Array.scalar(0);

        public record CountState(Array n) {}

        public Pair<Array, CountState> count(CountState state) {
          Array n = state.n();
          n = n.add(1);
          return Pair.of(n, new CountState(n));
        }

        public Array count() {
          var result = count(new CountState(this.n));
          this.n = result.second().n();
          return result.first();
        }
      }
      """;

  static final String MAIN_ON_DISK = """
      package demo;

      import dev.statelens.engine.Array;
      import dev.statelens.engine.Pair;
      import dev.statelens.engine.Transforms;
      import java.util.function.Function;

      public class Main {
        public static void main(String[] args) {
          Counter counter = new Counter();
          Function<Counter.CountState, Pair<Array, Counter.CountState>> fast =
              Transforms.jit((Counter.CountState state) -> counter.count(state));
          Counter.CountState countState = new Counter.CountState(counter.n);
          var countOut = fast.apply(countState);
          System.out.println(countOut.first());
        }
      }
      """;

  @TempDir
  Path tmp;

  @Test
  void aCallToAnOverloadOnlyTheBufferHasIsResolvedInTheBuffer() throws IOException, URISyntaxException {
    Path engine = EngineStub.compile(tmp.resolve("engine-classes"));
    Path dir = Files.createDirectories(tmp.resolve("src/demo"));
    Path counter = dir.resolve("Counter.java");
    Path main = dir.resolve("Main.java");
    Files.writeString(counter, COUNTER_ON_DISK);
    Files.writeString(main, MAIN_ON_DISK);
    Linter linter = new Linter(LintConfig.defaults().withClasspath(List.of(engine)));
    LintResult result = linter.lint(List.of(new SourceFile(counter.toAbsolutePath().normalize(), COUNTER_BUFFER),
        SourceFile.read(main.toAbsolutePath().normalize())));
    assertEquals(List.of(), result.findings().stream().filter(f -> f.rule() == Rule.SL001).toList());
  }
}
