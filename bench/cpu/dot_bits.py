"""Which summation order XLA's CPU dot uses for small f32 products (session 15, perf3): real JAX
against numpy emulations of one FMA chain per element, the same without FMA, and the blocked Vector
kernel's per-256 chains. Printed fractions are the elements equal to JAX's bit for bit.

    /tmp/o2venv/bin/python bench/cpu/dot_bits.py
"""
import os
os.environ["JAX_PLATFORMS"]="cpu"
os.environ["XLA_FLAGS"]="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
import numpy as np, jax, jax.numpy as jnp
rng=np.random.default_rng(0)
def seq(a,b,fma):
    m,k=a.shape; n=b.shape[1]
    c=np.zeros((m,n),np.float32)
    for p in range(k):
        prod=a[:,p:p+1].astype(np.float64)*b[p:p+1,:].astype(np.float64)
        if fma: c=(prod+c.astype(np.float64)).astype(np.float32)
        else: c=(prod.astype(np.float32)+c).astype(np.float32)
    return c
def blocked(a,b,kc=256):
    m,k=a.shape; n=b.shape[1]; c=np.zeros((m,n),np.float32)
    for pc in range(0,k,kc):
        c=(c+seq(a[:,pc:pc+kc],b[pc:pc+kc],True)).astype(np.float32)
    return c
for (m,k,n) in [(800,16,3),(800,8,16),(8,800,16),(16,800,3),(200,16,3),(800,3,16)]:
    a=rng.standard_normal((m,k)).astype(np.float32); b=rng.standard_normal((k,n)).astype(np.float32)
    j=np.asarray(jax.jit(jnp.matmul)(a,b))
    print((m,k,n),"fma-seq",np.mean(j==seq(a,b,True)),"nofma-seq",np.mean(j==seq(a,b,False)),"blocked",np.mean(j==blocked(a,b)))
