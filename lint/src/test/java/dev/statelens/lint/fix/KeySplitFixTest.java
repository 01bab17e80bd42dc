package dev.statelens.lint.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Rule;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SL010's "Split the key" and "Fold in the loop index" ({@link KeySplitFix}): which reuses of the
 * golden fixtures get which fix, the fixed text of each, that the fixed file compiles against
 * the engine stub, and that linting it again finds every other reuse where it was and none at
 * the fixed site; and the cases ({@code fixes/KeySplit.java}) where a rewrite would not compile
 * (not listed) or would only move the reuse (listed, refused when asked for), so none is
 * proposed. "Offered" below is what an IDE proposes: listed and verified.
 */
class KeySplitFixTest {

  @TempDir Path work;

  private static final Path REUSE = FixesTest.resource("fixtures/Sl010KeyReuse.java");
  private static final Path HELPERS = FixesTest.resource("fixtures/Sl010KeyReuseHelpers.java");
  private static final Path CASES = FixesTest.resource("fixes/KeySplit.java");
  private static final Path FLOW = FixesTest.resource("fixtures/Sl010KeyFlow.java");
  private static final Path HOLDERS = FixesTest.resource("fixtures/Sl010KeyHolders.java");

  private static final List<String> SPLIT = List.of("split-key", "suppress");
  private static final List<String> BOTH = List.of("split-key", "fold-in", "suppress");
  private static final List<String> NONE = List.of("suppress");
  private static final List<String> FOLD = List.of("fold-in", "suppress");

  /** What the fixtures use of the engine beyond the shared stub (Init, Lax, Nn). */
  private static final Map<Path, String> MORE_STUB = Map.of(
      Path.of("Init.java"), """
          package dev.statelens.engine;
          public final class Init {
            public interface Initializer { Array init(Key key, int... shape); }
            public static Initializer heNormal() { return (k, s) -> Random.normal(k, s); }
            public static Initializer zeros() { return (k, s) -> Array.scalar(0); }
          }
          """,
      Path.of("Lax.java"), """
          package dev.statelens.engine;
          public final class Lax {
            public static <C> C forI(int lo, int hi, java.util.function.BiFunction<Array, C, C> body,
                C init) {
              C c = init;
              for (int i = lo; i < hi; i++) { c = body.apply(Array.scalar(i), c); }
              return c;
            }
          }
          """,
      Path.of("Nn.java"), """
          package dev.statelens.engine;
          public final class Nn {
            public static Array dropout(Key key, double rate, Array x) { return x; }
          }
          """);

  private static List<Finding> reuses(Path file) throws Exception {
    LintResult result = Linter.lintPaths(List.of(file), LintConfig.defaults());
    return result.findings().stream().filter(f -> f.rule() == Rule.SL010).toList();
  }

  private static Finding at(List<Finding> findings, int line) {
    return findings.stream().filter(f -> f.range().line() == line).findFirst()
        .orElseThrow(() -> new AssertionError("no SL010 at line " + line + " in " + findings));
  }

  private static int lineOf(Path file, String marker) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("// " + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no marker " + marker);
  }

  /**
   * What an IDE proposes for each finding, by line: the fix ids the finding lists, less the
   * split-key / fold-in that {@link KeySplitFix#verify} refuses when asked for. Also checks that
   * a proposed fix is one that applies, and a refused one does not.
   */
  private static Map<Integer, List<String>> offered(List<Finding> findings) throws Exception {
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    for (Finding f : findings) {
      out.put(f.range().line(), proposed(f));
    }
    return out;
  }

  private static List<String> proposed(Finding f) throws Exception {
    String source = Files.readString(f.file());
    List<String> ids = new ArrayList<>();
    for (String id : f.fixIds()) {
      FixId fix = FixId.parse(id);
      if (fix == FixId.SUPPRESS) {
        ids.add(id);
        continue;
      }
      KeySplitFix.Verdict verdict = KeySplitFix.verify(fix, source, f.range().offset());
      FixOutcome applied = QuickFixes.apply(fix, f, SourceFile::read);
      switch (verdict) {
        case KeySplitFix.Verdict.Proposed p -> {
          assertEquals(p.label(),
              assertInstanceOf(FixOutcome.Applied.class, applied, id + " proposed").label());
          ids.add(id);
        }
        case KeySplitFix.Verdict.Refused r -> assertEquals(r.reason(),
            assertInstanceOf(FixOutcome.NotApplicable.class, applied, id + " refused").reason());
      }
    }
    return ids;
  }

  @Test
  void offeredOnTheGoldenFixtures() throws Exception {
    Map<Integer, List<String>> expected = new LinkedHashMap<>();
    expected.put(16, SPLIT); // two draws
    expected.put(23, SPLIT); // split, then the old key: draw from the unused half
    expected.put(52, BOTH); // for (int i...) without reassignment
    expected.put(60, SPLIT); // drawn in the previous iteration
    expected.put(96, SPLIT); // drawn, then split
    expected.put(91, NONE); // a field drawn twice: splitting would write the field
    expected.put(104, SPLIT); // for-each: no index to fold in
    expected.put(117, NONE); // an expression lambda: no statement to split before
    expected.put(138, NONE); // Lax.forI's body captures the key
    assertEquals(expected, offered(reuses(REUSE)));

    Map<Integer, List<String>> helpers = new LinkedHashMap<>();
    for (int line : new int[] {90, 94, 114, 119, 130, 134, 146}) {
      helpers.put(line, SPLIT); // the helper call is the draw
    }
    helpers.put(154, BOTH);
    helpers.put(162, SPLIT);
    helpers.put(218, NONE);
    assertEquals(helpers, offered(reuses(HELPERS)));

    // keys in fields: no split (it would write the field, a side effect under jit); a draw in
    // a counted loop or IntStream.range's lambda folds in the index, which writes nothing
    Path fieldKeys = FixesTest.resource("fixtures/Sl010FieldKeys.java");
    Map<Integer, List<String>> fields = new LinkedHashMap<>();
    for (int line : new int[] {23, 30, 34, 40, 48, 52, 59, 66, 75}) {
      fields.put(line, NONE);
    }
    fields.put(40, FOLD); // for (int i ...) { Random.normal(key, 3) }
    fields.put(52, FOLD); // IntStream.range(0, 4).mapToObj(i -> Random.normal(key, 3))
    List<Finding> fieldReuses = reuses(fieldKeys);
    assertEquals(fields, offered(fieldReuses));
    KeySplitFix.Verdict folded = KeySplitFix.verify(FixId.FOLD_IN, Files.readString(fieldKeys),
        at(fieldReuses, 40).range().offset());
    assertTrue(assertInstanceOf(KeySplitFix.Verdict.Proposed.class, folded).label()
        .contains("Random.foldIn(key, i)"), folded.toString());
  }

  /**
   * Copies of a key, constructors and per-element lambdas: a reuse through a copy gets no fix
   * (splitting one name leaves the other holding the drawn key); a constructor call is the
   * earlier draw like a helper call; {@code IntStream.range(a, b).mapToObj(i -> ...)} folds in
   * its index; other stream lambdas have no index to fold in and cannot reassign the key.
   */
  @Test
  void offeredOnTheFlowFixture() throws Exception {
    Map<Integer, List<String>> expected = new LinkedHashMap<>();
    for (int line : new int[] {23, 29, 35, 41, 48, 62, 81, 88}) {
      expected.put(line, NONE); // drawn through a copy (81: copied again each iteration)
    }
    for (int line : new int[] {123, 129, 134, 139}) {
      expected.put(line, SPLIT); // new Layer(key, ...), new Dense(key), Params.init(key) drew
    }
    expected.put(158, BOTH); // new Layer(key, 3) in a counted loop
    expected.put(177, SPLIT); // new Twice(key, 3): Twice(Key, int) by its parameter types
    expected.put(189, FOLD); // IntStream.range(0, 8).mapToObj(i -> ...)
    for (int line : new int[] {193, 197, 201}) {
      expected.put(line, NONE); // stream(), forEach, Stream.generate: no index
    }
    assertEquals(expected, offered(reuses(FLOW)));
  }

  /**
   * Keys read from records, pairs, lists and arrays ({@code p.key()}, {@code ks.first()},
   * {@code ks.get(0)}, {@code ks[1]}) or returned by a helper ({@code keep(key)}): no variable to
   * split and reassign, so no fix (nor for copies); a plain key drawn after a constructor or
   * a helper that consumed it is split before that call as usual.
   */
  @Test
  void offeredOnTheHoldersFixture() throws Exception {
    Map<Integer, List<String>> expected = new LinkedHashMap<>();
    for (int line : new int[] {35, 40, 77, 89, 106, 114, 125, 139, 150, 155, 168, 178, 215, 220,
        225}) {
      expected.put(line, NONE);
    }
    for (int line : new int[] {230, 268, 280}) {
      expected.put(line, SPLIT); // next(key), new Layer(key, 3), new Layer(key, "dense") drew
    }
    assertEquals(expected, offered(reuses(HOLDERS)));
  }

  @Test
  void constructorCallsAreDrawsAndStreamIndicesAreFoldedIn() throws Exception {
    String split = fixAndCheck(FLOW, 123, FixId.SPLIT_KEY,
        "Split the key before the draw at line 122 (key = keys2.first(), draw from "
            + "keys2.second())", 122, 2); // the file has a parameter named keys
    assertContains(split, """
            var keys2 = Random.split(key);
            key = keys2.first();
            Layer a = new Layer(keys2.second(), 3);
            Layer b = new Layer(key, 3);
        """);
    String folded = fixAndCheck(FLOW, 189, FixId.FOLD_IN,
        "Fold in the loop index (draw from Random.foldIn(key, i))", 189, 0);
    assertContains(folded,
        "IntStream.range(0, 8).mapToObj(i -> Random.normal(Random.foldIn(key, i), 3)).toList();");
  }

  /**
   * One {@link KeySplitFix.Checker} per text (what Ctrl+1 and the Problems view share) gives the
   * verdicts {@code verify} gives, for every finding and both fixes, keeps each one, and refuses
   * an offset where no key is reused.
   */
  @Test
  void oneCheckerPerTextGivesTheVerdictsOfVerify() throws Exception {
    for (Path file : List.of(REUSE, FLOW)) {
      String source = Files.readString(file);
      KeySplitFix.Checker checker = KeySplitFix.Checker.of(source);
      for (Finding f : reuses(file)) {
        for (FixId fix : List.of(FixId.SPLIT_KEY, FixId.FOLD_IN)) {
          KeySplitFix.Verdict shared = checker.verify(fix, f.range().offset());
          assertEquals(KeySplitFix.verify(fix, source, f.range().offset()), shared,
              fix + " at line " + f.range().line());
          assertSame(shared, checker.verify(fix, f.range().offset()), "computed once");
        }
      }
      KeySplitFix.Verdict nowhere = checker.verify(FixId.SPLIT_KEY, 0);
      assertTrue(nowhere instanceof KeySplitFix.Verdict.Refused r
          && r.reason().contains("not reused there"), nowhere.toString());
    }
  }

  @Test
  void twoDrawsSplitBeforeTheEarlierDraw() throws Exception {
    String fixed = fixAndCheck(REUSE, 16, FixId.SPLIT_KEY,
        "Split the key before the draw at line 15 (key = keys.first(), draw from keys.second())",
        15, 2);
    assertContains(fixed, """
          Array twoDraws(Key key) {
            var keys = Random.split(key);
            key = keys.first();
            Array a = Random.normal(keys.second(), 3);
            Array b = Random.uniform(key, 3);
        """);
  }

  @Test
  void splitThenOldKeyDrawsFromTheUnusedHalf() throws Exception {
    String fixed = fixAndCheck(REUSE, 23, FixId.SPLIT_KEY,
        "Draw from ks.first(), the unused key of the split at line 21", 23, 0);
    assertContains(fixed, """
            Array a = Random.normal(ks.second(), 3);
            Array b = Random.normal(ks.first(), 3);
        """);
  }

  @Test
  void loopSplitsAtTheTopOfTheBodyOrFoldsInTheIndex() throws Exception {
    String split = fixAndCheck(REUSE, 52, FixId.SPLIT_KEY,
        "Split the key in each iteration (key = keys.first(), draw from keys.second())", 52, 2);
    assertContains(split, """
            for (int i = 0; i < 10; i++) {
              var keys = Random.split(key);
              key = keys.first();
              sum = sum.add(Random.normal(keys.second(), 3));
        """);
    String folded = fixAndCheck(REUSE, 52, FixId.FOLD_IN,
        "Fold in the loop index (draw from Random.foldIn(key, i))", 52, 0);
    assertContains(folded, "      sum = sum.add(Random.normal(Random.foldIn(key, i), 3));");
    String forEach = fixAndCheck(REUSE, 104, FixId.SPLIT_KEY,
        "Split the key in each iteration (key = keys.first(), draw from keys.second())", 104, 2);
    assertContains(forEach, """
            for (String s : new String[] {"a", "b"}) {
              var keys = Random.split(key);
              key = keys.first();
              sum = sum.add(Random.uniform(keys.second(), 3));
        """);
  }

  @Test
  void drawsBeforeASplitOrInThePreviousIteration() throws Exception {
    String drawThenSplit = fixAndCheck(REUSE, 96, FixId.SPLIT_KEY,
        "Split the key before the draw at line 95 (key = keys.first(), draw from keys.second())",
        95, 2);
    assertContains(drawThenSplit, """
            var keys = Random.split(key);
            key = keys.first();
            Array a = Random.normal(keys.second(), 3);
            var ks = Random.split(key);
        """);
    String previous = fixAndCheck(REUSE, 60, FixId.SPLIT_KEY,
        "Split the key before the draw at line 63 (key = keys.first(), draw from keys.second())",
        63, 2);
    assertContains(previous, """
              var keys = Random.split(key);
              key = keys.first();
              sum = sum.add(Random.normal(keys.second(), 3));
        """);
  }

  @Test
  void helperCallsAreTheDraws() throws Exception {
    String fixed = fixAndCheck(HELPERS, 90, FixId.SPLIT_KEY,
        "Split the key before the draw at line 89 (key = keys.first(), draw from keys.second())",
        89, 2);
    assertContains(fixed, """
            var keys = Random.split(key);
            key = keys.first();
            Array a = noise(keys.second(), 3);
            return a.add(noise(key, 3));
        """);
    String second = fixAndCheck(HELPERS, 130, FixId.SPLIT_KEY,
        "Split the key before the draw at line 129 (key = keys.first(), draw from keys.second())",
        129, 2);
    assertContains(second, "    Array h = block(x, keys.second());\n    return block(h, key);");
    String loop = fixAndCheck(HELPERS, 154, FixId.FOLD_IN,
        "Fold in the loop index (draw from Random.foldIn(key, i))", 154, 0);
    assertContains(loop, "      sum = sum.add(noise(Random.foldIn(key, i), 3));");
  }

  @Test
  void notOfferedWhereTheRewriteWouldNotCompileOrOnlyMoveTheReuse() throws Exception {
    List<Finding> findings = reuses(CASES);
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "finalKey:"))));
    assertEquals(List.of("fold-in", "suppress"),
        proposed(at(findings, lineOf(CASES, "finalKeyInLoop:"))), "folding in needs no assignment");
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "captured:"))));
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "twoInLoop first"))),
        "the next iteration would split the key the second draw used");
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "twoInLoop second"))));
    assertEquals(SPLIT, proposed(at(findings, lineOf(CASES, "nested:"))),
        "foldIn(key, i) repeats in each pass of the outer loop");
    assertEquals(SPLIT, proposed(at(findings, lineOf(CASES, "indexChanged:"))));
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "noBraces:"))));
    assertEquals(NONE, proposed(at(findings, lineOf(CASES, "bothHalves:"))));
    assertEquals(SPLIT, proposed(at(findings, lineOf(CASES, "whileLoop:"))));

    // the reasons, as the CLI or a stale editor would get them
    assertEquals(List.of("final"), reasonWords(findings, "finalKey:", FixId.SPLIT_KEY, "final"));
    assertTrue(reason(findings, lineOf(CASES, "captured:"), FixId.SPLIT_KEY)
        .contains("lambda or inner class at line 24"));
    assertTrue(reason(findings, lineOf(CASES, "twoInLoop first"), FixId.SPLIT_KEY)
        .contains("would still be reused"));
    assertTrue(reason(findings, lineOf(CASES, "nested:"), FixId.FOLD_IN).contains("another loop"));
    assertTrue(reason(findings, lineOf(CASES, "noBraces:"), FixId.SPLIT_KEY).contains("add braces"));
    assertTrue(reason(findings, lineOf(CASES, "bothHalves:"), FixId.SPLIT_KEY)
        .contains("both keys of the split"));
  }

  @Test
  void adaptsTheNameAndTheHalfToTheCode() throws Exception {
    int earlier = lineOf(CASES, "nameTaken:") - 1;
    String taken = fixAndCheck(CASES, earlier + 1, FixId.SPLIT_KEY,
        "Split the key before the draw at line " + earlier
            + " (key = keys2.first(), draw from keys2.second())", earlier, 2);
    assertContains(taken, """
            var keys2 = Random.split(key);
            key = keys2.first();
            Array a = Random.normal(keys2.second(), 3);
        """);
    String half = fixAndCheck(CASES, lineOf(CASES, "firstHalf:"), FixId.SPLIT_KEY,
        "Draw from ks.second(), the unused key of the split at line "
            + (lineOf(CASES, "firstHalf:") - 2),
        lineOf(CASES, "firstHalf:"), 0);
    assertContains(half, "    return a.add(Random.normal(ks.second(), 3));");
  }

  @Test
  void listedFromTheSyntaxVerifiedWhenAskedFor() throws Exception {
    List<Finding> findings = reuses(CASES);
    // the rewrite plans (the key may be assigned, the draw is in a block), so linting lists it...
    Finding first = at(findings, lineOf(CASES, "twoInLoop first"));
    Finding second = at(findings, lineOf(CASES, "twoInLoop second"));
    assertEquals(SPLIT, first.fixIds());
    assertEquals(SPLIT, second.fixIds());
    // ...but the fixed text still reuses the key, which only the check on request finds
    String source = Files.readString(CASES);
    for (Finding f : List.of(first, second)) {
      KeySplitFix.Verdict verdict = KeySplitFix.verify(FixId.SPLIT_KEY, source, f.range().offset());
      assertTrue(assertInstanceOf(KeySplitFix.Verdict.Refused.class, verdict).reason()
          .contains("would still be reused"), verdict.toString());
      assertEquals(FixId.SPLIT_KEY.label(),
          KeySplitFix.labelAt(FixId.SPLIT_KEY, source, f.range().offset()));
    }
    // a text that changed under the finding: refused, never applied somewhere else
    assertInstanceOf(KeySplitFix.Verdict.Refused.class,
        KeySplitFix.verify(FixId.SPLIT_KEY, source, first.range().offset() + 1));
  }

  /**
   * The samplers and key functions that came with jax.random's binomial, clone and a traced
   * fold_in get the fixes the older ones get: two binomial draws split, a per-iteration draw
   * folds in the index; drawing from a clone and from its key, or after a foldIn, needs none.
   */
  @Test
  void newSamplersGetTheSameFixesAndCloneNeedsNone() throws Exception {
    Path file = Files.writeString(work.resolve("NewApis.java"), """
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;
        import dev.statelens.engine.Random;

        class NewApis {
          Array twoDraws(Key key) {
            Array a = Random.binomial(key, 10, 0.5, 3);
            return a.add(Random.binomial(key, 10, 0.5, 3));
          }

          Array perStep(Key key) {
            Array sum = Array.scalar(0);
            for (int i = 0; i < 10; i++) {
              sum = sum.add(Random.binomial(key, 10, 0.5, 3));
            }
            return sum;
          }

          Array cloned(Key key, Array step) {
            Key copy = Random.clone(key);
            Array a = Random.binomial(copy, 10, 0.5, 3);
            Array b = Random.normal(Random.foldIn(key, step), 3);
            return a.add(b).add(Random.binomial(key, 10, 0.5, 3));
          }
        }
        """);
    Map<Integer, List<String>> expected = new LinkedHashMap<>();
    expected.put(8, SPLIT);
    expected.put(14, BOTH);
    assertEquals(expected, offered(reuses(file)));
    String split = fixAndCheck(file, 8, FixId.SPLIT_KEY,
        "Split the key before the draw at line 7 (key = keys.first(), draw from keys.second())", 7,
        2);
    assertContains(split, """
            var keys = Random.split(key);
            key = keys.first();
            Array a = Random.binomial(keys.second(), 10, 0.5, 3);
            return a.add(Random.binomial(key, 10, 0.5, 3));
        """);
    String folded = fixAndCheck(file, 14, FixId.FOLD_IN,
        "Fold in the loop index (draw from Random.foldIn(key, i))", 14, 0);
    assertContains(folded, "      sum = sum.add(Random.binomial(Random.foldIn(key, i), 10, 0.5, 3));");
  }

  @Test
  void aFileWithManyReusesListsAndVerifiesEveryOne() throws Exception {
    StringBuilder text = new StringBuilder("""
        import dev.statelens.engine.Array;
        import dev.statelens.engine.Key;
        import dev.statelens.engine.Random;

        class Many {
        """);
    int methods = 40; // past the 16 the Linter once checked per file
    for (int i = 0; i < methods; i++) {
      text.append("""
            Array draws%d(Key key) {
              Array a = Random.normal(key, 3);
              return a.add(Random.uniform(key, 3));
            }
          """.formatted(i));
    }
    Path file = Files.writeString(work.resolve("Many.java"), text.append("}\n").toString());
    List<Finding> findings = reuses(file);
    assertEquals(methods, findings.size());
    for (Finding f : findings) {
      assertEquals(SPLIT, f.fixIds());
      assertEquals(SPLIT, proposed(f), "line " + f.range().line());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> reasonWords(List<Finding> findings, String marker, FixId fix,
      String word) throws Exception {
    String reason = reason(findings, lineOf(CASES, marker), fix);
    return reason.contains(word) ? List.of(word) : List.of(reason);
  }

  /** Why {@code fix} does not apply at the finding on {@code line}, forcing it past the fix ids. */
  private static String reason(List<Finding> findings, int line, FixId fix) {
    Finding f = at(findings, line);
    Finding forced = new Finding(f.rule(), f.severity(), f.file(), f.range(), f.message(),
        f.callChain(), List.of(fix.id()));
    FixOutcome outcome = QuickFixes.apply(fix, forced, SourceFile::read);
    return assertInstanceOf(FixOutcome.NotApplicable.class, outcome).reason();
  }

  /**
   * Applies {@code fix} to the SL010 at {@code line}, checks its label, compiles the fixed file
   * against the engine stub, and lints it again: every other reuse is still reported (lines after
   * {@code editedLine} moved down by {@code addedLines}), the fixed one is gone, nothing is new.
   */
  private String fixAndCheck(Path file, int line, FixId fix, String label, int editedLine,
      int addedLines) throws Exception {
    List<Finding> before = reuses(file);
    FixOutcome outcome = QuickFixes.apply(fix, at(before, line), SourceFile::read);
    FixOutcome.Applied applied = assertInstanceOf(FixOutcome.Applied.class, outcome,
        () -> "not applied: " + outcome);
    assertEquals(label, applied.label());
    String fixed = applied.newSources().get(file);

    Map<Path, String> sources = new LinkedHashMap<>(MORE_STUB);
    sources.put(file, fixed);
    Path out = work.resolve(fix.id() + "-" + line + "-" + file.getFileName());
    FixesTest.compile(sources, out);

    Path relinted = Files.createDirectories(out.resolve("relint")).resolve(file.getFileName());
    Files.writeString(relinted, fixed);
    TreeSet<Integer> expected = new TreeSet<>();
    for (Finding f : before) {
      int l = f.range().line();
      if (l != line) {
        expected.add(l >= editedLine && l != editedLine ? l + addedLines : l);
      }
    }
    TreeSet<Integer> after = new TreeSet<>();
    reuses(relinted).forEach(f -> after.add(f.range().line()));
    assertEquals(expected, after, "SL010 lines after the fix:\n" + fixed);
    return fixed;
  }

  /** {@code expected} in {@code text}, whose end-of-line comments (the fixtures' notes) are dropped. */
  private static void assertContains(String text, String expected) {
    String code = text.replaceAll("[ \t]*//[^\n]*", "");
    assertTrue(code.contains(expected), "expected\n" + expected + "\nin\n" + code);
  }
}
