package dev.statelens.engine;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.statelens.engine.backend.HalfFloats;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code jax-reference.json} (written by {@code bench/gpu/jax_reference.py} from real
 * JAX), reruns every case with StateLens and compares: {@code "exact"} cases bit for bit
 * (floats by their bits, integers and booleans by value), {@code "close"} cases within
 * {@code atol + rtol * |jax|}. Every mismatch names the case, the output, the flat index and both
 * values. Random cases use the layout the file records ({@code jax_threefry_partitionable}):
 * {@link RandomSampler#PARTITIONABLE} is what {@link Random} delegates to.
 */
final class JaxReference {

  static final String FORMAT = "statelens-jax-reference/1";

  /**
   * One array of the file: dtype ("float32", "bfloat16", "float16", "int32", "uint8", "uint16",
   * "uint32", "bool"), shape and flat values (16-bit floats as the doubles they equal exactly).
   */
  record Tensor(String dtype, int[] shape, JsonNode values) {
    int size() {
      return values.size();
    }

    Array toArray() {
      int n = values.size();
      return switch (dtype) {
        case "float32" -> {
          float[] v = new float[n];
          for (int i = 0; i < n; i++) {
            v[i] = (float) values.get(i).asDouble();
          }
          yield Array.of(DType.F32, shape, v);
        }
        case "float64" -> { // the x64 cases' inputs (special/)
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            v[i] = values.get(i).asDouble();
          }
          yield Array.of(DType.F64, shape, v);
        }
        case "bfloat16", "float16" -> {
          float[] v = new float[n];
          for (int i = 0; i < n; i++) {
            v[i] = (float) values.get(i).asDouble(); // exact: a 16-bit value is a float
          }
          yield Array.of(DType.parse(dtype), shape, v);
        }
        case "int32" -> {
          int[] v = new int[n];
          for (int i = 0; i < n; i++) {
            v[i] = values.get(i).asInt();
          }
          yield Array.of(DType.I32, shape, v);
        }
        case "bool" -> {
          boolean[] v = new boolean[n];
          for (int i = 0; i < n; i++) {
            v[i] = values.get(i).asBoolean();
          }
          yield Array.of(DType.BOOL, shape, v);
        }
        default -> throw new IllegalArgumentException("jax-reference: input dtype " + dtype
            + " is not supported; inputs are float32, float64, bfloat16, float16, int32 or bool");
      };
    }
  }

  record Case(String name, String fn, String compare, Long seed, JsonNode args, Map<String, Tensor> inputs,
      Map<String, Tensor> outputs, double rtol, double atol) {}

  record Reference(String jaxVersion, String platform, boolean partitionable, String source, List<Case> cases) {}

  /** What one case gave: passed or not, a one-line summary, and the mismatches (capped). */
  record Result(Case kase, boolean passed, String summary, List<String> mismatches) {}

  private static final int MAX_MISMATCHES = 20;

  private JaxReference() {}

  static Reference load(InputStream in, String where) throws IOException {
    JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    JsonNode root = mapper.readTree(in);
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(where + " is not a jax-reference file: its \"format\" must be \"" + FORMAT
          + "\" (write it with bench/gpu/jax_reference.py)");
    }
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : root.path("cases")) {
      cases.add(new Case(c.path("name").asText(), c.path("fn").asText(), c.path("compare").asText(),
          c.has("seed") ? c.get("seed").asLong() : null, c.path("args"), tensors(c.path("inputs")),
          tensors(c.path("outputs")), c.path("rtol").asDouble(0), c.path("atol").asDouble(0)));
    }
    return new Reference(root.path("jax_version").asText("?"), root.path("platform").asText("?"),
        root.path("jax_threefry_partitionable").asBoolean(true), root.path("source").asText(""), cases);
  }

  private static Map<String, Tensor> tensors(JsonNode node) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      JsonNode t = e.getValue();
      int[] shape = new int[t.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.path("shape").get(i).asInt();
      }
      m.put(e.getKey(), new Tensor(t.path("dtype").asText(), shape, t.path("values")));
    });
    return m;
  }

  static List<Result> runAll(Reference ref) {
    RandomSampler sampler = ref.partitionable() ? RandomSampler.PARTITIONABLE : RandomSampler.ORIGINAL;
    List<Result> results = new ArrayList<>();
    for (Case c : ref.cases()) {
      results.add(check(c, sampler, ref.partitionable()));
    }
    return results;
  }

  static Result check(Case c, RandomSampler sampler, boolean partitionable) {
    Map<String, Array> actual;
    try {
      actual = StateLensSide.run(c, sampler, partitionable);
    } catch (RuntimeException e) {
      return new Result(c, false, "StateLens threw " + e, List.of(c.name() + ": StateLens threw " + e));
    }
    return compare(c, actual);
  }

  /** Compares StateLens's outputs with JAX's, output by output, element by element. */
  static Result compare(Case c, Map<String, Array> actual) {
    List<String> mismatches = new ArrayList<>();
    int total = 0;
    int exact = 0;
    long maxUlp = 0;
    String worst = null; // the float element farthest from JAX in ulps, for the report
    int bad = 0;
    for (var e : c.outputs().entrySet()) {
      String out = e.getKey();
      Tensor want = e.getValue();
      Array got = actual.get(out);
      if (got == null) {
        mismatches.add(c.name() + " [" + out + "]: StateLens gave no output named '" + out + "'");
        bad++;
        continue;
      }
      if (!Arrays.equals(got.shape(), want.shape())) {
        mismatches.add(c.name() + " [" + out + "]: shape " + Arrays.toString(got.shape()) + " but JAX "
            + Arrays.toString(want.shape()));
        bad++;
        continue;
      }
      int n = want.size();
      total += n;
      switch (want.dtype()) {
        case "float32" -> {
          float[] g = got.astype(DType.F32).toFloatArray();
          for (int i = 0; i < n; i++) {
            float j = (float) want.values().get(i).asDouble();
            long ulp = ulpDistance(g[i], j);
            if (ulp == 0) {
              exact++;
            }
            if (ulp > maxUlp || worst == null) {
              worst = out + "[" + i + "]: StateLens " + g[i] + ", JAX " + j;
            }
            maxUlp = Math.max(maxUlp, ulp);
            boolean ok = c.compare().equals("exact") ? ulp == 0 : ulp == 0 // equal bits: -inf = -inf too
                || (!Float.isNaN(j) && Math.abs((double) g[i] - j) <= c.atol() + c.rtol() * Math.abs(j));
            if (!ok) {
              bad++;
              note(mismatches, c, out, i, Float.toString(g[i]) + " (0x" + Integer.toHexString(Float.floatToRawIntBits(g[i]))
                  + ")", j + " (0x" + Integer.toHexString(Float.floatToRawIntBits(j)) + ")", ulp);
            }
          }
        }
        case "float64" -> { // the x64 cases: by their bits, ulps of float64
          double[] g = got.astype(DType.F64).toDoubleArray();
          for (int i = 0; i < n; i++) {
            double j = want.values().get(i).asDouble();
            long ulp = ulpDistance64(g[i], j);
            if (ulp == 0) {
              exact++;
            }
            if (ulp > maxUlp || worst == null) {
              worst = out + "[" + i + "]: StateLens " + g[i] + ", JAX " + j;
            }
            maxUlp = Math.max(maxUlp, ulp);
            boolean ok = c.compare().equals("exact") ? ulp == 0 : ulp == 0
                || (!Double.isNaN(j) && Math.abs(g[i] - j) <= c.atol() + c.rtol() * Math.abs(j));
            if (!ok) {
              bad++;
              note(mismatches, c, out, i, Double.toString(g[i]), Double.toString(j), ulp);
            }
          }
        }
        case "bfloat16", "float16" -> {
          // 16-bit floats by their bits: StateLens must give the dtype itself, not a wider one
          DType d = DType.parse(want.dtype());
          if (got.dtype() != d) {
            mismatches.add(c.name() + " [" + out + "]: StateLens gave " + got.dtype() + ", JAX " + want.dtype());
            bad += n;
            continue;
          }
          float[] g = got.toFloatArray(); // widening is exact
          for (int i = 0; i < n; i++) {
            float j = (float) want.values().get(i).asDouble();
            long ulp = ulpDistance16(d, g[i], j);
            maxUlp = Math.max(maxUlp, ulp);
            if (ulp == 0) {
              exact++;
            }
            boolean ok = c.compare().equals("exact") ? ulp == 0 : ulp == 0
                || (!Float.isNaN(j) && Math.abs((double) g[i] - j) <= c.atol() + c.rtol() * Math.abs(j));
            if (!ok) {
              bad++;
              note(mismatches, c, out, i, g[i] + " (0x" + Integer.toHexString(HalfFloats.fromFloat(d, g[i]) & 0xFFFF) + ")",
                  j + " (0x" + Integer.toHexString(HalfFloats.fromFloat(d, j) & 0xFFFF) + ")", ulp);
            }
          }
        }
        case "int32", "uint8", "uint16", "uint32", "bool" -> {
          long[] g = integers(got);
          for (int i = 0; i < n; i++) {
            JsonNode v = want.values().get(i);
            long j = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asLong();
            if (want.dtype().equals("uint32")) {
              g[i] &= 0xFFFF_FFFFL;
            }
            if (g[i] == j) {
              exact++;
            } else {
              bad++;
              note(mismatches, c, out, i, Long.toString(g[i]), Long.toString(j), -1);
            }
          }
        }
        default -> {
          mismatches.add(c.name() + " [" + out + "]: unknown dtype " + want.dtype());
          bad++;
        }
      }
    }
    String summary = String.format("%s %s: %d/%d elements bit-exact, max %d ulp%s", c.name(), c.compare(), exact, total,
        maxUlp, c.compare().equals("close") ? String.format(" (tolerance atol %.0e rtol %.0e)", c.atol(), c.rtol()) : "")
        + (maxUlp > 0 && worst != null ? "; farthest " + worst : "");
    if (bad > mismatches.size()) {
      mismatches.add("... " + (bad - mismatches.size()) + " more");
    }
    return new Result(c, bad == 0, summary, mismatches);
  }

  private static void note(List<String> mismatches, Case c, String out, int index, String got, String jax, long ulp) {
    if (mismatches.size() < MAX_MISMATCHES) {
      mismatches.add(c.name() + " [" + out + "] index " + index + ": StateLens " + got + ", JAX " + jax
          + (ulp >= 0 ? ", " + ulp + " ulp" : ""));
    }
  }

  private static long[] integers(Array a) {
    if (a.dtype() == DType.BOOL) {
      boolean[] b = a.toBooleanArray();
      long[] r = new long[b.length];
      for (int i = 0; i < b.length; i++) {
        r[i] = b[i] ? 1 : 0;
      }
      return r;
    }
    return Arrays.stream(a.toIntArray()).asLongStream().toArray();
  }

  /** Distance in representable floats (0 for equal bits and for +0/-0); NaN vs non-NaN is huge. */
  static long ulpDistance(float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    return Math.abs(ordered(a) - ordered(b));
  }

  /** {@link #ulpDistance} for doubles. */
  static long ulpDistance64(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    long oa = Double.doubleToRawLongBits(a);
    long ob = Double.doubleToRawLongBits(b);
    oa = oa >= 0 ? oa : Long.MIN_VALUE - oa;
    ob = ob >= 0 ? ob : Long.MIN_VALUE - ob;
    return Math.abs(oa - ob);
  }

  /** {@link #ulpDistance} in units of the 16-bit {@code dtype}'s spacing. */
  static long ulpDistance16(DType dtype, float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    return Math.abs(ordered16(HalfFloats.fromFloat(dtype, a)) - ordered16(HalfFloats.fromFloat(dtype, b)));
  }

  private static long ordered16(short bits) {
    return bits >= 0 ? bits : (long) Short.MIN_VALUE - bits;
  }

  private static long ordered(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits;
  }
}
