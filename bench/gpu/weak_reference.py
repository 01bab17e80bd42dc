"""jax_reference.py's weak-scalar cases (session 18, "weak"): a Python int or float next to an array.

Every case is named "weak/<op>" and has its twin in StateLensWeakSide.java, which calls the Java
method with a Java long where the case's scalar is a Python int (args s_type "int") and with a
double where it is a Python float: Java picks Array.add(long) for x.add(2) and Array.add(double)
for x.add(2.0), as Python's x + 2 and x + 2.0 are JAX's weak int and weak float. The twin checks
the result's dtype against JAX's (JaxReference compares values only through float32).

Arrays: float32, bfloat16, float16, int32, uint32 (written as int32 bits, args x_dtype "uint32",
one value past 2**31), bool. Scalars: ints 2, -3 (uint32 wraps -3 as JAX does), floats 2.0, 0.5,
-1.5. Operations: + - * (jnp), div (Array.div: true division on floats, lax.div on integers), rem
(lax.rem on the promoted dtype, as Array.rem), // (jnp.floor_divide), ** (jnp.power: integer_pow
for a Python int, exponents 2, 3, 2.0, 0.5), maximum, minimum, logaddexp, s - x, s / x, the six
comparisons, jnp.where with the scalar on either side, jnp.clip (int, float and mixed bounds) and
jnp.select's default. Combinations JAX refuses (an integer array to a negative power, bool
arithmetic JAX refuses) write no case; SharpBitsTest checks ours refuse them too.
"""

import numpy as np

F32 = np.float32


def weak_cases(case, arr):
    import jax.numpy as jnp
    from jax import lax

    cond = np.array([True, False, True, False, True, False])
    arrays = {
        "float32": np.array([-2.5, -1.0, 0.0, 0.5, 3.0, 7.25], F32),
        "bfloat16": jnp.asarray(np.array([-2.5, -1.0, 0.0, 0.5, 3.0, 7.25], F32), jnp.bfloat16),
        "float16": jnp.asarray(np.array([-2.5, -1.0, 0.0, 0.5, 3.0, 7.25], F32), jnp.float16),
        "int32": np.array([-7, -2, 0, 1, 5, 12], np.int32),
        "uint32": np.array([0, 1, 2, 5, 12, 4000000000], np.uint32),
        "bool": cond,
    }
    scalars = [2, -3, 2.0, 0.5, -1.5]

    def promoted(x, s):
        """The weak scalar as JAX's promotion makes it: a rank-0 array of result_type(x, s)."""
        dt = jnp.result_type(x, s)
        return x.astype(dt), jnp.zeros((), dt) + s

    def div(x, s):
        xs, ss = promoted(x, s)
        return jnp.true_divide(xs, ss) if jnp.issubdtype(xs.dtype, jnp.inexact) else lax.div(xs, ss)

    def rdiv(x, s):
        xs, ss = promoted(x, s)
        return jnp.true_divide(ss, xs) if jnp.issubdtype(xs.dtype, jnp.inexact) else lax.div(ss, xs)

    ops = {
        "add": lambda x, s: x + s,
        "sub": lambda x, s: x - s,
        "mul": lambda x, s: x * s,
        "div": div,
        "rem": lambda x, s: lax.rem(*promoted(x, s)),
        "floor_divide": lambda x, s: x // s,
        "maximum": jnp.maximum,
        "minimum": jnp.minimum,
        "logaddexp": jnp.logaddexp,
        "rsub": lambda x, s: s - x,
        "rdiv": rdiv,
        "eq": lambda x, s: x == s,
        "ne": lambda x, s: x != s,
        "lt": lambda x, s: x < s,
        "le": lambda x, s: x <= s,
        "gt": lambda x, s: x > s,
        "ge": lambda x, s: x >= s,
        "where_right": lambda x, s: jnp.where(cond, x, s),
        "where_left": lambda x, s: jnp.where(cond, s, x),
        "select": lambda x, s: jnp.select([cond], [x], s),
    }
    close = {"logaddexp"}  # XLA's f32 exp/log: within 1 ulp, as the other jnp math cases
    # x / s is XLA's x * (1/s) (jnp.array([-2.5]) / -3 -> 0.8333334), exact since StateLens divides the
    # same way (ir.ReciprocalDivision; the recip/ cases map where XLA does it)

    def inputs(name, x):
        x = np.asarray(x)
        if name == "uint32":
            return {"x": x.astype(np.int32)}, {"x_dtype": "uint32"}  # the reference format has no uint32 input
        return {"x": x}, {}

    def record(op, name, x, result, extra, label):
        ins, args = inputs(name, x)
        tol = dict(rtol=1e-6, atol=0.0) if op in close else {}
        case(f"weak/{op}", "close" if tol else "exact", {"out": np.asarray(result)}, ins,
             label=f"{name}-{label}", **args, **extra, **tol)

    def kind(s):
        return "int" if isinstance(s, int) else "float"

    for name, x in arrays.items():
        xj = jnp.asarray(x)
        for op, f in ops.items():
            if name == "bool" and op in ("logaddexp", "floor_divide", "rem", "div", "rdiv"):
                continue  # bool with a scalar: the arithmetic above is enough
            for s in scalars:
                if op in ("div", "rem", "floor_divide", "rdiv") and name in ("int32", "uint32", "bool") and s == 0:
                    continue
                try:
                    result = f(xj, s)
                except (TypeError, OverflowError, ValueError):
                    continue
                record(op, name, x, result, {"s": s, "s_type": kind(s)}, f"{kind(s)}-{s}")
        for y in (2, 3, -2, 2.0, 0.5):  # jnp.power: integer_pow for a Python int
            try:
                result = jnp.power(xj, y)
            except (TypeError, OverflowError, ValueError):
                continue
            record("pow", name, x, result, {"s": y, "s_type": kind(y)}, f"{kind(y)}-{y}")
        if name != "bool":
            for lo, hi in ((0, 5), (0.5, 5.0), (0, 4.5)):
                result = jnp.clip(xj, lo, hi)
                record("clip", name, x, result, {"lo": lo, "lo_type": kind(lo), "hi": hi, "hi_type": kind(hi)},
                       f"{kind(lo)}-{lo}-{kind(hi)}-{hi}")
