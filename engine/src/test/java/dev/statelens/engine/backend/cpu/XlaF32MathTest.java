package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * f32 exp, log, tanh and logistic give XLA's CPU bits ({@link XlaF32Math}): the sweep of
 * bench/cpu/xla_f32_math_sweep.py (every 97th finite f32 bit pattern, both signs, and the edge
 * cases: 44 million inputs) hashed in 64 parts must equal the digests of real JAX 0.10.2's
 * outputs; the Vector API twin gives the scalar functions' bits; and eager, jitted (fused) and
 * generated code all call them.
 */
class XlaF32MathTest {
  private static final String SWEEP = "/jaxref/xla-f32-math-sweep.json";

  @Test
  void theSweepHasJaxsBitsPartByPart() throws IOException, NoSuchAlgorithmException {
    JsonNode ref;
    try (InputStream in = XlaF32MathTest.class.getResourceAsStream(SWEEP)) {
      ref = JsonMapper.builder().build().readTree(in);
    }
    float[] x = sweep(ref.get("step").asInt(), ref.get("edges"));
    assertEquals(ref.get("inputs").asInt(), x.length, "the sweep is the script's");
    int chunks = ref.get("chunks").asInt();
    float[] out = new float[x.length];
    for (XlaF32Math.Fn fn : XlaF32Math.Fn.values()) {
      XlaF32Math.apply(fn, x, 0, out, 0, x.length); // the kernels' path: vector lanes, scalar tail
      List<String> mine = digests(out, chunks);
      JsonNode jax = ref.get("digests").get(fn.method());
      List<Integer> differing = new ArrayList<>();
      for (int c = 0; c < chunks; c++) {
        if (!jax.get(c).asText().equals(mine.get(c))) {
          differing.add(c);
        }
      }
      assertTrue(differing.isEmpty(), fn + ": parts " + differing + " of " + chunks + " differ from JAX's bits");
    }
  }

  @Test
  void theVectorTwinGivesTheScalarBits() {
    Random r = new Random(7);
    int n = 1 << 20;
    float[] x = new float[n + 5]; // a tail the vector loop leaves to the scalar functions
    for (int i = 0; i < x.length; i++) {
      x[i] = switch (i % 4) {
        case 0 -> Float.intBitsToFloat(r.nextInt()); // any bits: NaNs, infinities, subnormals
        case 1 -> (float) r.nextGaussian() * 10;
        case 2 -> (float) r.nextGaussian() * 100;
        default -> (float) Math.scalb(r.nextDouble(), r.nextInt(60) - 50);
      };
    }
    float[] edges = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72284f, 88.8f, -87.8f, -103.9f,
        7.9988117f, -7.9988117f, 20f, -20f, 0.0004f, -0.0004f, 1f, -1f,
        0.5f, -0.5f, 0.41421356f, -0.41421356f, 3.8325069f, -3.8325069f, 2.3509887e-38f, -2.3509887e-38f};
    System.arraycopy(edges, 0, x, 0, edges.length);
    float[] out = new float[x.length];
    for (XlaF32Math.Fn fn : XlaF32Math.Fn.values()) {
      XlaF32Math.apply(fn, x, 0, out, 0, x.length);
      for (int i = 0; i < x.length; i++) {
        float s = fn.apply(x[i]);
        if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(out[i])) {
          assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(out[i]), fn + "(" + x[i] + "): " + s + " vs " + out[i]);
        }
      }
    }
  }

  @Test
  void knownValuesAreJaxs() {
    // jax.jit(jnp.tanh)(x) in JAX 0.10.2 on the CPU; Math.tanh rounded to f32 is one ulp off
    assertEquals(0x3F67B7CB, Float.floatToRawIntBits(XlaF32Math.tanh(1.5f)), "not 0x3F67B7CC");
    assertEquals(0x3E9526ED, Float.floatToRawIntBits(XlaF32Math.tanh(0.3f)), "not 0x3E9526EE");
    assertEquals(0x3F42F7E3, Float.floatToRawIntBits(XlaF32Math.tanh(Float.intBitsToFloat(0x3F80000F))), "not 0x3F42F7E2");
    assertEquals(0f, XlaF32Math.exp(-100f), "subnormal results flush to 0, as XLA's FTZ");
    assertEquals(Float.NEGATIVE_INFINITY, XlaF32Math.log(1e-40f), "subnormal inputs are 0 to XLA (DAZ)");
    assertEquals(1f, XlaF32Math.tanh(8f));
    assertEquals(-1f, XlaF32Math.tanh(-25f));
    assertEquals(Float.POSITIVE_INFINITY, XlaF32Math.exp(89f));
    assertEquals(0f, XlaF32Math.logistic(-100f));
    assertTrue(Float.isNaN(XlaF32Math.log(-1f)));
    // jax.jit(jnp.expm1 / jnp.log1p / lax.erf) in JAX 0.10.2 on the CPU; Math's, rounded, are 1-2 ulp off
    assertEquals(1.2573022E-7f, XlaF32Math.expm1(1.2573022E-7f), "not 1.2573024E-7");
    assertEquals(-5.706289E-4f, XlaF32Math.log1p(-5.7046616E-4f), "not -5.7062897E-4");
    assertEquals(1.4187135E-7f, XlaF32Math.erf(1.2573022E-7f), "not 1.4187137E-7");
    assertEquals(-1f, XlaF32Math.expm1(Float.NEGATIVE_INFINITY));
    assertEquals(Float.NEGATIVE_INFINITY, XlaF32Math.log1p(-1f));
    assertEquals(-1f, XlaF32Math.erf(-4f));
    assertEquals(1e-40f, XlaF32Math.expm1(1e-40f), "a subnormal x is selected, not computed: JAX keeps it");
  }

  @Test
  void eagerJittedAndGeneratedCodeAllComputeThem() {
    Random r = new Random(3);
    float[] v = new float[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian() * 4;
    }
    v[0] = 0.9f;
    Array x = Array.of(v);
    List<UnaryOperator<Array>> fns = List.of(Array::exp, Array::tanh, a -> a.abs().log(), Array::logistic,
        Array::expm1, a -> a.abs().log1p(), Array::erf,
        a -> a.mul(0.5f).tanh().add(1)); // a fused group around tanh
    List<XlaF32Math.Fn> expect = List.of(XlaF32Math.Fn.EXP, XlaF32Math.Fn.TANH, XlaF32Math.Fn.LOG, XlaF32Math.Fn.LOGISTIC,
        XlaF32Math.Fn.EXPM1, XlaF32Math.Fn.LOG1P, XlaF32Math.Fn.ERF);
    for (int k = 0; k < fns.size(); k++) {
      UnaryOperator<Array> f = fns.get(k);
      float[] eager = f.apply(x).toFloatArray();
      var jitted = Transforms.jit((Array a) -> f.apply(a));
      float[] first = jitted.apply(x).toFloatArray();  // interpreted (fused) on the first run
      float[] second = jitted.apply(x).toFloatArray(); // generated code from the second
      for (int i = 0; i < v.length; i++) {
        if (k < expect.size()) {
          float want = expect.get(k).apply(k == 2 || k == 5 ? Math.abs(v[i]) : v[i]);
          assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(eager[i]), "eager " + k + " at " + v[i]);
        }
        assertEquals(Float.floatToRawIntBits(eager[i]), Float.floatToRawIntBits(first[i]), "fused " + k + " at " + v[i]);
        assertEquals(Float.floatToRawIntBits(eager[i]), Float.floatToRawIntBits(second[i]), "generated " + k + " at " + v[i]);
      }
    }
  }

  /** The script's sweep: every {@code step}th non-negative finite pattern, negated, then the edges. */
  static float[] sweep(int step, JsonNode edges) {
    int half = (0x7F800000 + step - 1) / step;
    float[] x = new float[2 * half + edges.size()];
    for (int k = 0; k < half; k++) {
      x[k] = Float.intBitsToFloat(k * step);
      x[half + k] = -x[k];
    }
    for (int e = 0; e < edges.size(); e++) {
      x[2 * half + e] = Float.parseFloat(edges.get(e).asText().replace("inf", "Infinity").replace("nan", "NaN"));
    }
    return x;
  }

  /** SHA-256 of each of {@code chunks} parts (numpy's linspace bounds) of the bits, NaN as 0x7fc00000. */
  static List<String> digests(float[] out, int chunks) throws NoSuchAlgorithmException {
    List<String> result = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocate(4 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < chunks; c++) {
      int from = (int) Math.floor((double) c * out.length / chunks);
      int to = (int) Math.floor((double) (c + 1) * out.length / chunks);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = from; i < to; i++) {
        float v = out[i];
        buf.putInt(Float.isNaN(v) ? 0x7FC00000 : Float.floatToRawIntBits(v));
        if (!buf.hasRemaining()) {
          sha.update(buf.array(), 0, buf.position());
          buf.clear();
        }
      }
      sha.update(buf.array(), 0, buf.position());
      buf.clear();
      result.add(HexFormat.of().formatHex(sha.digest()));
    }
    return result;
  }
}
