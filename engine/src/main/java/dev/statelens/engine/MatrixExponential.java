package dev.statelens.engine;

/**
 * {@code jax.scipy.linalg.expm}: Padé approximation with scaling and squaring, as JAX 0.10.2's
 * {@code _calc_P_Q}/{@code _solve_P_Q}/{@code _squaring}. The 1-norm picks the Padé order (f32:
 * 3, 5, 7; f64: 3, 5, 7, 9, 13) and the number of squarings {@code s = max(0, floor(log2(|A|_1 /
 * maxnorm)))}; {@code R = Q^-1 P} of {@code A / 2^s}, squared s times. Where JAX switches
 * ({@code lax.switch}, {@code lax.cond} per squaring) this selects ({@code where}), so a batch of
 * matrices runs as one and the gradient flows by composition through the chosen branch. More than
 * {@code maxSquarings} squarings gives a NaN matrix, as JAX.
 */
final class MatrixExponential {
  private MatrixExponential() {}

  private static final double[] PADE3 = {120.0, 60.0, 12.0, 1.0};
  private static final double[] PADE5 = {30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0};
  private static final double[] PADE7 = {17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0};
  private static final double[] PADE9 = {17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0,
      2162160.0, 110880.0, 3960.0, 90.0, 1.0};
  private static final double[] PADE13 = {6.476475253248e+16, 3.238237626624e+16, 7771770303897600.0,
      1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
      40840800.0, 960960.0, 16380.0, 182.0, 1.0};

  static Array expm(Array a, boolean upperTriangular, int maxSquarings) {
    Array x = NumpyMath.floaty(a);
    if (x.ndim() < 2 || x.dim(-1 + x.ndim()) != x.dim(x.ndim() - 2)) {
      throw new ShapeError("expm: expected a (batched) square matrix, got shape " + x.aval().shapeString()
          + "; pass [..., n, n]");
    }
    if (maxSquarings < 0) {
      throw new IllegalArgumentException("expm: maxSquarings=" + maxSquarings + " is negative; pass 16 (JAX's default)");
    }
    boolean f64 = x.dtype() == DType.F64;
    if (!f64 && x.dtype() != DType.F32) {
      throw new IllegalArgumentException("expm: A.dtype=" + x.dtype() + " is not supported (F32 or F64, as JAX); "
          + "convert with astype(DType.F32)");
    }
    Array norm1 = x.abs().sum(x.ndim() - 2).max(-1);   // jnp.linalg.norm(A, 1): the largest column sum
    double maxnorm = f64 ? 5.371920351148152 : 3.92572478313866;
    Array squarings = norm1.div(maxnorm).log2().floor().maximum(Array.scalar(x.dtype(), 0));
    Array scaled = x.div(matrixOf(squarings.exp2()));
    double[] conds = f64 ? new double[] {0.01495585217958292, 0.253939833006323, 0.9504178996162932, 2.097847961257068}
        : new double[] {0.4258730016922831, 1.880152677804762};
    Array order = Array.zeros(DType.I32, norm1.shape());   // jnp.digitize(norm, conds): how many conds <= norm
    for (double c : conds) {
      order = order.add(norm1.ge(Array.scalar(x.dtype(), c)).astype(DType.I32));
    }
    // every candidate is computed (where picks one), so the powers they share are computed once
    Array[] powers = evenPowers(scaled, f64 ? PADE9.length / 2 : PADE7.length / 2);
    Array[][] candidates = f64
        ? new Array[][] {pade(scaled, PADE3, powers), pade(scaled, PADE5, powers), pade(scaled, PADE7, powers),
            pade(scaled, PADE9, powers), pade13(scaled, powers)}
        : new Array[][] {pade(scaled, PADE3, powers), pade(scaled, PADE5, powers), pade(scaled, PADE7, powers)};
    Array u = candidates[candidates.length - 1][0];
    Array v = candidates[candidates.length - 1][1];
    Array pick = matrixOf(order);
    for (int i = candidates.length - 2; i >= 0; i--) {
      Array chosen = pick.eq(i);
      u = Array.where(chosen, candidates[i][0], u);
      v = Array.where(chosen, candidates[i][1], v);
    }
    Array p = u.add(v);
    Array q = u.neg().add(v);
    Array r = upperTriangular ? Linalg.solveTriangular(q, p, false) : Linalg.solve(q, p);
    Array count = matrixOf(squarings);
    for (int i = 0; i < maxSquarings; i++) {
      r = Array.where(count.gt(i), r.matmul(r), r);
    }
    return Array.where(count.gt(maxSquarings), Double.NaN, r);
  }

  /** {@code I, A^2, A^4, ...}: {@code count} even powers of {@code a}, each the previous one times A^2. */
  private static Array[] evenPowers(Array a, int count) {
    int n = a.dim(a.ndim() - 1);
    Array[] powers = new Array[count];
    powers[0] = Array.eye(a.dtype(), n, n);
    powers[1] = a.matmul(a);
    for (int j = 2; j < count; j++) {
      powers[j] = powers[j - 1].matmul(powers[1]);
    }
    return powers;
  }

  /**
   * U and V of the Padé approximant of degree {@code b.length - 1} (3, 5, 7 or 9), from
   * {@code powers} ({@link #evenPowers}, at least {@code b.length / 2} of them).
   */
  private static Array[] pade(Array a, double[] b, Array[] powers) {
    int top = b.length / 2 - 1; // the highest even power used, A^(2 top)
    // JAX's order of terms: highest power first, b[2j+1] A^2j for U's bracket, b[2j] A^2j for V
    Array uInner = powers[top].mul(b[2 * top + 1]);
    Array v = powers[top].mul(b[2 * top]);
    for (int j = top - 1; j >= 0; j--) {
      uInner = uInner.add(powers[j].mul(b[2 * j + 1]));
      v = v.add(powers[j].mul(b[2 * j]));
    }
    return new Array[] {a.matmul(uInner), v};
  }

  /** The degree-13 approximant, with JAX's nested products of A^6 ({@code powers}: I to A^6 at least). */
  private static Array[] pade13(Array a, Array[] powers) {
    double[] b = PADE13;
    Array ident = powers[0];
    Array a2 = powers[1];
    Array a4 = powers[2];
    Array a6 = powers[3];
    Array uHigh = a6.matmul(a6.mul(b[13]).add(a4.mul(b[11])).add(a2.mul(b[9])));
    Array u = a.matmul(uHigh.add(a6.mul(b[7])).add(a4.mul(b[5])).add(a2.mul(b[3])).add(ident.mul(b[1])));
    Array vHigh = a6.matmul(a6.mul(b[12]).add(a4.mul(b[10])).add(a2.mul(b[8])));
    Array v = vHigh.add(a6.mul(b[6])).add(a4.mul(b[4])).add(a2.mul(b[2])).add(ident.mul(b[0]));
    return new Array[] {u, v};
  }

  /** A per-matrix value {@code [...]} as {@code [..., 1, 1]}, to broadcast against the matrices. */
  private static Array matrixOf(Array perMatrix) {
    return perMatrix.expandDims(perMatrix.ndim()).expandDims(perMatrix.ndim() + 1);
  }
}
