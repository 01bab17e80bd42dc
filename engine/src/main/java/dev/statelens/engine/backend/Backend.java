package dev.statelens.engine.backend;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.List;

/**
 * Where arrays live and primitives run. Host arrays are {@code float[]} (F32), {@code double[]}
 * (F64), {@code int[]} (I32, and U32 as raw bits) and {@code boolean[]} (BOOL), row-major.
 */
public interface Backend {
  String name();

  /** Copies a host array into a new buffer of {@code aval}. */
  Buffer upload(Aval aval, Object hostArray);

  /**
   * The buffer's contents as a host array. Callers must not modify the result (a backend may
   * return its own storage).
   */
  Object download(Buffer buffer);

  /** Evaluates one primitive eagerly. */
  List<Buffer> execute(Primitive p, Params params, List<Buffer> inputs, List<Aval> outAvals);

  /** Compiles a whole graph (constvars then invars as inputs). */
  Executable compile(Jaxpr jaxpr);
}
