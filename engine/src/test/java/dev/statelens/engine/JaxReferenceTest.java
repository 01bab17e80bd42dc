package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.JaxReference.Reference;
import dev.statelens.engine.JaxReference.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * StateLens against real JAX: every case of a {@code jax-reference.json} written by
 * {@code bench/gpu/jax_reference.py} (docs/prng.md, "Checking against real JAX"), one dynamic test
 * each. The file comes from {@code -Dstatelens.jaxReference=PATH} or
 * {@code STATELENS_JAX_REFERENCE}; without one, the bundled files: what real JAX 0.11.2 wrote on
 * the device machine on 2026-11-27 ({@value #BUNDLED}, JAX's CPU platform, 93 cases) and what real
 * JAX 0.10.2 wrote on the build machine the same day ({@value #BUNDLED_16BIT}: the same script
 * with the 16-bit cases, since jaxparity2 the nn/grad/vmap/lax families, since session 10 the
 * gamma family, poisson, multivariate_normal and the jnp math: 392) — so every build checks
 * StateLens against real JAX, not only machines with JAX. {@code -Dstatelens.jaxReport=PATH} (or
 * {@code STATELENS_JAX_REPORT}) also writes the verdict: one summary line per case (bit-exact
 * elements, largest ulp distance) and every mismatch.
 */
class JaxReferenceTest {
  /** Real JAX's outputs, from {@code bench/gpu/device-jax-reference.sh} (bench/gpu/results/2026-11-27-h100). */
  static final String BUNDLED = "/jaxref/jax-0.11.2-cpu.json";
  /**
   * Real JAX 0.10.2 (local wheels, CPU), the first file with the 16-bit cases: JAX's random code
   * is the same in 0.10 and 0.11 for every case both files hold (all 93 match StateLens in both).
   */
  static final String BUNDLED_16BIT = "/jaxref/jax-0.10.2-cpu.json";

  static Path referencePath() {
    String p = System.getProperty("statelens.jaxReference");
    if (p == null || p.isBlank()) {
      p = System.getenv("STATELENS_JAX_REFERENCE");
    }
    return p == null || p.isBlank() ? null : Path.of(p);
  }

  @TestFactory
  Stream<DynamicTest> statelensMatchesRealJax() throws IOException {
    Path path = referencePath();
    if (path == null) {
      Reference latest = bundled(BUNDLED);
      Reference sixteenBit = bundled(BUNDLED_16BIT);
      return Stream.of(
          dynamicTests(JaxReference.runAll(latest), "JAX " + latest.jaxVersion() + ": "),
          dynamicTests(JaxReference.runAll(sixteenBit), "JAX " + sixteenBit.jaxVersion() + ": "),
          missingCases(List.of(latest, sixteenBit), BUNDLED + " and " + BUNDLED_16BIT)).flatMap(t -> t);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("statelens.jaxReference names " + path.toAbsolutePath()
          + ", which is not a file; write it with `python3 bench/gpu/jax_reference.py -o " + path + "`");
    }
    Reference ref;
    try (InputStream in = Files.newInputStream(path)) {
      ref = JaxReference.load(in, path.toString());
    }
    List<Result> results = JaxReference.runAll(ref);
    writeReport(ref, results, path);
    return Stream.concat(dynamicTests(results, ""), missingCases(List.of(ref), path.toString()));
  }

  private static Reference bundled(String resource) throws IOException {
    try (InputStream in = JaxReferenceTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the test resources");
      }
      return JaxReference.load(in, resource);
    }
  }

  /**
   * The 16-bit cases {@code jax_reference.py} writes since session 9 ({@code sixteen_bit_cases}:
   * narrow bits, bf16/f16 samplers and two initializers for key(0) and key(42)). A file written before has none of
   * them; each is then a skipped test that says so, rather than a silent pass.
   */
  static List<String> sixteenBitCaseNames() {
    List<String> names = new ArrayList<>();
    for (int seed : new int[] {0, 42}) {
      String k = "/key(" + seed + ")/";
      names.add("bits" + k + "uint8");
      names.add("bits" + k + "uint16");
      for (String dt : List.of("bfloat16", "float16")) {
        for (String label : List.of("uniform" + k + dt, "uniform" + k + "range-" + dt, "normal" + k + dt,
            "bernoulli" + k + dt, "rademacher" + k + dt, "truncated_normal" + k + dt, "gumbel" + k + dt,
            "exponential" + k + dt, "laplace" + k + dt, "logistic" + k + dt, "glorot_uniform" + k + "4x3-" + dt,
            "he_normal" + k + "4x3-" + dt)) {
          names.add(label);
        }
      }
    }
    return names;
  }

  private static Stream<DynamicTest> missingCases(List<Reference> refs, String from) {
    Set<String> present = refs.stream().flatMap(r -> r.cases().stream()).map(JaxReference.Case::name)
        .collect(Collectors.toSet());
    String versions = refs.stream().map(Reference::jaxVersion).collect(Collectors.joining(", "));
    return sixteenBitCaseNames().stream().filter(n -> !present.contains(n))
        .map(n -> DynamicTest.dynamicTest(n, () -> Assumptions.abort(n + " is not in " + from + " (JAX "
            + versions + "): bench/gpu/jax_reference.py writes it since session 9; run it with JAX "
            + "(docs/prng.md, \"Checking against real JAX\") and bundle the new file")));
  }

  private static Stream<DynamicTest> dynamicTests(List<Result> results, String prefix) {
    return results.stream().map(r -> DynamicTest.dynamicTest(prefix + r.kase().name(),
        () -> assertTrue(r.passed(), () -> r.summary() + "\n  " + String.join("\n  ", r.mismatches()))));
  }

  private static void writeReport(Reference ref, List<Result> results, Path from) throws IOException {
    List<String> lines = new ArrayList<>();
    long failed = results.stream().filter(r -> !r.passed()).count();
    lines.add("StateLens vs JAX " + ref.jaxVersion() + " (" + ref.platform() + ", jax_threefry_partitionable="
        + ref.partitionable() + ") from " + from);
    lines.add("verdict: " + (failed == 0 ? "ALL " + results.size() + " CASES MATCH"
        : failed + " of " + results.size() + " cases differ"));
    lines.add("");
    for (Result r : results) {
      lines.add((r.passed() ? "ok   " : "FAIL ") + r.summary());
      r.mismatches().forEach(m -> lines.add("       " + m));
    }
    lines.forEach(System.out::println);
    String out = System.getProperty("statelens.jaxReport", System.getenv("STATELENS_JAX_REPORT"));
    if (out != null && !out.isBlank()) {
      Files.write(Path.of(out), lines);
    }
  }
}
