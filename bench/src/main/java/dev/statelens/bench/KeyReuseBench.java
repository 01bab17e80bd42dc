package dev.statelens.bench;

import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.fix.KeySplitFix;
import dev.statelens.lint.rules.keys.KeyReuseRule;
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
  /** The last four reuses: what the Problems view checks when it lists a fix for each marker. */
  private int[] lastFour;
  /** The same file with one more method: a counted loop's draw, which lists both fixes. */
  private String withLoop;
  private int loopReuse;

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
    lastFour = reuses.subList(found - 4, found).stream()
        .mapToInt(r -> r.at().getStartPosition()).toArray();
    String text = source.content();
    withLoop = text.substring(0, text.lastIndexOf('}')) + """

          Array noisy(Key key) {
            Array sum = Array.scalar(0f);
            for (int i = 0; i < 10; i++) {
              sum = sum.add(Random.normal(key, 3));
            }
            return sum;
          }
        }
        """;
    List<KeyReuseRule.Reuse> loopReuses =
        KeyReuseRule.find(JavaParsing.parseSyntax(new SourceFile(Path.of("KeyHeavy.java"), withLoop)));
    KeyReuseRule.Reuse loop = loopReuses.getLast();
    loopReuse = loop.at().getStartPosition();
    List<FixId> listed = KeySplitFix.listed(withLoop, loopReuses).get(loop);
    if (!listed.equals(List.of(FixId.SPLIT_KEY, FixId.FOLD_IN))
        || !(KeySplitFix.verify(FixId.FOLD_IN, withLoop, loopReuse)
            instanceof KeySplitFix.Verdict.Proposed)) {
      throw new IllegalStateException("the loop's draw should list and verify both fixes: " + listed);
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
    return KeySplitFix.verify(FixId.SPLIT_KEY, source.content(), lastReuse);
  }

  /**
   * Ctrl+1 on a finding that lists both fixes (a draw in a counted loop), checked the way it was
   * before the checker was shared: {@code KeySplitFix.verify} per fix, each parsing and linting
   * the text, then its fixed text.
   */
  @Benchmark
  public Object verifyBothFixesEach() {
    return List.of(KeySplitFix.verify(FixId.SPLIT_KEY, withLoop, loopReuse),
        KeySplitFix.verify(FixId.FOLD_IN, withLoop, loopReuse));
  }

  /** The same two checks through one {@code KeySplitFix.Checker}: the text parsed and linted once. */
  @Benchmark
  public Object verifyBothFixesShared() {
    KeySplitFix.Checker checker = KeySplitFix.Checker.of(withLoop);
    return List.of(checker.verify(FixId.SPLIT_KEY, loopReuse),
        checker.verify(FixId.FOLD_IN, loopReuse));
  }

  /** The Problems view listing split-key for four markers of one file, one verify each. */
  @Benchmark
  public Object verifyFourMarkersEach() {
    Object[] out = new Object[lastFour.length];
    for (int i = 0; i < lastFour.length; i++) {
      out[i] = KeySplitFix.verify(FixId.SPLIT_KEY, source.content(), lastFour[i]);
    }
    return out;
  }

  /** The same four markers through one checker. */
  @Benchmark
  public Object verifyFourMarkersShared() {
    KeySplitFix.Checker checker = KeySplitFix.Checker.of(source.content());
    Object[] out = new Object[lastFour.length];
    for (int i = 0; i < lastFour.length; i++) {
      out[i] = checker.verify(FixId.SPLIT_KEY, lastFour[i]);
    }
    return out;
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
