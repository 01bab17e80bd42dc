package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The StateLens twin of each {@code jax_reference.py} case: the same function on the inputs the
 * file carries, under the name the file uses ({@code fn}). A new case in the script needs a
 * branch here; an unknown {@code fn} is an error naming this class.
 */
final class StateLensSide {

  private StateLensSide() {}

  static Map<String, Array> run(Case c, RandomSampler s, boolean partitionable) {
    JsonNode a = c.args();
    Key key = c.seed() == null ? null : Random.key(c.seed());
    Map<String, Array> in = new LinkedHashMap<>();
    c.inputs().forEach((name, t) -> in.put(name, t.toArray()));
    if (StateLensTransformsSide.handles(c.fn())) { // nn/, grad/, vmap/, lax/ cases
      return StateLensTransformsSide.run(c, in);
    }
    if (StateLensNumpySide.handles(c.fn())) { // jnp/ cases: trig, jnp math, axis moves, quantiles
      return StateLensNumpySide.run(c, in);
    }
    if (StateLensMoreSide.handles(c.fn())) { // more/ cases: customJvp, associativeScan, attention, jnp (session 11)
      return StateLensMoreSide.run(c, in);
    }
    if (StateLensSpecialSide.handles(c.fn())) { // special/ cases: jax.scipy.special, lax special functions, gamma grads
      return StateLensSpecialSide.run(c, in, key);
    }
    if (StateLensJnp7Side.handles(c.fn())) { // jnp7/ cases: zeta, jnp math, lax pieces, shapes, linalg (session 13)
      return StateLensJnp7Side.run(c, in);
    }
    if (StateLensFftSide.handles(c.fn())) { // fft/ cases: complex64 and jnp.fft (session 14)
      return StateLensFftSide.run(c, in);
    }
    if (StateLensComplexSide.handles(c.fn())) { // complex/ cases: c64 math and autodiff (session 15)
      return StateLensComplexSide.run(c, in);
    }
    if (StateLensComplexOrderSide.handles(c.fn())) { // complexorder/ cases: jnp's order on c64 (session 16)
      return StateLensComplexOrderSide.run(c, in);
    }
    if (StateLensRecipSide.handles(c.fn())) { // recip/ cases: XLA's division by a reciprocal (session 18)
      return StateLensRecipSide.run(c, in);
    }
    if (StateLensIntInputsSide.handles(c.fn())) { // intinputs/ cases: jvp, linearize, jacrev with integer inputs (session 19)
      return StateLensIntInputsSide.run(c, in);
    }
    if (StateLensWeakSide.handles(c.fn())) { // weak/ cases: Java int/long and double next to arrays (session 18)
      return StateLensWeakSide.run(c, in);
    }
    if (StateLensJnp8Side.handles(c.fn())) { // jnp8/ cases: jax.scipy.stats, logsumexp b=, sorting (session 14)
      return StateLensJnp8Side.run(c, in);
    }
    if (StateLensJnp9Side.handles(c.fn())) { // jnp9/ cases: the rest of jax.scipy.stats, gaussian_kde, special (session 15)
      return StateLensJnp9Side.run(c, in);
    }
    if (StateLensJnp10Side.handles(c.fn())) { // jnp10/ cases: expi/exp1/expn, hyp1f1, bessel_jn, sph_harm_y (session 16)
      return StateLensJnp10Side.run(c, in);
    }
    if (StateLensJnp5Side.handles(c.fn())) { // jnp5/ cases: jax.ops segment reductions (session 12)
      return StateLensJnp5Side.run(c, in);
    }
    if (StateLensJnp6Side.handles(c.fn())) { // jnp6/ cases: binomial, multinomial, nonzero/unique size=, ... (session 13)
      return StateLensJnp6Side.run(c, in);
    }
    if (StateLensSamplersSide.handles(c.fn())) { // random/ cases: gamma family, poisson, ...
      return StateLensSamplersSide.run(c, in, key, s);
    }
    // the float samplers' dtype: float32 unless the case names bfloat16 or float16
    DType f32 = a.has("dtype") && !a.path("dtype").asText().startsWith("uint") ? DType.parse(a.path("dtype").asText())
        : DType.F32;
    Array out = switch (c.fn()) {
      case "split" -> keyData(s.split(key, a.path("num").asInt()));
      case "bits" -> switch (a.path("dtype").asText("uint32")) {
        case "uint8" -> s.narrowBits(key, shape(a), 8);
        case "uint16" -> s.narrowBits(key, shape(a), 16);
        default -> s.bits(key, shape(a));
      };
      case "uniform" -> s.uniform(key, shape(a), f32, a.path("minval").asDouble(0), a.path("maxval").asDouble(1));
      case "normal" -> s.normal(key, shape(a), f32);
      // an input p (bf16/f16): uniform in p's dtype < p, as JAX's _bernoulli
      case "bernoulli" -> in.containsKey("p")
          ? (partitionable ? Random.bernoulli(key, in.get("p"), shape(a))
              : s.uniform(key, shape(a), in.get("p").dtype(), 0, 1).lt(in.get("p")))
          // Random.bernoulli itself is uniform < p (p a float32); the original layout has only the sampler
          : partitionable ? Random.bernoulli(key, a.path("p").asDouble(), shape(a))
          : s.uniform(key, shape(a), f32, 0, 1).lt((float) a.path("p").asDouble());
      case "randint" -> s.randint(key, shape(a), a.path("minval").asInt(), a.path("maxval").asInt());
      case "rademacher" -> s.rademacher(key, shape(a), a.has("dtype") ? f32 : DType.I32);
      case "gumbel" -> s.gumbel(key, shape(a), f32);
      case "exponential" -> s.exponential(key, shape(a), f32);
      case "laplace" -> s.laplace(key, shape(a), f32);
      case "logistic" -> s.logistic(key, shape(a), f32);
      case "truncated_normal" -> s.truncatedNormal(key, a.path("lower").asDouble(), a.path("upper").asDouble(),
          shape(a), f32);
      case "categorical" -> s.categorical(key, in.get("logits"), a.path("axis").asInt(-1),
          a.path("shape").isNull() || a.path("shape").isMissingNode() ? null : shape(a));
      case "permutation_n" -> s.permutation(key, a.path("n").asInt());
      case "permutation" -> s.permutation(key, in.get("x"), a.path("axis").asInt(0),
          a.path("independent").asBoolean(false));
      case "choice" -> s.choice(key, Array.scalar(DType.I32, a.path("n").asInt()), shape(a),
          a.path("replace").asBoolean(true), in.get("p"), 0);
      case "glorot_uniform", "he_normal", "lecun_normal", "truncated_normal_init" -> initializer(c, key, partitionable, f32);
      case "cholesky" -> Linalg.cholesky(in.get("a"));
      case "solve" -> Linalg.solve(in.get("a"), in.get("b"));
      case "eigh_eigenvalues" -> Linalg.eigh(in.get("a")).eigenvalues();
      case "svd_singular_values" -> Linalg.svdvals(in.get("a"));
      case "conv_general_dilated" -> Lax.convGeneralDilated(in.get("lhs"), in.get("rhs"), ints(a, "window_strides"),
          a.path("padding").asText(), null, ints(a, "rhs_dilation"), strings(a, "dimension_numbers"), 1);
      case "max_pool" -> Nn.maxPool(in.get("x"), ints(a, "window"), ints(a, "strides"), a.path("padding").asText());
      case "avg_pool" -> Nn.avgPool(in.get("x"), ints(a, "window"), ints(a, "strides"), a.path("padding").asText());
      case "einsum" -> Array.einsum(a.path("subscripts").asText(), in.values().toArray(Array[]::new));
      case "slogdet", "top_k", "searchsorted" -> null; // two outputs or named inputs: below
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensSide.run");
    };
    Map<String, Array> result = new LinkedHashMap<>();
    switch (c.fn()) {
      case "slogdet" -> {
        Linalg.Slogdet d = Linalg.slogdet(in.get("a"));
        result.put("sign", d.sign());
        result.put("logabsdet", d.logabsdet());
      }
      case "top_k" -> {
        Pair<Array, Array> top = Lax.topK(in.get("x"), a.path("k").asInt());
        result.put("values", top.first());
        result.put("indices", top.second());
      }
      case "searchsorted" -> result.put("out",
          Array.searchsorted(in.get("sorted"), in.get("values"), a.path("side").asText("left")));
      default -> result.put("out", out);
    }
    return result;
  }

  private static Array initializer(Case c, Key key, boolean partitionable, DType dtype) {
    if (!partitionable) {
      throw new IllegalStateException("Init uses Random's layout (jax_threefry_partitionable=True); this file was "
          + "written with False: rerun jax_reference.py with JAX's default");
    }
    Initializer init = switch (c.fn()) {
      case "glorot_uniform" -> Init.glorotUniform();
      case "he_normal" -> Init.heNormal();
      case "lecun_normal" -> Init.lecunNormal();
      default -> Init.truncatedNormal(c.args().path("stddev").asDouble(0.01));
    };
    return init.init(key, shape(c.args()), dtype);
  }

  /** {@code jax.random.key_data(keys)}: U32 {@code [n, 2]}. */
  private static Array keyData(java.util.List<Key> keys) {
    int[] words = new int[2 * keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      words[2 * i] = keys.get(i).data()[0];
      words[2 * i + 1] = keys.get(i).data()[1];
    }
    return Array.of(DType.U32, new int[] {keys.size(), 2}, words);
  }

  private static int[] shape(JsonNode args) {
    return ints(args, "shape");
  }

  private static int[] ints(JsonNode args, String name) {
    JsonNode n = args.path(name);
    if (!n.isArray()) {
      throw new IllegalArgumentException("jax-reference: argument '" + name + "' must be a list of ints, got " + n);
    }
    int[] r = new int[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asInt();
    }
    return r;
  }

  private static String[] strings(JsonNode args, String name) {
    JsonNode n = args.path(name);
    String[] r = new String[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asText();
    }
    return r;
  }
}
