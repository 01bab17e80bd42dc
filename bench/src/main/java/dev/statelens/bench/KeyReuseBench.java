package dev.statelens.bench;

import dev.statelens.lint.fix.KeySplitFix;
import dev.statelens.lint.rules.KeyReuseRule;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SL010 on a key-heavy file: {@code methods} helpers in chains of five (each passes its key to
 * the next, declared after it, so the per-file summaries need several rounds) and as many
 * training methods with two nested loops that split, draw through the helpers and reuse a key
 * across iterations. {@code find}: the rule on a parsed file (summaries, then every body, loop
 * bodies twice); {@code parse}: a syntax parse of the same text, for scale — the Linter runs the
 * rule once per file text, after a parse it already has.
 * Run: {@code java -jar bench/target/benchmarks.jar KeyReuseBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KeyReuseBench {

  @Param("40")
  public int methods;

  private SourceFile source;
  private CompilationUnit cu;
  private int lastReuse;

  @Setup
  public void setUp() {
    source = new SourceFile(Path.of("KeyHeavy.java"), keyHeavyFile(methods));
    cu = JavaParsing.parseSyntax(source);
    List<KeyReuseRule.Reuse> reuses = KeyReuseRule.find(cu);
    int found = reuses.size();
    lastReuse = reuses.getLast().at().getStartPosition();
    // two per training method: the next epoch splits the key its last draw used, and (when the
    // inner loop runs zero times) draws from it again
    if (found != 2 * methods) {
      throw new IllegalStateException("expected " + 2 * methods + " reuses, found " + found);
    }
    System.out.printf("%n%d lines, %d SL010 findings%n", source.content().lines().count(), found);
  }

  @Benchmark
  public List<KeyReuseRule.Reuse> find() {
    return KeyReuseRule.find(cu);
  }

  /**
   * What the Linter does per file text since SL010 has quick fixes: the rule, then for each reuse
   * which fixes to list ({@code KeySplitFix.listed}: the rewrite is planned from the syntax; the
   * re-lint that verifies it waits until a fix is asked for, {@link #verifyOneFix}).
   */
  @Benchmark
  public int findAndOfferFixes() {
    List<KeyReuseRule.Reuse> reuses = KeyReuseRule.find(cu);
    return KeySplitFix.listed(source.content(), reuses).size();
  }

  /**
   * What Ctrl+1 (or the Problems view's Quick Fix) pays per listed SL010 fix before showing it:
   * parse the text, find the reuse, plan, apply and lint the fixed text ({@code
   * KeySplitFix.verify}), here for the file's last reuse.
   */
  @Benchmark
  public Object verifyOneFix() {
    return KeySplitFix.verify(dev.statelens.lint.fix.FixId.SPLIT_KEY, source.content(), lastReuse);
  }

  @Benchmark
  public CompilationUnit parse() {
    return JavaParsing.parseSyntax(source);
  }

  static String keyHeavyFile(int methods) {
    StringBuilder s = new StringBuilder("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;
        import dev.statelens.engine.Nn;
        import dev.statelens.engine.Random;

        class KeyHeavy {
        """);
    for (int i = 0; i < methods; i++) {
      String body = i % 5 == 4 ? "return Random.normal(k, n);"
          : "return noise" + (i + 1) + "(k, n).mul(2);";
      s.append("""

            static Array noise%d(Key k, int n) {
              %s
            }

            Array train%d(Key key, Array x) {
              Array sum = x;
              for (int epoch = 0; epoch < 3; epoch++) {
                for (int b = 0; b < 4; b++) {
                  var ks = Random.split(key);
                  key = ks.first();
                  Key sub = ks.second();
                  sum = sum.add(noise%d(sub, 3));
                  if (b %% 2 == 0) {
                    sum = Nn.dropout(Random.foldIn(key, b), 0.1, sum);
                  }
                }
                sum = sum.add(noise%d(key, 3));
              }
              return sum;
            }
            """.formatted(i, body, i, i - i % 5, i - i % 5));
    }
    return s.append("}\n").toString();
  }
}
