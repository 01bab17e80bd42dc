package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * Complex pow on the CPU backend: each c64 element is XLA's formula with four C library calls
 * ({@code atan2f}, {@code powf}, {@code cosf}, {@code sinf} through FFM, {@code backend/cpu/Libm})
 * and XLA's own exp and log. {@code complexPow} times {@code jit(x ** y)} over 100,000 elements on
 * one thread; {@code fourDowncalls} times the same four C functions alone over the same number of
 * (real) arguments, called as Libm calls them (a critical downcall handle, one call per element),
 * and {@code fourJavaStandIns} Java's double functions rounded once (what Libm falls back to
 * without glibc), and {@code fourTrivialDowncalls} four calls of {@code fabsf} (the downcalls' own
 * cost), so the share of the downcalls in complex pow shows. Per operation = 100,000 elements.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Dstatelens.cpu.threads=1"})
public class ComplexPowBench extends EngineBench {

  private static final int N = 100_000;
  private Array x;
  private Array y;
  private BiFunction<Array, Array, Array> pow;
  private float[] a;
  private float[] b;
  private float[] out;
  private MethodHandle powf;
  private MethodHandle atan2f;
  private MethodHandle sinf;
  private MethodHandle cosf;
  private MethodHandle fabsf;

  @Setup
  public void setup() {
    Array re = Random.normal(Random.key(1), new int[] {N});
    Array im = Random.normal(Random.key(2), new int[] {N});
    x = Array.complex(re, im);
    y = Array.complex(Random.normal(Random.key(3), new int[] {N}), Random.normal(Random.key(4), new int[] {N}).mul(0.5));
    pow = Transforms.jit((Array p, Array q) -> p.pow(q));
    pow.apply(x, y); // trace + compile outside the measurement
    a = Random.uniform(Random.key(5), new int[] {N}, DType.F32, 0.01, 10).toFloatArray();
    b = Random.uniform(Random.key(6), new int[] {N}, DType.F32, -3, 3).toFloatArray();
    out = new float[N];
    SymbolLookup libm = SymbolLookup.libraryLookup("libm.so.6", Arena.global());
    FunctionDescriptor binary = FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT);
    FunctionDescriptor unary = FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT);
    Linker linker = Linker.nativeLinker();
    powf = linker.downcallHandle(libm.find("powf").orElseThrow(), binary, Linker.Option.critical(false));
    atan2f = linker.downcallHandle(libm.find("atan2f").orElseThrow(), binary, Linker.Option.critical(false));
    sinf = linker.downcallHandle(libm.find("sinf").orElseThrow(), unary, Linker.Option.critical(false));
    cosf = linker.downcallHandle(libm.find("cosf").orElseThrow(), unary, Linker.Option.critical(false));
    fabsf = linker.downcallHandle(libm.find("fabsf").orElseThrow(), unary, Linker.Option.critical(false));
  }

  @Benchmark
  public Object complexPow() {
    return pow.apply(x, y);
  }

  @Benchmark
  public float[] fourDowncalls() throws Throwable {
    for (int i = 0; i < N; i++) {
      float p = (float) powf.invokeExact(a[i], b[i]);
      float t = (float) atan2f.invokeExact(b[i], a[i]);
      float s = (float) sinf.invokeExact(b[i]);
      float c = (float) cosf.invokeExact(b[i]);
      out[i] = p + t + s + c;
    }
    return out;
  }

  /** Four calls of a C function that does next to nothing: the downcalls' own cost. */
  @Benchmark
  public float[] fourTrivialDowncalls() throws Throwable {
    for (int i = 0; i < N; i++) {
      float p = (float) fabsf.invokeExact(a[i]);
      float t = (float) fabsf.invokeExact(b[i]);
      float s = (float) fabsf.invokeExact(p);
      float c = (float) fabsf.invokeExact(t);
      out[i] = p + t + s + c;
    }
    return out;
  }

  @Benchmark
  public float[] fourJavaStandIns() {
    for (int i = 0; i < N; i++) {
      float p = (float) StrictMath.pow(a[i], b[i]);
      float t = (float) StrictMath.atan2(b[i], a[i]);
      float s = (float) StrictMath.sin(b[i]);
      float c = (float) StrictMath.cos(b[i]);
      out[i] = p + t + s + c;
    }
    return out;
  }
}
