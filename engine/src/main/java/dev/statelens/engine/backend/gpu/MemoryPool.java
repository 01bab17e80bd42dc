package dev.statelens.engine.backend.gpu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Device allocations reused by size class, as XLA's and PyTorch's caching allocators do: a
 * jitted step allocates the same intermediates every call, and {@code cuMemAlloc}/{@code cuMemFree}
 * (which synchronizes) per buffer would cost more than the kernels of a small step. Sizes round up
 * to powers of two from 256 bytes (at most 2x waste); released blocks are kept up to
 * {@code -Dstatelens.gpu.poolBytes} (default 1 GiB) and handed back to the driver beyond that,
 * or all at once by {@link #trim} when an allocation fails. All work runs on the default stream,
 * so a block freed after its last launch can be reused by later launches in stream order.
 */
final class MemoryPool {
  private static final long MIN_BLOCK = 256;

  private final GpuDriver driver;
  private final long limit;
  private final Map<Long, ConcurrentLinkedDeque<Long>> free = new ConcurrentHashMap<>();
  private final AtomicLong cached = new AtomicLong();

  MemoryPool(GpuDriver driver) {
    this.driver = driver;
    this.limit = Long.getLong("statelens.gpu.poolBytes", 1L << 30);
  }

  static long sizeClass(long bytes) {
    long b = Math.max(MIN_BLOCK, bytes);
    return Long.bitCount(b) == 1 ? b : Long.highestOneBit(b) << 1;
  }

  /** A block of at least {@code bytes}; its size class must be passed back to {@link #release}. */
  long allocate(long sizeClass) {
    ConcurrentLinkedDeque<Long> list = free.get(sizeClass);
    Long p = list == null ? null : list.pollFirst();
    if (p != null) {
      cached.addAndGet(-sizeClass);
      return p;
    }
    return driver.malloc(sizeClass);
  }

  void release(long ptr, long sizeClass) {
    if (cached.addAndGet(sizeClass) > limit) {
      cached.addAndGet(-sizeClass);
      driver.free(ptr);
      return;
    }
    free.computeIfAbsent(sizeClass, k -> new ConcurrentLinkedDeque<>()).addFirst(ptr);
  }

  /** Returns every cached block to the driver (before retrying a failed allocation). */
  void trim() {
    for (ConcurrentLinkedDeque<Long> list : free.values()) {
      for (Long p = list.pollFirst(); p != null; p = list.pollFirst()) {
        driver.free(p);
      }
    }
    cached.set(0);
  }
}
