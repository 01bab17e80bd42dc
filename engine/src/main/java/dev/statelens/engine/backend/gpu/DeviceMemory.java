package dev.statelens.engine.backend.gpu;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device allocation shared by the buffers that view it (a reshape aliases its operand).
 * Reference-counted: the last {@link #release} frees it at once; a {@link Cleaner} frees it if
 * every holder became unreachable without releasing (arrays dropped by user code).
 */
final class DeviceMemory {
  private static final Cleaner CLEANER = Cleaner.create();

  final long ptr;
  final long bytes;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final Cleaner.Cleanable cleanable;

  DeviceMemory(GpuDriver driver, long bytes) {
    this.bytes = bytes;
    this.ptr = driver.malloc(bytes);
    long p = ptr;
    // the action must not reference this object, or it would never become unreachable
    this.cleanable = CLEANER.register(this, () -> driver.free(p));
  }

  DeviceMemory retain() {
    if (refs.getAndIncrement() <= 0) {
      throw new IllegalStateException("device memory used after it was freed");
    }
    return this;
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      cleanable.clean();
    }
  }
}
