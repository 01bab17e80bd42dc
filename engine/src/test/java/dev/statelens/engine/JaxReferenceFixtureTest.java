package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.engine.JaxReference.Reference;
import dev.statelens.engine.JaxReference.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The comparison behind {@link JaxReferenceTest}, run here on hand-made files in
 * {@code src/test/resources/jaxref/} (JAX's published values, and numerics worked out by hand),
 * so the parser, every StateLens twin and the mismatch reports are tested without JAX.
 */
class JaxReferenceFixtureTest {

  private static final String PARTITIONABLE = "/jaxref/published-partitionable.json";
  private static final String ORIGINAL = "/jaxref/random-values-cases-original.json";
  private static final String SIXTEEN_BIT = "/jaxref/published-sixteen-bit-original.json";

  private static Reference load(String resource) throws IOException {
    try (InputStream in = JaxReferenceFixtureTest.class.getResourceAsStream(resource)) {
      return JaxReference.load(in, resource);
    }
  }

  private static String failures(List<Result> results) {
    return results.stream().filter(r -> !r.passed())
        .map(r -> r.summary() + "\n  " + String.join("\n  ", r.mismatches())).collect(Collectors.joining("\n"));
  }

  @Test
  void publishedPartitionableValuesAndHandNumericsAllMatch() throws IOException {
    Reference ref = load(PARTITIONABLE);
    assertTrue(ref.partitionable());
    List<Result> results = JaxReference.runAll(ref);
    assertEquals(20, results.size());
    assertEquals("", failures(results));
    // JAX's published uniform/normal floats are the shortest round-trip reprs: bit for bit here
    Result uniform = results.getFirst();
    assertEquals("uniform/key(0)", uniform.kase().name());
    assertTrue(uniform.summary().contains("3/3 elements bit-exact, max 0 ulp"), uniform.summary());
  }

  @Test
  void randomValuesCasesInTheOriginalLayoutMatchWithinJaxsTolerance() throws IOException {
    Reference ref = load(ORIGINAL);
    assertFalse(ref.partitionable());
    List<Result> results = JaxReference.runAll(ref);
    assertEquals(10, results.size());
    assertEquals("", failures(results));
  }

  @Test
  void aChangedValueIsReportedWithFunctionIndexAndBothValues() throws IOException {
    ObjectNode root = tree(PARTITIONABLE);
    ArrayNode normal = (ArrayNode) root.withArray("cases").get(1).get("outputs").get("out").get("values");
    normal.set(2, 0.29570299); // JAX: 0.29570296, a few ulps away
    List<Result> results = JaxReference.runAll(JaxReference.load(stream(root), "tampered"));
    Result bad = results.get(1);
    assertFalse(bad.passed());
    assertEquals(1, bad.mismatches().size(), bad.mismatches().toString());
    String m = bad.mismatches().getFirst();
    assertTrue(m.startsWith("normal/key(42) [out] index 2: StateLens 0.29570296 (0x"), m);
    assertTrue(m.contains("JAX 0.295703") && m.endsWith(" ulp"), m);
    assertTrue(bad.summary().contains("2/3 elements bit-exact"), bad.summary());
    assertEquals(1, results.stream().filter(r -> !r.passed()).count());
  }

  @Test
  void exactIntegerAndCloseFloatMismatchesFail() throws IOException {
    ObjectNode root = tree(PARTITIONABLE);
    ArrayNode cases = root.withArray("cases");
    ((ArrayNode) cases.get(2).get("outputs").get("out").get("values")).set(4, 9); // randint: JAX 8
    ((ArrayNode) cases.get(3).get("outputs").get("out").get("values")).set(3, 1.4146); // cholesky: 3e-4 off
    List<Result> results = JaxReference.runAll(JaxReference.load(stream(root), "tampered"));
    assertEquals("randint/key(1) [out] index 4: StateLens 8, JAX 9", results.get(2).mismatches().getFirst());
    assertFalse(results.get(3).passed());
    assertTrue(results.get(3).mismatches().getFirst().startsWith("cholesky [out] index 3: StateLens 1.4142135"));
  }

  @Test
  void closeCasesToleratesRoundingButExactCasesDoNot() throws IOException {
    ObjectNode root = tree(PARTITIONABLE);
    ArrayNode cases = root.withArray("cases");
    // one ulp off: inside the cholesky tolerance, outside the uniform's bit-exact claim
    float sqrt2 = Math.nextUp(1.4142135f);
    ((ArrayNode) cases.get(3).get("outputs").get("out").get("values")).set(3, (double) sqrt2);
    ((ArrayNode) cases.get(0).get("outputs").get("out").get("values")).set(0, (double) Math.nextUp(0.947667f));
    List<Result> results = JaxReference.runAll(JaxReference.load(stream(root), "tampered"));
    assertTrue(results.get(3).passed(), results.get(3).mismatches().toString());
    assertTrue(results.get(3).summary().contains("max 1 ulp"), results.get(3).summary());
    assertFalse(results.get(0).passed());
    assertTrue(results.get(0).mismatches().getFirst().endsWith(", 1 ulp"), results.get(0).mismatches().toString());
  }

  @Test
  void wrongShapesUnknownFunctionsAndForeignFilesAreNamed() throws IOException {
    ObjectNode root = tree(PARTITIONABLE);
    ArrayNode cases = root.withArray("cases");
    ((ArrayNode) cases.get(0).get("outputs").get("out").get("shape")).set(0, 4);
    ((ObjectNode) cases.get(1)).put("fn", "poisson");
    List<Result> results = JaxReference.runAll(JaxReference.load(stream(root), "tampered"));
    assertEquals("uniform/key(0) [out]: shape [3] but JAX [4]", results.get(0).mismatches().getFirst());
    assertTrue(results.get(1).mismatches().getFirst().contains("no StateLens twin for fn 'poisson'"),
        results.get(1).mismatches().toString());
    var e = assertThrows(IllegalArgumentException.class, () -> JaxReference.load(
        new ByteArrayInputStream("{\"cases\": []}".getBytes(StandardCharsets.UTF_8)), "other.json"));
    assertTrue(e.getMessage().contains("other.json is not a jax-reference file")
        && e.getMessage().contains("jax_reference.py"), e.getMessage());
  }

  /** The "split" layout check, against testPRNGValues' split(PRNGKey(0), 4) rows 0 and 3 (original layout). */
  @Test
  void splitCasesGiveKeyDataRows() {
    var c = new JaxReference.Case("split/key(0)", "split", "exact", 0L,
        new JsonMapper().createObjectNode().put("num", 4), java.util.Map.of(), java.util.Map.of(), 0, 0);
    Array words = StateLensSide.run(c, RandomSampler.ORIGINAL, false).get("out");
    assertEquals(DType.U32, words.dtype());
    assertArrayEquals(new int[] {4, 2}, words.shape());
    int[] w = words.toIntArray();
    assertArrayEquals(new int[] {(int) 2285895361L, 1501764800, 839183663, (int) 3740430601L},
        new int[] {w[0], w[1], w[6], w[7]});
  }

  /** JAX's published 8/16-bit draws and the bf16/f16 uniforms they give: uint8/uint16 and 16-bit floats parse and match. */
  @Test
  void publishedNarrowBitsAndTheir16BitUniformsMatch() throws IOException {
    Reference ref = load(SIXTEEN_BIT);
    assertFalse(ref.partitionable());
    List<Result> results = JaxReference.runAll(ref);
    assertEquals(4, results.size());
    assertEquals("", failures(results));
    assertTrue(results.get(2).summary().contains("3/3 elements bit-exact, max 0 ulp"), results.get(2).summary());
  }

  @Test
  void sixteenBitMismatchesCountTheDtypesUlpsAndAnotherDtypeFails() throws IOException {
    ObjectNode root = tree(SIXTEEN_BIT);
    ArrayNode cases = root.withArray("cases");
    ((ArrayNode) cases.get(2).get("outputs").get("out").get("values")).set(1, 0.4453125 + 0x1p-9); // one bf16 ulp in [1/4, 1/2)
    ((ObjectNode) cases.get(3).get("outputs").get("out")).put("dtype", "bfloat16"); // StateLens gives f16
    List<Result> results = JaxReference.runAll(JaxReference.load(stream(root), "tampered"));
    assertFalse(results.get(2).passed());
    String m = results.get(2).mismatches().getFirst();
    assertTrue(m.startsWith("uniform/key(1701)/bfloat16 [out] index 1: StateLens 0.4453125 (0x3ee4)"), m);
    assertTrue(m.endsWith(", 1 ulp"), m);
    assertFalse(results.get(3).passed());
    assertEquals("uniform/key(1701)/float16 [out]: StateLens gave F16, JAX bfloat16", results.get(3).mismatches().getFirst());
    assertEquals(1, JaxReference.ulpDistance16(DType.F16, 1f, 1 + 0x1p-10f));
    assertEquals(2, JaxReference.ulpDistance16(DType.BF16, -0x1p-133f, 0x1p-133f));
  }

  /** The bundled file predates the 16-bit cases: each is listed as skipped, with the way to get it. */
  @Test
  void sixteenBitCasesAbsentFromTheFileAreNamed() throws IOException {
    List<String> names = JaxReferenceTest.sixteenBitCaseNames();
    assertEquals(52, names.size());
    assertTrue(names.contains("normal/key(42)/bfloat16") && names.contains("bits/key(0)/uint16")
        && names.contains("he_normal/key(0)/4x3-float16"), names.toString());
  }

  @Test
  void ulpDistanceCountsRepresentableFloats() {
    assertEquals(0, JaxReference.ulpDistance(0f, -0f));
    assertEquals(1, JaxReference.ulpDistance(1f, Math.nextUp(1f)));
    assertEquals(2, JaxReference.ulpDistance(Math.nextDown(0f), Math.nextUp(0f)));
    assertEquals(0, JaxReference.ulpDistance(Float.NaN, Float.NaN));
    assertEquals(Long.MAX_VALUE, JaxReference.ulpDistance(Float.NaN, 1f));
  }

  private static ObjectNode tree(String resource) throws IOException {
    try (InputStream in = JaxReferenceFixtureTest.class.getResourceAsStream(resource)) {
      return (ObjectNode) new JsonMapper().readTree(in);
    }
  }

  private static InputStream stream(ObjectNode root) throws IOException {
    return new ByteArrayInputStream(new JsonMapper().writeValueAsBytes(root));
  }
}
