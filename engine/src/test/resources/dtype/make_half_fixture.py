"""Writes half_conversions.txt: float32 bit patterns and what ml_dtypes (bfloat16) and NumPy
(float16) round them to. Run with NumPy 2.x and ml_dtypes installed:
    python make_half_fixture.py > half_conversions.txt
Lines: f32_bits bf16_bits f16_bits (hex; f16 is '-' for NaN inputs, whose payload NumPy keeps
and the engine drops, see docs/decisions.md)."""
import numpy as np
import ml_dtypes

rng = np.random.default_rng(0)
bits = [
    rng.integers(0, 2**32, 1500, dtype=np.uint64).astype(np.uint32),          # anything
    (rng.integers(0, 2**16, 300, dtype=np.uint64).astype(np.uint32) << 16) | 0x8000,  # bf16 ties
    (np.float32(1) + rng.integers(0, 2**13, 100).astype(np.float32) * np.float32(2**-23)).view(np.uint32),
    rng.integers(0x33000000, 0x38800000, 200, dtype=np.uint64).astype(np.uint32),  # f16 subnormal range
    rng.integers(0x477F0000, 0x47800100, 200, dtype=np.uint64).astype(np.uint32),  # f16 overflow edge
    rng.integers(0x7F7F0000, 0x80000000, 100, dtype=np.uint64).astype(np.uint32),  # bf16 max, inf, NaN
    rng.integers(0, 0x00800000, 100, dtype=np.uint64).astype(np.uint32),          # f32 subnormals
]
f = np.concatenate(bits).astype(np.uint32)
x = f.view(np.float32)
with np.errstate(all="ignore"):
    b = x.astype(ml_dtypes.bfloat16).view(np.uint16)
    h = x.astype(np.float16).view(np.uint16)
print("# f32 bf16(ml_dtypes %s) f16(numpy %s)" % (ml_dtypes.__version__, np.__version__))
for fi, bi, hi, xi in zip(f, b, h, x):
    print("%08x %04x %s" % (fi, bi, "-" if np.isnan(xi) else "%04x" % hi))
