package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;

/**
 * Evaluates one primitive on CPU buffers. Must not modify its inputs (buffers are immutable and
 * may be shared); returns one new (or shared, unmodified) buffer per output aval.
 */
@FunctionalInterface
public interface CpuKernel {
  CpuBuffer[] apply(Params params, CpuBuffer[] inputs, Aval[] outAvals);
}
