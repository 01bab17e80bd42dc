package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Golden text of {@code Transforms.makeJaxpr}, laid out as {@code jax.make_jaxpr} prints: typed
 * binders, typed literals, params sorted by name, sub-jaxprs indented under their equation.
 */
class MakeJaxprTest {

  public record Linear(Array w, Array b) {}

  @Test
  void statefulCounterBakesTheFieldInAsALiteral() {
    assertEquals("{ lambda ; . let a:f32[] = add 0.0:f32[] 1.0:f32[] in (a,) }",
        Transforms.makeJaxpr(new JitTest.Counter()::count).toString());
  }

  @Test
  void explicitStateCounter() {
    assertEquals("""
        { lambda ; a:f32[]. let
            b:f32[] = add a 1.0:f32[]
            c:f32[] = add a 1.0:f32[]
          in (b, c) }""",
        Transforms.makeJaxpr((Array n) -> Pair.of(n.add(1), n.add(1)), Array.scalar(0)).toString());
  }

  @Test
  void linearRegressionLoss() {
    BiFunction<Linear, Pair<Array, Array>, Array> loss = (p, d) ->
        d.first().mul(p.w()).add(p.b()).sub(d.second()).square().mean();
    String text = Transforms.makeJaxpr(loss, new Linear(Array.scalar(0), Array.scalar(0)),
        Pair.of(Array.zeros(128), Array.zeros(128))).toString();
    assertEquals("""
        { lambda ; a:f32[] b:f32[] c:f32[128] d:f32[128]. let
            e:f32[128] = mul c a
            f:f32[128] = add e b
            g:f32[128] = sub f d
            h:f32[128] = square g
            i:f32[] = reduce_sum[axes=(0,)] h
            j:f32[] = div i 128.0:f32[]
          in (j,) }""", text);
    // stable: the same function traces to the same text
    assertEquals(text, Transforms.makeJaxpr(loss, new Linear(Array.scalar(1), Array.scalar(2)),
        Pair.of(Array.ones(128), Array.ones(128))).toString());
  }

  @Test
  void broadcastingAndCastsAreExplicit() {
    assertEquals("""
        { lambda ; a:i32[3] b:f32[2,1]. let
            c:f32[3] = convert_element_type[new_dtype=float32] a
            d:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 3)] c
            e:f32[2,3] = broadcast_in_dim[broadcast_dimensions=(0, 1) shape=(2, 3)] b
            f:f32[2,3] = add d e
          in (f,) }""",
        Transforms.makeJaxpr((Array x, Array y) -> x.add(y), Array.of(1, 2, 3), Array.zeros(2, 1)).toString());
  }

  @Test
  void condWithSubJaxprs() {
    assertEquals("""
        { lambda ; a:f32[3]. let
            b:f32[] = reduce_sum[axes=(0,)] a
            c:bool[] = gt b 0.0:f32[]
            d:f32[3] = cond[
              branches=(
                { lambda ; e:f32[3]. let f:f32[3] = neg e in (f,) }
                { lambda ; g:f32[3]. let h:f32[3] = mul g 2.0:f32[] in (h,) }
              )
            ] c a
          in (d,) }""",
        Transforms.makeJaxpr((Array x) -> Lax.cond(x.sum().gt(0), (Array v) -> v.mul(2), (Array v) -> v.neg(), x),
            Array.zeros(3)).toString());
  }

  @Test
  void scanWithSubJaxpr() {
    assertEquals("""
        { lambda ; a:f32[5]. let
            b:f32[] c:f32[5] = scan[
              jaxpr={ lambda ; d:f32[] e:f32[]. let
                  f:f32[] = add d e
                  g:f32[] = mul d e
                in (f, g) }
              length=5
              num_carry=1
              num_consts=0
              reverse=False
            ] 0.0:f32[] a
          in (b, c) }""",
        Transforms.makeJaxpr((Array x) -> Lax.scan((Array c, Array v) -> Pair.of(c.add(v), c.mul(v)), Array.scalar(0), x), Array.zeros(5))
            .toString());
  }

  @Test
  void vmapOfAMatrixVectorProduct() {
    Array w = Array.zeros(3, 2);
    assertEquals("""
        { lambda a:f32[3,2]; b:f32[8,3]. let
            c:f32[8,2] = dot_general[dimension_numbers=((1,), (0,), (), ())] b a
            d:f32[8,2] = tanh c
          in (d,) }""",
        Transforms.makeJaxpr(Transforms.vmap((Array x) -> x.matmul(w).tanh()), Array.zeros(8, 3)).toString());
  }

  @Test
  void batchedMatmulIsStagedAsJaxStagesIt() {
    // jax.make_jaxpr(lambda x, w: x @ w) in JAX 0.10.2: w's missing batch axis is no broadcast
    assertEquals("""
        { lambda ; a:f32[16,32,48] b:f32[48,40]. let
            c:f32[16,32,40] = dot_general[dimension_numbers=((2,), (0,), (), ())] a b
          in (c,) }""",
        Transforms.makeJaxpr((Array x, Array w) -> x.matmul(w), Array.zeros(16, 32, 48), Array.zeros(48, 40)).toString());
    // a size-1 batch axis is squeezed and the other operand's batch axis becomes a free one
    assertEquals("""
        { lambda ; a:f32[3,1,4,5] b:f32[2,5,6]. let
            c:f32[3,4,5] = squeeze[dimensions=(1,)] a
            d:f32[3,4,2,6] = dot_general[dimension_numbers=((2,), (1,), (), ())] c b
            e:f32[3,2,4,6] = transpose[permutation=(0, 2, 1, 3)] d
          in (e,) }""",
        Transforms.makeJaxpr((Array x, Array w) -> x.matmul(w), Array.zeros(3, 1, 4, 5), Array.zeros(2, 5, 6)).toString());
  }

  @Test
  void debugPrintIsKeptAsAnEffect() {
    assertEquals("""
        { lambda ; a:f32[2,3]. let
            _ = debug_print[fmt=x={}] a
            b:f32[3] = reduce_sum[axes=(0,)] a
          in (b,) }""",
        Transforms.makeJaxpr((Array x) -> {
          Debug.print("x={}", x);
          return x.sum(0);
        }, Array.zeros(2, 3)).toString());
  }
}
