package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Params;

/**
 * One equation that generated code runs through its interpreter kernel (a primitive the
 * generator does not write loops for): wraps host arrays into buffers and back.
 */
final class KernelCall {
  private final CpuKernel kernel;
  private final Params params;
  private final Aval[] inAvals;
  private final Aval[] outAvals;

  KernelCall(Eqn e) {
    this.kernel = CpuKernels.lookup(e.primitive());
    this.params = e.params();
    this.inAvals = e.inputs().stream().map(a -> a.aval()).toArray(Aval[]::new);
    this.outAvals = e.outputs().stream().map(v -> v.aval()).toArray(Aval[]::new);
  }

  /** Called by generated code: the kernel on {@code inputs}' host arrays, results as host arrays. */
  public Object[] call(Object[] inputs) {
    CpuBuffer[] in = new CpuBuffer[inputs.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = new CpuBuffer(inAvals[i], inputs[i]);
    }
    CpuBuffer[] out = kernel.apply(params, in, outAvals);
    Object[] data = new Object[out.length];
    for (int i = 0; i < data.length; i++) {
      data[i] = out[i].data();
    }
    return data;
  }
}
