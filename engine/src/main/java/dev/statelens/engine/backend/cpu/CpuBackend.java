package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** The default backend: pure Java, data in host arrays. */
public final class CpuBackend implements Backend {
  public static final CpuBackend INSTANCE = new CpuBackend();

  /** Compiled sub-graphs of cond/scan, by jaxpr identity. */
  private final Map<Jaxpr, CpuExecutable> subGraphs = new WeakHashMap<>();

  private CpuBackend() {}

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public Buffer upload(Aval aval, Object hostArray) {
    HostArrays.check(aval, hostArray);
    return new CpuBuffer(aval, HostArrays.copy(hostArray));
  }

  /** Wraps a host array without copying; the caller must never modify it afterwards. */
  public CpuBuffer wrap(Aval aval, Object hostArray) {
    return new CpuBuffer(aval, hostArray);
  }

  @Override
  public Object download(Buffer buffer) {
    return asCpu(buffer).data();
  }

  @Override
  public List<Buffer> execute(Primitive p, Params params, List<Buffer> inputs, List<Aval> outAvals) {
    CpuBuffer[] in = new CpuBuffer[inputs.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = asCpu(inputs.get(i));
    }
    CpuBuffer[] out = CpuKernels.lookup(p).apply(params, in, outAvals.toArray(Aval[]::new));
    return Arrays.asList(out);
  }

  @Override
  public Executable compile(Jaxpr jaxpr) {
    return new CpuExecutable(jaxpr);
  }

  /** The compiled form of a sub-graph, compiled once per jaxpr instance. */
  CpuExecutable compileCached(Jaxpr jaxpr) {
    synchronized (subGraphs) {
      CpuExecutable e = subGraphs.get(jaxpr);
      if (e == null) {
        e = new CpuExecutable(jaxpr);
        subGraphs.put(jaxpr, e);
      }
      return e;
    }
  }

  static CpuBuffer asCpu(Buffer b) {
    if (b instanceof CpuBuffer c) {
      return c;
    }
    throw new IllegalArgumentException("the cpu backend got a buffer of another backend: " + b.getClass().getName());
  }
}
