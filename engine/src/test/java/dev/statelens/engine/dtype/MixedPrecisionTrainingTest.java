package dev.statelens.engine.dtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.checkpoint.Checkpoints;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mixed-precision pattern: f32 master params, bf16 compute (matmul accumulating in f32 via
 * preferred_element_type), f32 loss; the same loop in f32 reaches nearly the same loss.
 */
class MixedPrecisionTrainingTest {

  record Params(Array w, Array b) {}

  private static final Array X = Random.normal(Random.key(1), new int[] {64, 8}, DType.F32);
  private static final Array TRUE_W = Random.normal(Random.key(2), new int[] {8, 1}, DType.F32);
  private static final Array Y = X.matmul(TRUE_W).add(0.5);

  /** Mean squared error; {@code compute} is the dtype of the matmul's operands. */
  private static Array loss(Params p, DType compute) {
    Array pred = X.astype(compute).matmul(p.w().astype(compute), DType.F32).add(p.b());
    return pred.sub(Y).square().mean();
  }

  private static float[] train(DType compute, int steps) {
    Optim.Optimizer opt = Optim.adam(0.05);
    Params params = new Params(Array.zeros(8, 1), Array.zeros(1));
    var state = opt.init(params);
    BiFunction<Params, Optim.OptState<Params>, Pair<Pair<Array, Params>, Optim.OptState<Params>>> step =
        Transforms.jit((Params p, Optim.OptState<Params> s) -> {
          Pair<Array, Params> lg = Transforms.valueAndGrad((Params q) -> loss(q, compute)).apply(p);
          Pair<Params, Optim.OptState<Params>> u = opt.update(lg.second(), s, p);
          return Pair.of(Pair.of(lg.first(), Optim.applyUpdates(p, u.first())), u.second());
        });
    float[] losses = new float[steps];
    for (int i = 0; i < steps; i++) {
      var r = step.apply(params, state);
      losses[i] = r.first().first().floatValue();
      params = r.first().second();
      state = r.second();
      assertEquals(DType.F32, params.w().dtype()); // the master copy stays f32
    }
    return losses;
  }

  @Test
  void bf16ComputeWithF32MasterParamsTrainsLikeF32() {
    float[] mixed = train(DType.BF16, 150);
    float[] full = train(DType.F32, 150);
    assertTrue(mixed[149] < mixed[0] / 50, "loss " + mixed[0] + " -> " + mixed[149]);
    assertTrue(full[149] < full[0] / 50, "loss " + full[0] + " -> " + full[149]);
    // bf16 keeps ~3 significant digits: the inputs' rounding limits how low the loss goes
    assertEquals(full[0], mixed[0], 0.02 * full[0]);
    assertEquals(full[149], mixed[149], 0.02 * full[0]);
  }

  @Test
  void adamOnBf16ParamsKeepsBf16State() {
    Optim.Optimizer opt = Optim.adam(0.05);
    Array w = Array.zeros(DType.BF16, 8, 1);
    var state = (Optim.AdamState<Array>) opt.init(w);
    assertEquals(DType.BF16, state.mu().dtype()); // optax: moments follow the params' dtype
    Array xb = X.astype(DType.BF16);
    Array yb = Y.astype(DType.BF16);
    var lossFn = (java.util.function.Function<Array, Array>) p -> xb.matmul(p).sub(yb).square().mean();
    float first = lossFn.apply(w).floatValue();
    Optim.OptState<Array> s = state;
    for (int i = 0; i < 100; i++) {
      Array g = Transforms.grad(lossFn).apply(w);
      assertEquals(DType.BF16, g.dtype());
      var u = opt.update(g, s, w);
      w = Optim.applyUpdates(w, u.first());
      s = u.second();
    }
    assertEquals(DType.BF16, w.dtype());
    assertEquals(DType.BF16, ((Optim.AdamState<Array>) s).nu().dtype());
    float last = lossFn.apply(w).floatValue();
    assertTrue(last < first / 10, "loss " + first + " -> " + last);
  }

  @Test
  void sixteenBitLeavesRoundTripThroughNpz(@TempDir Path dir) throws Exception {
    Array b = Array.of(DType.BF16, new int[] {2, 3}, 1f, -2.5f, 0.1f, Float.NaN, Float.NEGATIVE_INFINITY, -0f);
    Array h = Array.of(DType.F16, new int[] {3}, 65504f, 0x1p-24f, -0.1f);
    Path file = Checkpoints.save(dir.resolve("p.npz"), new Params(b, h));
    Params back = Checkpoints.restore(file, new Params(Array.zeros(DType.BF16, 2, 3), Array.zeros(DType.F16, 3)));
    assertEquals(DType.BF16, back.w().dtype());
    assertEquals(DType.F16, back.b().dtype());
    assertEquals(b.toString(), back.w().toString());
    assertEquals(java.util.Arrays.toString((short[]) raw(b)), java.util.Arrays.toString((short[]) raw(back.w())));
    assertEquals(java.util.Arrays.toString((short[]) raw(h)), java.util.Arrays.toString((short[]) raw(back.b())));
    // the .npy headers say what NumPy / ml_dtypes write
    var arrays = Checkpoints.load(file);
    assertEquals(DType.BF16, arrays.get("w").dtype());
    String npz = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(npz.contains("'descr': '<V2'") && npz.contains("'descr': '<f2'"), "headers");
  }

  private static Object raw(Array a) {
    return dev.statelens.engine.backend.Backends.current().download(a.buffer());
  }
}
