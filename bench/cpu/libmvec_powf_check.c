/* Does libmvec's AVX2 powf (_ZGVdN8vv_powf) give glibc's scalar powf bits? (docs/benchmarks.md, session 19, perf7)
   gcc -O2 -mavx2 -mfma bench/cpu/libmvec_powf_check.c -o /tmp/mvec -lmvec -lm && /tmp/mvec
   glibc 2.36: 1681174 of 32000000 differ (one ulp) - so Libm keeps the scalar powf. */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
__m256 _ZGVdN8vv_powf(__m256 x, __m256 y);
static uint32_t s = 12345;
static uint32_t rnd(void){ s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; }
int main(void){
  long diff = 0, total = 0, diffn = 0;
  for (long it = 0; it < 4000000; it++) {
    float x[8], y[8], r[8];
    for (int i = 0; i < 8; i++) {
      // moduli of typical complex values and real exponents: x in (0, 100), y in (-8, 8)
      x[i] = (rnd() >> 8) * (100.0f / 16777216.0f);
      y[i] = ((int32_t)(rnd() >> 8) - 8388608) * (8.0f / 8388608.0f);
    }
    __m256 v = _ZGVdN8vv_powf(_mm256_loadu_ps(x), _mm256_loadu_ps(y));
    _mm256_storeu_ps(r, v);
    for (int i = 0; i < 8; i++) {
      float e = powf(x[i], y[i]);
      uint32_t a, b; memcpy(&a, &e, 4); memcpy(&b, &r[i], 4);
      total++; if (a != b) { diff++; if (diff < 4) printf("powf(%a, %a) scalar %a vector %a\n", x[i], y[i], e, r[i]); }
    }
  }
  printf("%ld of %ld differ\n", diff, total);
  return 0;
}
