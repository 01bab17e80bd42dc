package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What CUDA's driver API and HIP's module API share one for one: status codes with a name and a
 * text, a device made current once per thread, and module loading, function lookup and kernel
 * launch with the same C signatures (HIP copied CUDA's). A vendor driver states only its symbol
 * names, how to describe a status, how to make its device current, and what differs (memory,
 * the runtime compiler). Both have an optional vendor BLAS and FFT, each looked up on first use
 * ({@link LazyLookup}); a driver says only how to look them up.
 */
public abstract class NativeDriver implements GpuDriver {
  private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
  private final String loadSymbol;
  private final String functionSymbol;
  private final String launchSymbol;
  private final MethodHandle moduleLoadData;
  private final MethodHandle moduleGetFunction;
  private final MethodHandle launchKernel;
  private final LazyLookup<BlasChoice> blas;
  private final LazyLookup<DeviceFft.Choice> fft;

  /**
   * @param loadSymbol {@code cuModuleLoadData}-like: (module*, image) -> status
   * @param functionSymbol {@code cuModuleGetFunction}-like: (function*, module, name) -> status
   * @param launchSymbol {@code cuLaunchKernel}-like: (function, grid xyz, block xyz, shared bytes,
   *     stream, params, extra) -> status
   * @param blas looks up the vendor BLAS (on the first matmul or description)
   * @param fft looks up the vendor FFT (on the first {@code fft} step or description)
   */
  protected NativeDriver(Native lib, String loadSymbol, String functionSymbol, String launchSymbol,
      Supplier<BlasChoice> blas, Supplier<DeviceFft.Choice> fft) {
    this.blas = new LazyLookup<>(blas);
    this.fft = new LazyLookup<>(fft);
    this.loadSymbol = loadSymbol;
    this.functionSymbol = functionSymbol;
    this.launchSymbol = launchSymbol;
    moduleLoadData = lib.fn(loadSymbol, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    moduleGetFunction = lib.fn(functionSymbol, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    launchKernel = lib.fn(launchSymbol, FunctionDescriptor.of(JAVA_INT, ADDRESS,
        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
  }

  @Override
  public final Optional<Blas> blas() {
    return blas.get().get();
  }

  @Override
  public final String matmul() {
    return blas.get().describe();
  }

  @Override
  public final Optional<DeviceFft> fft() {
    return fft.get().get();
  }

  @Override
  public final String fftPath() {
    return fft.get().describe();
  }

  /** A status as the runtime names it, e.g. "CUDA_ERROR_OUT_OF_MEMORY (2): out of memory". */
  protected abstract String describe(int status);

  /** Makes the device current on the calling thread (checked with {@link #check}). */
  protected abstract void bindThread() throws Throwable;

  /** Throws GpuException "api failed: description" unless {@code status} is success (0). */
  protected final void check(String api, int status) {
    if (status != 0) {
      throw new GpuException(api + " failed: " + describe(status));
    }
  }

  /** Makes the device current on this thread, once per thread. */
  protected final void makeCurrent() throws Throwable {
    if (!current.get()) {
      bindThread();
      current.set(true);
    }
  }

  /** One checked call with the device current; {@code api} names it in any error. */
  protected final void call(String api, NativeCall.Status c) {
    NativeCall.run(api, () -> {
      makeCurrent();
      check(api, c.call());
    });
  }

  @Override
  public final long loadModule(byte[] image) {
    return NativeCall.inArena(loadSymbol, a -> {
      makeCurrent();
      MemorySegment module = a.allocate(ADDRESS);
      // one spare zero byte: a text image (PTX) must be zero-terminated
      MemorySegment data = a.allocate(image.length + 1L);
      data.copyFrom(MemorySegment.ofArray(image));
      check(loadSymbol, (int) moduleLoadData.invokeExact(module, data));
      return module.get(ADDRESS, 0).address();
    });
  }

  @Override
  public final long function(long module, String name) {
    return NativeCall.inArena(functionSymbol, a -> {
      makeCurrent();
      MemorySegment fn = a.allocate(ADDRESS);
      check(functionSymbol + "(" + name + ")",
          (int) moduleGetFunction.invokeExact(fn, MemorySegment.ofAddress(module), a.allocateFrom(name)));
      return fn.get(ADDRESS, 0).address();
    });
  }

  @Override
  public final void launch(long function, int[] grid, int[] block, int sharedBytes, long[] pointerArgs) {
    NativeCall.inArena(launchSymbol, a -> {
      makeCurrent();
      MemorySegment params = GpuArgs.pack(a, pointerArgs);
      check(launchSymbol, (int) launchKernel.invokeExact(MemorySegment.ofAddress(function),
          grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes, MemorySegment.NULL, params,
          MemorySegment.NULL));
      return null;
    });
  }
}
