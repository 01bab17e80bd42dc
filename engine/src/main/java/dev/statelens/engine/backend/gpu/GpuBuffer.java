package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.ir.Aval;

/**
 * An array in device memory. Immutable; its memory is freed by {@link #close} (explicit lifetime,
 * used by executables for intermediates) or, for arrays the program simply drops, by a Cleaner
 * once unreachable. A downloaded host copy is kept, since the contents never change.
 */
public final class GpuBuffer implements Buffer, AutoCloseable {
  private final GpuBackend backend;
  private final Aval aval;
  final DeviceMemory memory;
  private volatile Object host;
  private boolean closed;

  GpuBuffer(GpuBackend backend, Aval aval, DeviceMemory memory) {
    this.backend = backend;
    this.aval = aval;
    this.memory = memory;
  }

  @Override
  public Aval aval() {
    return aval;
  }

  public GpuBackend backend() {
    return backend;
  }

  /** The device address. */
  public long pointer() {
    return memory.ptr;
  }

  /** A buffer of another shape over the same memory (reshape, squeeze). */
  GpuBuffer view(Aval newAval) {
    return new GpuBuffer(backend, newAval, memory.retain());
  }

  Object cachedHost() {
    return host;
  }

  void cacheHost(Object h) {
    host = h;
  }

  /** Releases this buffer's hold on the device memory (idempotent). */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      memory.release();
    }
  }

  @Override
  public String toString() {
    return "GpuBuffer(" + aval + " on " + backend.name() + ")";
  }
}
