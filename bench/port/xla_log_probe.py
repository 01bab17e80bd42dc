"""Probe: which f32 log does XLA's CPU backend use? (docs/porting.md, "Last-bit differences in normal")

jax.random.normal's erf_inv takes log1p(-u*u), whose large branch is log(1 + x). StateLens uses a
correctly rounded f32 log there; XLA CPU's jitted log is not correctly rounded (about 15 % of
floats in [0.05, 1) differ by 1 ulp), which is why a few normal() floats differ by 2 ulp. This
script compares jitted jnp.log with candidate f32 algorithms emulated in numpy (FMA as an exact
f64 product plus one rounding); a candidate that prints 0.0 is XLA's. None does yet.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/xla_log_probe.py
"""
import jax
import jax.numpy as jnp
import numpy as np

f32=np.float32
def fma(a,b,c): return (a.astype(np.float64)*b.astype(np.float64)+c.astype(np.float64)).astype(f32)
def frexp(x):
    m,e=np.frexp(x); return m.astype(f32), e.astype(f32)
def old(x, usefma=True):
    m,e=frexp(x)
    mask=m<f32(0.707106781186547524)
    tmp=np.where(mask,m,f32(0))
    m=m-f32(1); e=e-np.where(mask,f32(1),f32(0)); m=(m+tmp).astype(f32)
    p=[7.0376836292E-2,-1.1514610310E-1,1.1676998740E-1,-1.2420140846E-1,1.4249322787E-1,-1.6668057665E-1,2.0000714765E-1,-2.4999993993E-1,3.3333331174E-1]
    p=[f32(v) for v in p]
    F=fma if usefma else (lambda a,b,c:(a*b+c).astype(f32))
    x2=(m*m).astype(f32); x3=(x2*m).astype(f32)
    y=F(np.full_like(m,p[0]),m,p[1]); y1=F(np.full_like(m,p[3]),m,p[4]); y2=F(np.full_like(m,p[6]),m,p[7])
    y=F(y,m,p[2]); y1=F(y1,m,p[5]); y2=F(y2,m,p[8])
    y=F(y,x3,y1); y=F(y,x3,y2); y=(y*x3).astype(f32)
    y=F(e,np.full_like(m,f32(-2.12194440e-4)),y)
    y=F(x2,np.full_like(m,f32(-0.5)),y)
    r=(m+y).astype(f32)
    r=F(e,np.full_like(m,f32(0.693359375)),r)
    return r
def new(x):
    m,e=frexp(x)
    mask=m<f32(0.707106781186547524)
    tmp=np.where(mask,m,f32(0))
    m=m-f32(1); e=e-np.where(mask,f32(1),f32(0)); m=(m+tmp).astype(f32)
    a=[f32(0.18256296349849254),f32(1.0000000190281063),f32(1.0000000190281136)]
    b=[f32(0.049616247954120038),f32(0.59923249590823520),f32(1.4999999999999927),f32(1.0)]
    p=fma(np.full_like(m,a[0]),m,a[1]); p=fma(p,m,a[2]); p=(p*m).astype(f32)
    q=fma(np.full_like(m,b[0]),m,b[1]); q=fma(q,m,b[2]); q=fma(q,m,b[3])
    r=(p/q).astype(f32)
    return fma(e,np.full_like(m,f32(np.log(2))),r)
xs=np.random.default_rng(0).uniform(0.05,1.0,300000).astype(f32)
l=np.asarray(jax.jit(jnp.log)(xs))
for name,fn in [("old fma",lambda x:old(x)),("old nofma",lambda x:old(x,False)),("new",new)]:
    c=fn(xs); print(name, (c!=l).mean())
print("crlog", (np.log(xs.astype(np.float64)).astype(f32)!=l).mean())

