# Writes the .npz fixtures of NumpyFixtureTest (run from this folder: python3 make_fixtures.py).
# Made with NumPy 2.4.6; the files are committed so the test needs no Python.
import numpy as np

np.savez(
    "numpy-savez.npz",
    f32=np.array([1.5, -0.0, np.inf, -np.inf, np.nan], np.float32),
    f64=np.arange(6, dtype=np.float64).reshape(2, 3) / 7,
    i32=np.array([[-2147483648, 2147483647]], np.int32),
    u32=np.array([0, 4294967295, 123], np.uint32),
    flags=np.array([True, False, True]),
    scalar=np.float32(3.25),
    empty=np.zeros((2, 0, 3), np.float32),
    fortran=np.asfortranarray(np.arange(24, dtype=np.int32).reshape(2, 3, 4)),
    bigendian=np.array([1.0, 2.5, -3.0], ">f8"),
)
np.savez_compressed("numpy-savez-compressed.npz", np.arange(100, dtype=np.float32))
