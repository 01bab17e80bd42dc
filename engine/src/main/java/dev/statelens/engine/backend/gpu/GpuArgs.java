package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Kernel arguments as both launch APIs take them: an array of pointers to each argument's value. */
public final class GpuArgs {
  private GpuArgs() {}

  /** {@code void** params} for device-pointer arguments, allocated in {@code arena}. */
  public static MemorySegment pack(Arena arena, long[] pointerArgs) {
    int n = pointerArgs.length;
    MemorySegment values = arena.allocate(JAVA_LONG, Math.max(1, n));
    MemorySegment pointers = arena.allocate(ADDRESS, Math.max(1, n));
    for (int i = 0; i < n; i++) {
      values.setAtIndex(JAVA_LONG, i, pointerArgs[i]);
      pointers.setAtIndex(ADDRESS, i, values.asSlice(i * 8L, 8));
    }
    return pointers;
  }
}
