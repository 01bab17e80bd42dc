package dev.statelens.engine.backend.gpu;

/**
 * Device versions of the special functions (lgamma, digamma, zeta, polygamma, igamma, igammac,
 * igamma_grad_a, random_gamma_grad, betainc), line for line the CPU backend's
 * {@code backend/cpu/SpecialFunctions}: computed in double, an f32 result rounded once — except f32
 * zeta, which is {@code SpecialFunctions.zetaF32}'s f32 steps with their subnormal flushes. Part of
 * {@link Prelude#TEXT}; {@code static inline}, so a kernel that calls none of them compiles none.
 * The device's own {@code lgamma}/{@code erfc} are not used for lgamma: the CPU backend follows
 * XLA's Lanczos form, and parity means the same algorithm.
 */
final class SpecialDeviceFunctions {
  private SpecialDeviceFunctions() {}

  static final String TEXT = """
      // ---- special functions (backend/cpu/SpecialFunctions, in double) ----
      // NaN and inf by their bits: the runtime compilers (hiprtc, NVRTC) have no math.h macros
      static __device__ inline double sl_nan() { return __longlong_as_double(0x7FF8000000000000LL); }
      static __device__ inline double sl_inf() { return __longlong_as_double(0x7FF0000000000000LL); }
      static __device__ inline double sl_lanczos_coef(int i) {
        const double c[8] = {676.520368121885098567009190444019, -1259.13921672240287047156078755283,
          771.3234287776530788486528258894, -176.61502916214059906584551354, 12.507343278686904814458936853,
          -0.13857109526572011689554707, 9.984369578019570859563e-6, 1.50563273514931155834e-7};
        return c[i];
      }
      static __device__ inline double sl_lgamma(double input) {
        const double kPi = 3.14159265358979323846;
        const bool reflect = input < 0.5;
        const double z = reflect ? -input : input - 1.0;
        double x = 0.99999999999980993227684700473478;
        for (int i = 0; i < 8; i++) x = x + sl_lanczos_coef(i) / (z + (double)i + 1.0);
        const double t = 7.5 + z;
        const double log_t = 2.0149030205422647 + log1p(z / 7.5);
        const double log_y = fma(z + 0.5 - t / log_t, log_t, 0.91893853320467274) + log(x);
        const double abs_input = fabs(input);
        const double abs_frac = abs_input - floor(abs_input);
        const double reduced = abs_frac > 0.5 ? 1.0 - abs_frac : abs_frac;
        const double denom = log(sin(kPi * reduced));
        const double reflection = isfinite(denom) ? 1.1447298858494002 - denom - log_y : -denom;
        const double result = reflect ? reflection : log_y;
        return isinf(input) ? sl_inf() : result;
      }
      static __device__ inline double sl_digamma(double input) {
        const double kPi = 3.14159265358979323846;
        const bool reflect = input < 0.5;
        const double z = reflect ? -input : input - 1.0;
        double num = 0.0, denom = 0.99999999999980993227684700473478;
        for (int i = 0; i < 8; i++) {
          const double zi = z + (double)i + 1.0;
          num = num - sl_lanczos_coef(i) / (zi * zi);
          denom = denom + sl_lanczos_coef(i) / zi;
        }
        const double t = 7.5 + z;
        const double log_t = 2.0149030205422647 + log1p(z / 7.5);
        const double y = log_t + num / denom - 7.0 / t;
        const double reduced = input + fabs(floor(input + 0.5));
        const double reflection = y - kPi * cos(kPi * reduced) / sin(kPi * reduced);
        const double result = reflect ? reflection : y;
        return (input <= 0.0 && input == floor(input)) ? sl_nan() : result;
      }
      static __device__ inline double sl_zeta(double x, double q) {
        const double k[12] = {-7.1661652561756670113e18, 1.8152105401943546773e17, -4.5979787224074726105e15,
          1.1646782814350067249e14, -2.950130727918164224e12, 7.47242496e10, -1.8924375803183791606e9,
          47900160.0, -1209600.0, 30240.0, -720.0, 12.0};
        double a = q, neg_power = 0.0;
        const double neg_x = -x;
        double initial_sum = pow(q, neg_x);
        for (int i = 0; i < 9; i++) { a = a + 1.0; neg_power = pow(a, neg_x); initial_sum = initial_sum + neg_power; }
        a = a + 1.0;
        neg_power = pow(a, neg_x);
        double s = initial_sum + neg_power * a / (x - 1.0);
        const double a_inv_sq = 1.0 / (a * a);
        double horner = 0.0;
        for (int i = 0; i < 11; i++) {
          const double factor = (x + (double)(22 - 2 * i)) * (x + (double)(21 - 2 * i));
          horner = factor * (a_inv_sq * (horner + 1.0 / k[i]));
        }
        s = s + neg_power * (0.5 + x / a * (1.0 / k[11] + horner));
        double out = s; /* as the CPU kernel: XLA flushes chlo.zeta's subnormal constant, so its shortcut never holds */
        if (x < 1.0) out = sl_nan();
        const bool q_le_zero = q <= 0.0;
        if (q_le_zero && x != floor(x)) out = sl_nan();
        if (q_le_zero && q == floor(q)) out = (x == floor(x) && fmod(x, 2.0) == 0.0) ? sl_inf() : sl_nan();
        return x == 1.0 ? sl_inf() : out;
      }
      // f32 zeta as the CPU's SpecialFunctions.zetaF32 (XLA's f32 steps, each result flushed to zero when
      // subnormal (ComplexDevice's sl_flushf), as XLA's CPU runs for JAX): overflow past 3.4e38 and the
      // flushes give JAX's NaN/inf/0 answers
      static __device__ inline float sl_zeta_powf(float a, float b) { return sl_flushf((float)pow((double)a, (double)b)); }
      static __device__ inline float sl_zetaf(float x0, float q0) {
        const double k[12] = {-7.1661652561756670113e18, 1.8152105401943546773e17, -4.5979787224074726105e15,
          1.1646782814350067249e14, -2.950130727918164224e12, 7.47242496e10, -1.8924375803183791606e9,
          47900160.0, -1209600.0, 30240.0, -720.0, 12.0};
        const float x = sl_flushf(x0), q = sl_flushf(q0);
        const float neg_x = -x;
        float initial_sum = sl_zeta_powf(q, neg_x);
        float a = q, neg_power = 0.0f;
        for (int i = 0; i < 9; i++) {
          a = sl_flushf(q + (float)(i + 1));
          neg_power = sl_zeta_powf(a, neg_x);
          initial_sum = sl_flushf(initial_sum + neg_power);
        }
        a = sl_flushf(q + 10.0f);
        neg_power = sl_zeta_powf(a, neg_x);
        float s = sl_flushf(initial_sum + sl_flushf(sl_flushf(neg_power * a) / sl_flushf(x - 1.0f)));
        const float a_inv_sq = sl_flushf(1.0f / sl_flushf(a * a));
        float horner = 0.0f;
        for (int i = 0; i < 11; i++) {
          const float factor = sl_flushf(sl_flushf(x + (float)(22 - 2 * i)) * sl_flushf(x + (float)(21 - 2 * i)));
          horner = sl_flushf(factor * sl_flushf(a_inv_sq * sl_flushf(horner + (float)(1.0 / k[i]))));
        }
        s = sl_flushf(s + sl_flushf(neg_power * sl_flushf(0.5f + sl_flushf(sl_flushf(x / a) * sl_flushf((float)(1.0 / k[11]) + horner)))));
        float out = s;
        if (x < 1.0f) out = (float)sl_nan();
        const bool q_le_zero = q <= 0.0f;
        if (q_le_zero && x != floorf(x)) out = (float)sl_nan();
        if (q_le_zero && q == floorf(q)) out = (x == floorf(x) && fmodf(x, 2.0f) == 0.0f) ? (float)sl_inf() : (float)sl_nan();
        return x == 1.0f ? (float)sl_inf() : out;
      }
      static __device__ inline double sl_polygamma(double n, double x) {
        const double sign = 2.0 * fmod(n, 2.0) - 1.0;
        double result = sign * exp(sl_lgamma(n + 1.0)) * sl_zeta(n + 1.0, x);
        if (n == 0.0) result = sl_digamma(x);
        return (n != floor(n) || n < 0.0) ? sl_nan() : result;
      }
      // mode: 0 value, 1 derivative in a, 2 sample derivative (jax/_src/lax/special.py's IgammaMode)
      static __device__ inline double sl_igamma_series(double ax, double x, double a, bool enabled, int mode) {
        const double eps = 2.220446049250313e-16;
        double r = a, c = 1.0, ans = 1.0, dc_da = 0.0, dans_da = 0.0;
        for (int k = 0; enabled && k < 1000000; k++) {
          r = r + 1.0;
          dc_da = dc_da * (x / r) - (c * x) / (r * r);
          dans_da = dans_da + dc_da;
          c = c * (x / r);
          ans = ans + c;
          enabled = mode == 0 ? c / ans > eps : fabs(dc_da / dans_da) > eps;
        }
        if (mode == 0) return (ans * ax) / a;
        const double dlogax_da = log(x) - sl_digamma(a + 1.0);
        return mode == 1 ? ax * (ans * dlogax_da + dans_da) / a : -(dans_da + ans * dlogax_da) * x / a;
      }
      static __device__ inline double sl_igammac_cf(double ax, double x, double a, bool enabled, int mode) {
        const double eps = 2.220446049250313e-16;
        double y = 1.0 - a, z = x + y + 1.0, c = 0.0;
        double pkm2 = 1.0, qkm2 = x, pkm1 = x + 1.0, qkm1 = z * x;
        double ans = pkm1 / qkm1;
        double dpkm2 = 0.0, dqkm2 = 0.0, dpkm1 = 0.0, dqkm1 = -x;
        double dans = (dpkm1 - ans * dqkm1) / qkm1;
        while (c < 2000.0 && enabled) {
          c = c + 1.0; y = y + 1.0; z = z + 2.0;
          const double yc = y * c;
          const double pk = pkm1 * z - pkm2 * yc;
          const double qk = qkm1 * z - qkm2 * yc;
          const bool nz = qk != 0.0;
          const double r = pk / qk;
          const double t = nz ? fabs((ans - r) / r) : 1.0;
          ans = nz ? r : ans;
          const double dpk = dpkm1 * z - pkm1 - dpkm2 * yc + pkm2 * c;
          const double dqk = dqkm1 * z - qkm1 - dqkm2 * yc + qkm2 * c;
          const double dans_new = nz ? (dpk - ans * dqk) / qk : dans;
          const double grad_cond = nz ? fabs(dans_new - dans) : 1.0;
          pkm2 = pkm1; pkm1 = pk; qkm2 = qkm1; qkm1 = qk;
          dpkm2 = dpkm1; dqkm2 = dqkm1; dpkm1 = dpk; dqkm1 = dqk;
          if (fabs(pk) > 1.0 / eps) {
            pkm2 *= eps; pkm1 *= eps; qkm2 *= eps; qkm1 *= eps;
            dpkm2 *= eps; dqkm2 *= eps; dpkm1 *= eps; dqkm1 *= eps;
          }
          enabled = mode == 0 ? t > eps : grad_cond > eps;
          dans = dans_new;
        }
        if (mode == 0) return ans * ax;
        const double dlogax_da = log(x) - sl_digamma(a);
        return mode == 1 ? ax * (ans * dlogax_da + dans) : -(dans + ans * dlogax_da) * x;
      }
      static __device__ inline double sl_igamma(double a, double x) {
        const bool is_nan = a != a || x != x, x_inf = x == sl_inf(), x_zero = x == 0.0;
        const bool domain = x < 0.0 || a < 0.0 || (a == 0.0 && x_zero) || is_nan;
        const bool use_cf = x >= 1.0 && x > a;
        const double log_ax = a * log(x) - x - sl_lgamma(a);
        const bool underflow = log_ax < -709.782712893384;
        const double ax = exp(log_ax);
        const bool enabled = !(x_zero || domain || underflow || x_inf);
        double out = use_cf ? 1.0 - sl_igammac_cf(ax, x, a, enabled, 0) : sl_igamma_series(ax, x, a, enabled, 0);
        if (x_zero) out = 0.0;
        if (x_inf) out = 1.0;
        return domain ? sl_nan() : out;
      }
      static __device__ inline double sl_igammac(double a, double x) {
        const bool is_nan = a != a || x != x, a_zero = a == 0.0, x_inf = x == sl_inf();
        const bool domain = x < 0.0 || a < 0.0 || (a_zero && x == 0.0) || is_nan;
        const bool use_series = x < 1.0 || x < a;
        const double log_ax = a * log(x) - x - sl_lgamma(a);
        const bool underflow = log_ax < -709.782712893384;
        const bool enabled = !(domain || underflow || x_inf || a_zero);
        const double ax = exp(log_ax);
        double out = use_series ? 1.0 - sl_igamma_series(ax, x, a, enabled, 0) : sl_igammac_cf(ax, x, a, enabled, 0);
        if (x_inf || a_zero) out = 0.0;
        return domain ? sl_nan() : out;
      }
      static __device__ inline double sl_igamma_grad(double a, double x, int mode) {
        const bool is_nan = a != a || x != x, x_zero = x == 0.0;
        const bool domain = x < 0.0 || a <= 0.0;
        const bool use_cf = x > 1.0 && x > a;
        const double log_ax = a * log(x) - x - sl_lgamma(a);
        const bool underflow = log_ax < -709.782712893384;
        const double ax = exp(log_ax);
        const bool enabled = !(x_zero || domain || underflow || is_nan);
        double out = use_cf ? -sl_igammac_cf(ax, x, a, enabled, mode) : sl_igamma_series(ax, x, a, enabled, mode);
        if (x_zero) out = 0.0;
        return (domain || is_nan) ? sl_nan() : out;
      }
      static __device__ inline double sl_igamma_grad_a(double a, double x) { return sl_igamma_grad(a, x, 1); }
      static __device__ inline double sl_random_gamma_grad(double a, double x) { return sl_igamma_grad(a, x, 2); }
      static __device__ inline double sl_betainc_numerator(int iteration, double a, double b, double x) {
        if (iteration == 1) return 1.0;
        const int mi = (iteration - 1) / 2; // iteration >= 2: floor division
        const double m = (double)mi;
        if (iteration % 2 == 0) {
          if (mi == 0) return -(a + b) * x / (a + 1.0);
          return -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        }
        return m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
      }
      static __device__ inline double sl_betainc(double a, double b, double x) {
        const double small = 1.1102230246251565e-16;
        const bool a_zero = a == 0.0 || b == sl_inf(), b_zero = b == 0.0 || a == sl_inf();
        const bool x_zero = x == 0.0, x_one = x == 1.0;
        const bool is_nan = a != a || b != b || x != x;
        const bool res_zero = (b_zero && !x_one) || (a_zero && x_zero);
        const bool res_one = (a_zero && !x_zero) || (b_zero && x_one);
        const bool res_nan = a < 0.0 || b < 0.0 || x < 0.0 || x > 1.0 || (a_zero && b_zero) || is_nan;
        const bool rapid = x < (a + 1.0) / (a + b + 2.0);
        const double aa = rapid ? a : b, bb = rapid ? b : a, xx = rapid ? x : 1.0 - x;
        double h = small, c_prev = small, d_prev = 0.0;
        for (int it = 1; it < 600; it++) {
          const double num = sl_betainc_numerator(it, aa, bb, xx);
          double c = 1.0 + num / c_prev;
          if (fabs(c) < small) c = small;
          double d = 1.0 + num * d_prev;
          if (fabs(d) < small) d = small;
          d = 1.0 / d;
          const double delta = c * d;
          h = h * delta;
          c_prev = c; d_prev = d;
          if (!(fabs(delta - 1.0) >= small)) break;
        }
        const double lbeta_small_a = sl_lgamma(bb) - sl_lgamma(aa + bb);
        const double lbeta = sl_lgamma(aa) + lbeta_small_a;
        const double factor = aa < 2.0 * 2.2250738585072014e-308
            ? exp(log1p(-xx) * bb - lbeta_small_a)
            : exp(log(xx) * aa + log1p(-xx) * bb - lbeta) / aa;
        double result = h * factor;
        result = rapid ? result : 1.0 - result;
        if (res_zero) result = 0.0;
        if (res_one) result = 1.0;
        return res_nan ? sl_nan() : result;
      }
      static __device__ inline float sl_lgammaf(float x) { return (float)sl_lgamma((double)x); }
      static __device__ inline float sl_digammaf(float x) { return (float)sl_digamma((double)x); }
      static __device__ inline float sl_polygammaf(float n, float x) { return (float)sl_polygamma((double)n, (double)x); }
      static __device__ inline float sl_igammaf(float a, float x) { return (float)sl_igamma((double)a, (double)x); }
      static __device__ inline float sl_igammacf(float a, float x) { return (float)sl_igammac((double)a, (double)x); }
      static __device__ inline float sl_igamma_grad_af(float a, float x) { return (float)sl_igamma_grad_a((double)a, (double)x); }
      static __device__ inline float sl_random_gamma_gradf(float a, float x) { return (float)sl_random_gamma_grad((double)a, (double)x); }
      static __device__ inline float sl_betaincf(float a, float b, float x) { return (float)sl_betainc((double)a, (double)b, (double)x); }
      """;
}
