package dev.statelens.engine.backend.gpu;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device allocation shared by the buffers that view it (a reshape aliases its operand).
 * Reference-counted: the last {@link #release} returns it to the {@link MemoryPool} at once; a
 * {@link Cleaner} does if every holder became unreachable without releasing (arrays dropped by
 * user code).
 */
final class DeviceMemory {
  private static final Cleaner CLEANER = Cleaner.create();

  final long ptr;
  final long bytes;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final Cleaner.Cleanable cleanable;

  DeviceMemory(MemoryPool pool, long bytes) {
    this.bytes = bytes;
    long sizeClass = MemoryPool.sizeClass(bytes);
    this.ptr = pool.allocate(sizeClass);
    long p = ptr;
    // the action must not reference this object, or it would never become unreachable
    this.cleanable = CLEANER.register(this, () -> pool.release(p, sizeClass));
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
