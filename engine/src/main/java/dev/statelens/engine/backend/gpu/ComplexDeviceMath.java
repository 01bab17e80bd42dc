package dev.statelens.engine.backend.gpu;

/**
 * The complex64 elementary functions in generated device code: {@code backend/cpu/ComplexMath} and
 * {@code ComplexKernels.sign} line for line, in double, each part rounded once to f32 ({@code pow}: the
 * CPU's f32 steps, XLA's, with the device's powf/atan2f/sinf/cosf), so the
 * branch cuts, signed zeros, infinities and NaNs are the CPU backend's (which are XLA's). Where
 * the device's double libm is an ulp off Java's, or nvcc/hipcc contract a product and a sum into
 * an fma (their default), a part may differ from the CPU's in its last f32 bit.
 * {@link ComplexDevice#expr} maps the primitives to these functions.
 */
final class ComplexDeviceMath {
  private ComplexDeviceMath() {}

  static final String TEXT = """
      // complex64 elementary functions: backend/cpu/ComplexMath in double, each part rounded once to f32
      __device__ __forceinline__ float sl_fnan() { return __int_as_float(0x7fc00000); }
      __device__ __forceinline__ double sl_dnan() { return __longlong_as_double(0x7ff8000000000000LL); }
      // |z|, NaN when either part is NaN (hypot gives inf for (inf, NaN))
      __device__ __forceinline__ double sl_cmodulus(double a, double b) { return isnan(a) || isnan(b) ? sl_dnan() : hypot(a, b); }
      // log|z| keeping the digits near |z| = 1 (f32 squares are exact in double)
      __device__ __forceinline__ double sl_clogmod(double a, double b) {
        if (isnan(a) || isnan(b)) return sl_dnan();
        const double s = a * a + b * b;
        if (s > 0.5 && s < 2.0) return 0.5 * log1p((a - 1.0) * (a + 1.0) + b * b);
        return isinf(s) || s == 0.0 ? log(hypot(a, b)) : 0.5 * log(s);
      }
      __device__ __forceinline__ sl_c64 sl_clog(sl_c64 x) {
        const double a = x.re, b = x.im;
        return sl_cmake((float)sl_clogmod(a, b), (float)atan2(b, a));
      }
      __device__ __forceinline__ sl_c64 sl_clog1p(sl_c64 x) {
        const double a = x.re, b = x.im, xr = a + 1.0;
        if (isnan(a) || isnan(b)) return sl_cmake(sl_fnan(), sl_fnan());
        const double s = 2.0 * a + a * a + b * b; // log|1 + z| = 0.5 log1p(2a + a^2 + b^2)
        const double re = isinf(s) || fabs(xr) > 1e150 || fabs(b) > 1e150 ? sl_clogmod(xr, b) : 0.5 * log1p(s);
        return sl_cmake((float)re, (float)atan2(b, xr));
      }
      // principal root; as XLA the sign of a zero imaginary part is not looked at (sqrt(-4 - 0j) = +2j)
      __device__ __forceinline__ sl_c64 sl_csqrt(sl_c64 x) {
        const double a = x.re, b = x.im;
        if (a == 0.0 && b == 0.0) return sl_cmake(0.0f, 0.0f);
        if (isinf(b) && !isnan(a)) return sl_cmake(__int_as_float(0x7f800000), (float)b);
        const double t = sqrt((fabs(a) + sl_cmodulus(a, b)) / 2.0);
        const double sign = b < 0.0 ? -1.0 : 1.0;
        if (a >= 0.0) return sl_cmake((float)t, (float)(sign * (fabs(b) / (2.0 * t))));
        return sl_cmake((float)(fabs(b) / (2.0 * t)), (float)(sign * t));
      }
      // polar form with the argument rounded to f32 first, as XLA (rsqrt(-1) = -4.37e-8 - 1j)
      __device__ __forceinline__ sl_c64 sl_crsqrt(sl_c64 x) {
        double a = x.re, b = x.im;
        if (isinf(a) || isinf(b)) { a = isnan(a) ? 0.0 : a; b = isnan(b) ? 0.0 : b; }
        const double m = 1.0 / sqrt(sl_cmodulus(a, b));
        const double half = -(double)(float)atan2(b, a) / 2.0;
        return sl_cmake((float)(m * cos(half)), isinf(m) && m > 0.0 ? sl_fnan() : (float)(m * sin(half)));
      }
      // exp(z) - 1 = (expm1(a) cos b - 2 sin^2(b/2)) + i e^a sin b
      __device__ __forceinline__ sl_c64 sl_cexpm1(sl_c64 x) {
        const double a = x.re, b = x.im, em1 = expm1(a);
        if (b == 0.0) return sl_cmake((float)em1, 0.0f);
        const double sh = sin(b / 2.0);
        return sl_cmake((float)(em1 * cos(b) - 2.0 * sh * sh), (float)(exp(a) * sin(b)));
      }
      // JAX's _sin_complex / _cos_complex: sinh and cosh of the imaginary part from expm1
      __device__ __forceinline__ sl_c64 sl_csin(sl_c64 x) {
        const double a = x.re, b = x.im, e1 = expm1(b), e2 = expm1(-b);
        const double sh = (e1 - e2) / 2.0, ch = (e1 + e2 + 2.0) / 2.0;
        return sl_cmake(a == 0.0 ? 0.0f : (float)(sin(a) * ch), (float)(cos(a) * sh));
      }
      __device__ __forceinline__ sl_c64 sl_ccos(sl_c64 x) {
        const double a = x.re, b = x.im, e1 = expm1(b), e2 = expm1(-b);
        const double sh = (e1 - e2) / 2.0, ch = (e1 + e2 + 2.0) / 2.0;
        return sl_cmake((float)(cos(a) * ch), a == 0.0 ? 0.0f : (float)(-sin(a) * sh));
      }
      // sinh(z) = -i sin(iz), cosh(z) = cos(iz)
      __device__ __forceinline__ sl_c64 sl_csinh(sl_c64 x) { const sl_c64 s = sl_csin(sl_cmake(-x.im, x.re)); return sl_cmake(s.im, -s.re); }
      __device__ __forceinline__ sl_c64 sl_ccosh(sl_c64 x) { return sl_ccos(sl_cmake(-x.im, x.re)); }
      // (tanh a + i tan b) / (1 + i tanh a tan b), XLA's form; (+-1, 0) past f32's distinct tanh values
      __device__ __forceinline__ sl_c64 sl_ctanh(sl_c64 x) {
        const double a = x.re, b = x.im;
        if (fabs(a) > 20.0) return sl_cmake((float)copysign(1.0, a), 0.0f);
        if (b == 0.0) return sl_cmake((float)tanh(a), 0.0f);
        const double t = tanh(a), u = tan(b), d = t * u, den = 1.0 + d * d;
        return sl_cmake((float)((t + u * d) / den), (float)((u - t * d) / den));
      }
      // tan(z) = -i tanh(iz)
      __device__ __forceinline__ sl_c64 sl_ctan(sl_c64 x) { const sl_c64 t = sl_ctanh(sl_cmake(-x.im, x.re)); return sl_cmake(t.im, -t.re); }
      // XLA CPU's f32 exp and log (backend/cpu/XlaF32Math: range reduction, polynomial, explicit FMAs, FTZ)
      __device__ __forceinline__ float sl_xla_expf(float x) {
        const float c = isnan(x) ? x : fminf(fmaxf(x, -87.8f), 88.8f);
        const float n = isnan(c) ? 0.0f : fminf(fmaxf(floorf(fmaf(c, __int_as_float(0x3FB8AA3B), 0.5f)), -127.0f), 127.0f);
        float r = fmaf(-n, __int_as_float(0x3F318000), c);
        r = fmaf(-n, __int_as_float(0xB95E8083), r);
        float y = __int_as_float(0x39506967);
        y = fmaf(y, r, __int_as_float(0x3AB743CE));
        y = fmaf(y, r, __int_as_float(0x3C088908));
        y = fmaf(y, r, __int_as_float(0x3D2AA9C1));
        y = fmaf(y, r, __int_as_float(0x3E2AAAAA));
        y = fmaf(y, r, 0.5f);
        const float m = 1.0f + fmaf(y, __fmul_rn(r, r), r);
        return sl_flushf(__fmul_rn(m, __int_as_float(((int)n + 127) << 23)));
      }
      __device__ __forceinline__ float sl_xla_logf(float x) {
        if (fabsf(x) < 1.17549435e-38f) return -__int_as_float(0x7f800000); // a subnormal is 0 (DAZ)
        if (x == __int_as_float(0x7f800000)) return x;
        if (!(x > 0.0f)) return sl_fnan();
        const int bits = __float_as_int(x);
        float e = 1.0f + (float)((bits >> 23) - 127);
        const float m = __int_as_float((bits & 0x807FFFFF) | 0x3F000000);
        const bool low = m < __int_as_float(0x3F3504F3);
        const float f = (m - 1.0f) + (low ? m : 0.0f);
        e = e - (low ? 1.0f : 0.0f);
        const float f2 = __fmul_rn(f, f), f3 = __fmul_rn(f2, f);
        float y1 = fmaf(f, __int_as_float(0x3D9021BB), __int_as_float(0xBDEBD1B8));
        float y2 = fmaf(f, __int_as_float(0xBDFE5D4F), __int_as_float(0x3E11E9BF));
        float y3 = fmaf(f, __int_as_float(0x3E4CCEAC), __int_as_float(0xBE7FFFFC));
        y1 = fmaf(y1, f, __int_as_float(0x3DEF251A));
        y2 = fmaf(y2, f, __int_as_float(0xBE2AAE50));
        y3 = fmaf(y3, f, __int_as_float(0x3EAAAAAA));
        float y = fmaf(y1, f3, y2);
        y = fmaf(y, f3, y3);
        y = fmaf(y, f3, __fmul_rn(__int_as_float(0xB95E8083), e));
        return fmaf(__int_as_float(0x3F318000), e, fmaf(-0.5f, f2, f) + y);
      }
      // XLA CPU's c64 power (ComplexMath.pow): |x|^c e^(-d arg x) (cos, sin)(fma(arg, c, d log|x|)) in f32,
      // flushed; powf/atan2f/sinf/cosf the device's (the CPU calls glibc's, as XLA), exp/log XLA's; then its
      // special cases: 0^y for a real y >= 0, x^0 = 1, 1^y = 1, inf^y for a real y
      __device__ __forceinline__ sl_c64 sl_cpow(sl_c64 x, sl_c64 y) {
        const float a = sl_flushf(x.re), b = sl_flushf(x.im), c = sl_flushf(y.re), d = sl_flushf(y.im);
        const float ma = fabsf(a), mb = fabsf(b);
        const bool nan = isnan(ma) || isnan(mb);
        const float hi = nan ? sl_fnan() : fmaxf(ma, mb), lo = nan ? sl_fnan() : fminf(ma, mb);
        const float q = sl_flushf(lo / hi);
        float modulus = sl_flushf(__fmul_rn(hi, sqrtf(fmaf(q, q, 1.0f))));
        if (isnan(modulus)) modulus = lo;
        const float arg = sl_flushf(atan2f(x.im, x.re));
        const float magnitude = sl_flushf(__fmul_rn(sl_flushf(powf(modulus, y.re)), sl_xla_expf(sl_flushf(__fmul_rn(-d, arg)))));
        const float angle = sl_flushf(fmaf(arg, c, sl_flushf(__fmul_rn(d, sl_xla_logf(modulus)))));
        float re = sl_flushf(__fmul_rn(magnitude, sl_flushf(cosf(angle))));
        float im = sl_flushf(__fmul_rn(magnitude, sl_flushf(sinf(angle))));
        const bool realY = d == 0.0f;
        if (modulus == 0.0f && realY && c >= 0.0f) { re = c == 0.0f ? 1.0f : 0.0f; im = 0.0f; }
        if ((c == 0.0f && realY) || (a == 1.0f && b == 0.0f)) { re = 1.0f; im = 0.0f; }
        if (a == __int_as_float(0x7f800000) && b == 0.0f && realY && c != 0.0f && !isnan(c)) {
          re = c > 0.0f ? __int_as_float(0x7f800000) : 0.0f; im = 0.0f;
        }
        return sl_cmake(re, im);
      }
      // z / |z|, 0 at 0
      __device__ __forceinline__ sl_c64 sl_csign(sl_c64 x) {
        const double a = x.re, b = x.im, m = hypot(a, b);
        return m == 0.0 ? sl_cmake(0.0f, 0.0f) : sl_cmake((float)(a / m), (float)(b / m));
      }
      """;
}
