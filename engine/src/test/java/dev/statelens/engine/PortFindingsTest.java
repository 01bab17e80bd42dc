package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What the transformer language-model port ({@code bench/port/lm.py}, {@code port.LmPortTest})
 * needed and the engine lacked: {@code x.var(-1, keepdims=True)}, initializers with JAX's
 * {@code in_axis}/{@code out_axis}, optax's callable {@code mask}; and what the CNN with batch norm
 * ({@code bench/port/cnn_bn.py}, {@code port.CnnBnPortTest}) needed: {@code lax.reduce_window}'s
 * padding string, {@code value_and_grad(has_aux=True)} of a four-argument loss, {@code conv_general_dilated} with
 * only {@code dimension_numbers} as a keyword. Expected values are real JAX
 * 0.10.2 / optax 0.2.8 on CPU (the Python line above each).
 */
class PortFindingsTest {

  @Test
  void varAndStdKeepTheReducedAxes() {
    Array x = Array.of(DType.F32, new int[] {2, 4}, 1f, 2f, 4f, 8f, 0.5f, -1f, 3f, 0.25f);
    // x.var(-1, keepdims=True), x.std(0, keepdims=True)
    Array v = x.varKeepDims(-1);
    assertArrayEquals(new int[] {2, 1}, v.shape());
    assertArrayEquals(new float[] {7.1875f, 2.10546875f}, v.toFloatArray());
    Array s = x.stdKeepDims(0);
    assertArrayEquals(new int[] {1, 4}, s.shape());
    assertArrayEquals(new float[] {0.25f, 1.5f, 0.5f, 3.875f}, s.toFloatArray());
    assertArrayEquals(x.var(-1).toFloatArray(), v.toFloatArray(), "the same numbers as var, another shape");
    Array h = x.astype(DType.F16).varKeepDims(-1);
    assertEquals(DType.F16, h.dtype(), "16-bit floats computed in f32 and rounded once, as jnp.var");
    assertArrayEquals(new int[] {2, 1}, h.shape());
    // jitted and differentiated like any other composition: d/dx sum(var) = 2 (x - mean) / n
    Array g = Transforms.grad((Array a) -> Transforms.jit((Array b) -> b.varKeepDims(-1).sum()).apply(a)).apply(x);
    assertEquals(2 * (1 - 3.75) / 4, g.toFloatArray()[0], 1e-6);
  }

  @Test
  void initializersTakeJaxsInAndOutAxes() {
    // jax.nn.initializers.lecun_normal(in_axis=0, out_axis=(1, 2, 3))(jax.random.key(5), (8, 3, 2, 4))
    float[] lecun = Init.lecunNormal(new int[] {0}, new int[] {1, 2, 3}).init(Random.key(5), 8, 3, 2, 4).toFloatArray();
    assertArrayEquals(new float[] {-0.03236616775393486f, 0.5190913677215576f, 0.24035869538784027f,
        -0.4855771064758301f, 0.5052495002746582f, 0.17642037570476532f}, Arrays.copyOf(lecun, 6), 2e-7f);
    double sum = 0;
    for (float f : lecun) {
      sum += f;
    }
    assertEquals(-5.450428730342537, sum, 1e-5);
    // jax.nn.initializers.he_uniform(in_axis=(0, 1), out_axis=2)(jax.random.key(6), (2, 4, 5))
    float[] he = Init.heUniform(new int[] {0, 1}, new int[] {2}).init(Random.key(6), 2, 4, 5).toFloatArray();
    assertArrayEquals(new float[] {0.260545939207077f, -0.37400418519973755f, -0.7852286100387573f,
        -0.6677907705307007f, 0.6222717761993408f, -0.2951512038707733f}, Arrays.copyOf(he, 6), 2e-7f);
    // the default axes (in -2, out -1) count [8, 3] as a receptive field: fan_in 2 * 24 = 48, not 8
    float[] defaultAxes = Init.lecunNormal().init(Random.key(5), 8, 3, 2, 4).toFloatArray();
    assertEquals(Math.sqrt(48.0 / 8.0), lecun[1] / defaultAxes[1], 1e-5, "same draw, scaled by sqrt(fan ratio)");
  }

  record Dense(Array w, Array b) {}

  record Params(Dense dense, Array scale) {}

  @Test
  void maskWhereIsOptaxsCallableMask() {
    Params params = new Params(new Dense(Array.of(DType.F32, new int[] {2, 2}, 1f, -2f, 3f, 0.5f), Array.of(0.5f, -0.25f)),
        Array.of(2f, 1f));
    Predicate<String> matrices = Optim.maskWhere(params, leaf -> leaf.ndim() > 1);
    assertTrue(matrices.test("dense.w"));
    assertFalse(matrices.test("dense.b"));
    assertFalse(matrices.test("scale"));
    Params grads = Tree.map(p -> Array.onesLike(p).mul(0.1), params);
    // optax.adamw(0.1, weight_decay=0.5, mask=lambda p: jax.tree.map(lambda x: x.ndim > 1, p)), one update
    Optim.Optimizer adamw = Optim.adamw(0.1, 0.9, 0.999, 1e-8, 0, null, 0.5, matrices);
    Params u = adamw.update(grads, adamw.init(params), params).first();
    // 7e-7 apart: optax's bias correction is 1 - 0.999f**t in f32, StateLens's -expm1(t log b) (docs/optim.md);
    // the decay the mask leaves out would move these by 0.05 times the param
    assertArrayEquals(new float[] {-0.14999933540821075f, 6.675720101156912e-07f, -0.24999932944774628f,
        -0.12499933689832687f}, u.dense().w().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {-0.0999993309378624f, -0.0999993309378624f}, u.dense().b().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {-0.0999993309378624f, -0.0999993309378624f}, u.scale().toFloatArray(), 1e-6f);
  }

  @Test
  void reduceWindowTakesJaxsPaddingString() {
    float[] v = new float[25];
    for (int i = 0; i < 25; i++) {
      v[i] = (i % 5 % 2 == 0 ? 1 : -1) * i; // jnp.arange(25.).reshape(1, 5, 5, 1) * [1, -1, 1, -1, 1] over W
    }
    Array x = Array.of(DType.F32, new int[] {1, 5, 5, 1}, v);
    // lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "SAME")
    Array max = Lax.reduceWindowMax(x, new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}, "SAME");
    assertArrayEquals(new int[] {1, 3, 3, 1}, max.shape());
    assertArrayEquals(new float[] {5, 7, 9, 15, 17, 19, 20, 22, 24}, max.toFloatArray());
    // lax.reduce_window(x, 0., lax.add, (1, 3, 3, 1), (1, 2, 2, 1), "SAME_LOWER")
    assertArrayEquals(new float[] {-2, -9, 2, -3, -36, 3, -2, -39, 2},
        Lax.reduceWindowSum(x, new int[] {1, 3, 3, 1}, new int[] {1, 2, 2, 1}, "SAME_LOWER").toFloatArray());
    // lax.reduce_window(x, 0., lax.add, (1, 3, 3, 1), None, "VALID")
    assertArrayEquals(new float[] {18, -21, 24, 33, -36, 39, 48, -51, 54},
        Lax.reduceWindowSum(x, new int[] {1, 3, 3, 1}, null, "VALID").toFloatArray());
    // flax's window (2, 2) without the batch and channel 1s is a mistake JAX rejects too: say what to pass
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Lax.reduceWindowMax(x, new int[] {2, 2}, new int[] {2, 2}, "VALID"));
    assertTrue(e.getMessage().contains("need 4 entries each") && e.getMessage().contains("{1, 2, 2, 1}"), e.getMessage());
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Lax.reduceWindowMax(x, new int[] {1, 2, 2, 1}, null, "FULL")).getMessage().contains("VALID"));
  }

  @Test
  void valueAndGradWithAuxTakesFourArguments() {
    // loss_fn(w, stats, x, y) = (sum((w * x - y) ** 2), stats * 0.9 + 0.1 * mean(x)); d/dw = 2 x (w x - y)
    Fn4<Array, Array, Array, Array, Pair<Array, Array>> lossFn = (w, stats, x, y) ->
        Pair.of(w.mul(x).sub(y).square().sum(), stats.mul(0.9).add(x.mean().mul(0.1)));
    Array w = Array.of(DType.F32, new int[] {3}, 1f, -2f, 0.5f);
    Array stats = Array.of(DType.F32, new int[] {1}, 4f);
    Array x = Array.of(DType.F32, new int[] {3}, 2f, 1f, 3f);
    Array y = Array.of(DType.F32, new int[] {3}, 1f, 1f, 1f);
    Pair<Pair<Array, Array>, Array> r = Transforms.valueAndGradWithAux(lossFn).apply(w, stats, x, y);
    assertEquals(1 + 9 + 0.25, r.first().first().item(), 1e-6);
    assertArrayEquals(new float[] {3.8f}, r.first().second().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {4f, -6f, 3f}, r.second().toFloatArray(), 1e-6f);
    Pair<Array, Array> g = Transforms.jit(Transforms.gradWithAux(lossFn)).apply(w, stats, x, y);
    assertArrayEquals(r.second().toFloatArray(), g.first().toFloatArray(), "gradWithAux, jitted: the same gradient");
    assertArrayEquals(new float[] {3.8f}, g.second().toFloatArray(), 1e-6f);
  }

  @Test
  void convGeneralDilatedWithOnlyDimensionNumbers() {
    Array x = Random.normal(Random.key(0), 2, 6, 6, 3);
    Array w = Random.normal(Random.key(1), 3, 3, 3, 4);
    String[] nhwc = {"NHWC", "HWIO", "NHWC"};
    Array shortForm = Lax.convGeneralDilated(x, w, new int[] {2, 2}, "SAME", nhwc);
    assertArrayEquals(new int[] {2, 3, 3, 4}, shortForm.shape());
    assertArrayEquals(Lax.convGeneralDilated(x, w, new int[] {2, 2}, "SAME", null, null, nhwc, 1).toFloatArray(),
        shortForm.toFloatArray(), "the long form with null dilations and one feature group");
    // the same convolution in NCHW / OIHW: the layouts are only names for the axes
    Array nchw = Lax.convGeneralDilated(x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1), new int[] {2, 2}, "SAME",
        new String[] {"NCHW", "OIHW", "NCHW"});
    assertArrayEquals(shortForm.toFloatArray(), nchw.transpose(0, 2, 3, 1).toFloatArray(), 1e-5f);
  }
}
