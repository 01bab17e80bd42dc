package dev.statelens.engine.backend.gpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * lax's {@code fft} on the device through the vendor FFT, cuFFT ({@code cufft*}) or hipFFT
 * ({@code hipfft*}: the same API, prefix and handle type aside), bound with
 * {@code java.lang.foreign}. One {@code PlanMany} per (type, lengths, batch), kept for the
 * process (a plan holds its device work area; a training loop reuses the shapes). The arrays are
 * the row-major layout those libraries assume when no embedding is given: the transform runs over
 * the trailing {@code fft_lengths} axes, one transform per leading index, RFFT's last axis
 * {@code n/2+1}. The libraries do not normalize an inverse: {@link GpuProgram.FftPlan#normalize}
 * is a generated kernel scaling by {@code 1/prod(lengths)}, as XLA's IFFT/IRFFT. Without the
 * library the step is a host step (the CPU's FFT).
 */
public final class DeviceFft {
  /** {@code cufftType} / {@code hipfftType} (same values). */
  static final int R2C = 0x2a;
  static final int C2R = 0x2c;
  static final int C2C = 0x29;
  static final int FORWARD = -1;
  static final int INVERSE = 1;

  private final String prefix;
  private final boolean pointerHandle;
  private final MethodHandle planMany;
  private final MethodHandle execC2C;
  private final MethodHandle execR2C;
  private final MethodHandle execC2R;
  private final String name;
  private final Map<String, Object> plans = new HashMap<>();

  /** The vendor FFT a driver found, or why its {@code fft} steps run on the host (for the backend's description). */
  public record Choice(DeviceFft fft, String whyNot) {
    public Optional<DeviceFft> get() {
      return Optional.ofNullable(fft);
    }

    /** e.g. {@code cuFFT (libcufft.so.12)} or {@code host step (libcufft.so not found ...)}. */
    public String describe() {
      return fft != null ? fft.name() : "host step (" + whyNot + ")";
    }
  }

  /**
   * The first of {@code names} that loads and exports {@code <prefix>PlanMany}; empty when none
   * does or the FFT path is off ({@code -Dstatelens.gpu.fft=false}). {@code pointerHandle}: hipFFT's
   * plan is a pointer, cuFFT's an int.
   */
  public static Optional<DeviceFft> open(String backend, String prefix, boolean pointerHandle, List<String> names) {
    return choose(backend, prefix, pointerHandle, names, "not found").get();
  }

  /**
   * {@link #open}, saying why not when there is none: the FFT path off, each library that loaded but
   * lacks a function, or, when none loaded, {@code notFound}.
   */
  public static Choice choose(String backend, String prefix, boolean pointerHandle, List<String> names, String notFound) {
    if ("false".equalsIgnoreCase(System.getProperty("statelens.gpu.fft", "true").trim())) {
      return new Choice(null, "vendor FFT disabled by -Dstatelens.gpu.fft=false");
    }
    List<String> unusable = new java.util.ArrayList<>();
    for (String lib : names) {
      Optional<Native> n = Native.tryOpen(backend, lib);
      if (n.isEmpty()) {
        continue;
      }
      // every function the constructor binds, checked here so the reason is whole (the names missing),
      // not cut out of Native.fn's exception message
      List<String> missing = FUNCTIONS.stream().map(f -> prefix + f).filter(f -> !n.get().has(f)).toList();
      if (!missing.isEmpty()) {
        unusable.add(lib + " has no " + String.join(", ", missing));
        continue;
      }
      return new Choice(new DeviceFft(n.get(), prefix, pointerHandle), null);
    }
    return new Choice(null, unusable.isEmpty() ? notFound : String.join("; ", unusable));
  }

  /** The functions of cuFFT/hipFFT this class calls, after the {@code cufft}/{@code hipfft} prefix. */
  private static final List<String> FUNCTIONS = List.of("PlanMany", "ExecC2C", "ExecR2C", "ExecC2R");

  private DeviceFft(Native lib, String prefix, boolean pointerHandle) {
    this.prefix = prefix;
    this.pointerHandle = pointerHandle;
    MemoryLayout handle = pointerHandle ? ADDRESS : JAVA_INT;
    planMany = lib.fn(prefix + "PlanMany", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
        JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    execC2C = lib.fn(prefix + "ExecC2C", FunctionDescriptor.of(JAVA_INT, handle, JAVA_LONG, JAVA_LONG, JAVA_INT));
    execR2C = lib.fn(prefix + "ExecR2C", FunctionDescriptor.of(JAVA_INT, handle, JAVA_LONG, JAVA_LONG));
    execC2R = lib.fn(prefix + "ExecC2R", FunctionDescriptor.of(JAVA_INT, handle, JAVA_LONG, JAVA_LONG));
    name = (prefix.equals("cufft") ? "cuFFT" : "hipFFT") + " (" + lib.name() + ")";
  }

  public String name() {
    return name;
  }

  /** The transform of {@code p} from device buffer {@code in} to {@code out}; an IRFFT may overwrite {@code in}. */
  public synchronized void execute(GpuProgram.FftPlan p, long in, long out) {
    Object plan = plan(p);
    String call = switch (p.type()) {
      case RFFT -> prefix + "ExecR2C";
      case IRFFT -> prefix + "ExecC2R";
      case FFT, IFFT -> prefix + "ExecC2C";
    };
    NativeCall.run(call, () -> {
      int status = switch (p.type()) {
        case RFFT -> (int) execR2C.invoke(plan, in, out);
        case IRFFT -> (int) execC2R.invoke(plan, in, out);
        case FFT, IFFT -> (int) execC2C.invoke(plan, in, out, p.type() == GpuProgram.FftType.FFT ? FORWARD : INVERSE);
      };
      if (status != 0) {
        throw new GpuException(call + " failed: status " + status + " for " + p);
      }
    });
  }

  private Object plan(GpuProgram.FftPlan p) {
    return plans.computeIfAbsent(p.key(), k -> NativeCall.inArena(prefix + "PlanMany", a -> {
      MemorySegment out = pointerHandle ? a.allocate(ADDRESS) : a.allocate(JAVA_INT);
      MemorySegment n = a.allocateFrom(JAVA_INT, p.lengths());
      int type = switch (p.type()) {
        case RFFT -> R2C;
        case IRFFT -> C2R;
        case FFT, IFFT -> C2C;
      };
      int status = (int) planMany.invoke(out, p.lengths().length, n, MemorySegment.NULL, 1, 0, MemorySegment.NULL, 1, 0,
          type, p.batch());
      if (status != 0) {
        throw new GpuException(prefix + "PlanMany failed: status " + status + " for " + p);
      }
      return pointerHandle ? (Object) out.get(ADDRESS, 0) : (Object) out.get(JAVA_INT, 0);
    }));
  }

  /** Plans made so far (each shape once). */
  public synchronized int plans() {
    return plans.size();
  }
}
