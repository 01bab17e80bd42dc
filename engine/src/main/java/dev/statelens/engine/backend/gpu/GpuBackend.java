package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Var;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GPU backend shared by {@code rocm} and {@code cuda}: the vendor part is only the
 * {@link GpuDriver}. Arrays live in device memory ({@link GpuBuffer}); transfers happen only in
 * {@link #upload}/{@link #download} (the boundary of a jitted call, or {@code item()}), so pytree
 * state threaded through a jitted step stays on the device across steps. Graphs are lowered by
 * {@link KernelGenerator} and compiled once per source ({@link KernelCache}); an eager primitive
 * is a one-equation graph, cached by primitive, params and operand types.
 */
public final class GpuBackend implements Backend {
  private final GpuDriver driver;
  private final KernelCache cache;
  private final MemoryPool pool;
  private final Map<EagerKey, GpuExecutable> eager = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder launches = new java.util.concurrent.atomic.LongAdder();

  private record EagerKey(Primitive p, Params params, List<Aval> in) {}

  public GpuBackend(GpuDriver driver) {
    this.driver = driver;
    this.cache = new KernelCache(driver);
    this.pool = new MemoryPool(driver);
  }

  public GpuDriver driver() {
    return driver;
  }

  KernelCache cache() {
    return cache;
  }

  /**
   * Kernels launched by this backend so far, BLAS calls included (one each), jitted and eager.
   * Cheap (a {@code LongAdder} bumped once per call): a benchmark reads it before and after its
   * steps to report launches per step.
   */
  public long launches() {
    return launches.sum();
  }

  void countLaunches(int n) {
    launches.add(n);
  }

  @Override
  public String name() {
    return driver.platform();
  }

  /**
   * A new uninitialized buffer (from the {@link MemoryPool}). Arrays the program drops are freed
   * by a Cleaner, which runs only after a garbage collection, and the JVM does not see device
   * memory pressure: so when the device is full, collect, let the Cleaner free what is
   * unreachable, hand the pool's cached blocks back, and try once more.
   */
  GpuBuffer allocate(Aval aval) {
    DeviceMemory m;
    try {
      m = new DeviceMemory(pool, bytes(aval));
    } catch (GpuException full) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool.trim();
      m = new DeviceMemory(pool, bytes(aval));
    }
    return new GpuBuffer(this, aval, m);
  }

  static long bytes(Aval aval) {
    return (long) aval.size() * CTypes.bytes(aval.dtype());
  }

  @Override
  public GpuBuffer upload(Aval aval, Object hostArray) {
    HostArrays.check(aval, hostArray); // c64: the float[] of interleaved pairs, copied as it is
    GpuBuffer b = allocate(aval);
    long n = bytes(aval);
    if (n > 0) {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment seg = a.allocate(n, 8);
        switch (hostArray) {
          case float[] f -> MemorySegment.copy(f, 0, seg, JAVA_FLOAT, 0, f.length);
          case double[] d -> MemorySegment.copy(d, 0, seg, JAVA_DOUBLE, 0, d.length);
          case int[] i -> MemorySegment.copy(i, 0, seg, JAVA_INT, 0, i.length);
          case short[] h -> MemorySegment.copy(h, 0, seg, JAVA_SHORT, 0, h.length); // bf16/f16 bits as they are
          case boolean[] z -> {
            for (int k = 0; k < z.length; k++) {
              seg.set(JAVA_BYTE, k, (byte) (z[k] ? 1 : 0));
            }
          }
          default -> throw new IllegalArgumentException("not host array storage: " + hostArray.getClass());
        }
        driver.copyToDevice(b.pointer(), seg, n);
      }
    }
    return b;
  }

  @Override
  public Object download(Buffer buffer) {
    if (!(buffer instanceof GpuBuffer g)) {
      return Backends.cpu().download(buffer);
    }
    Object cached = g.cachedHost();
    if (cached != null) {
      return cached;
    }
    Aval aval = g.aval();
    Object host = HostArrays.allocate(aval.dtype(), aval.size());
    long n = bytes(aval);
    if (n > 0) {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment seg = a.allocate(n, 8);
        driver.copyToHost(seg, g.pointer(), n);
        switch (host) {
          case float[] f -> MemorySegment.copy(seg, JAVA_FLOAT, 0, f, 0, f.length);
          case double[] d -> MemorySegment.copy(seg, JAVA_DOUBLE, 0, d, 0, d.length);
          case int[] i -> MemorySegment.copy(seg, JAVA_INT, 0, i, 0, i.length);
          case short[] h -> MemorySegment.copy(seg, JAVA_SHORT, 0, h, 0, h.length);
          case boolean[] z -> {
            for (int k = 0; k < z.length; k++) {
              z[k] = seg.get(JAVA_BYTE, k) != 0;
            }
          }
          default -> throw new AssertionError();
        }
      }
    }
    g.cacheHost(host);
    return host;
  }

  /** {@code b} as a buffer of this backend (arrays made before the backend was chosen are copied over). */
  GpuBuffer onDevice(Buffer b) {
    if (b instanceof GpuBuffer g && g.backend() == this) {
      return g;
    }
    Object host = b instanceof GpuBuffer g ? g.backend().download(g) : Backends.cpu().download(b);
    return upload(b.aval(), host);
  }

  @Override
  public List<Buffer> execute(Primitive p, Params params, List<Buffer> inputs, List<Aval> outAvals) {
    List<Aval> in = inputs.stream().map(Buffer::aval).toList();
    GpuExecutable exe = eager.computeIfAbsent(new EagerKey(p, params, in), k -> {
      List<Var> invars = in.stream().map(Var::new).toList();
      List<Var> outvars = outAvals.stream().map(Var::new).toList();
      Jaxpr j = new Jaxpr(List.of(), invars, List.of(new Eqn(p, params, new ArrayList<>(invars), outvars)), outvars);
      return new GpuExecutable(this, j);
    });
    return exe.execute(inputs);
  }

  @Override
  public Executable compile(Jaxpr jaxpr) {
    return new GpuExecutable(this, jaxpr);
  }

  @Override
  public String toString() {
    return driver.platform() + " (" + driver.deviceName() + ", " + driver.arch() + ", " + driver.compilerVersion()
        + ", matmul: " + driver.matmul() + ", fft: " + driver.fftPath() + ")";
  }
}
