package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import java.util.List;

/**
 * A jaxpr lowered for a GPU: one translation unit of HIP/CUDA C++ ({@link #source}) holding every
 * kernel of the graph and of its sub-graphs, and a host-side schedule ({@link Graph}) that says
 * which kernel runs on which buffers. Produced by {@link KernelGenerator}; executed by
 * {@link GpuExecutable} through a {@link GpuDriver}. Pure data: no device is needed to build or
 * inspect it, which is what lets CI compile-check the kernels without a GPU.
 */
public record GpuProgram(String source, String sourceHash, List<Kernel> kernels, Graph main) {

  /** A generated kernel: its entry-point name and what it was generated for (for messages). */
  public record Kernel(String name, String origin) {}

  /**
   * A schedule over numbered buffer slots. Slots {@code inputs} are filled by the caller
   * (constvars then invars, as {@link dev.statelens.engine.backend.Executable#execute} passes
   * them); every other slot is written by exactly one step (or aliases another slot).
   */
  public record Graph(List<Aval> slots, int[] inputs, int[] outputs, List<Step> steps, Jaxpr jaxpr) {}

  /** One step of a schedule. */
  public sealed interface Step permits Launch, Alias, Fill, Cond, Scan, While, Host {}

  /**
   * Launches {@code kernel} with the device pointers of {@code args} (slot ids, in the kernel's
   * parameter order; outputs are allocated by the runtime before the launch). {@code gemm} is set
   * when the step is a plain F32 or complex64 matrix product that a vendor BLAS may compute instead.
   */
  public record Launch(String kernel, int[] grid, int[] block, int sharedBytes, int[] args, int[] outputs, Gemm gemm)
      implements Step {
    public Launch(String kernel, int[] grid, int[] block, int sharedBytes, int[] args, int[] outputs) {
      this(kernel, grid, block, sharedBytes, args, outputs, null);
    }
  }

  /**
   * Row-major {@code C[m,n] = op(A) op(B)} over args (A, B, C): A is stored {@code [m,k]}, or
   * {@code [k,m]} when {@code transA}; B is {@code [k,n]}, or {@code [n,k]} when {@code transB}.
   * F32, or complex64 when {@code complex} (interleaved pairs; op transposes, never conjugates).
   */
  public record Gemm(int m, int n, int k, boolean transA, boolean transB, boolean complex) {
    public Gemm(int m, int n, int k, boolean transA, boolean transB) {
      this(m, n, k, transA, transB, false);
    }
  }

  /** {@code dst} is the same memory as {@code src} (reshape, squeeze, stop_gradient): no copy. */
  public record Alias(int dst, int src) implements Step {}

  /** {@code slot} holds a scalar constant (a literal returned as a graph output). */
  public record Fill(int slot, Literal value) implements Step {}

  /** {@code outputs = branches[index](operands)}; the index is read back to the host (one scalar). */
  public record Cond(int index, int[] operands, List<Graph> branches, int[] outputs) implements Step {}

  /**
   * JAX's scan: the body runs {@code length} times on the device; xs slices and ys stacking are
   * device-to-device copies at offsets.
   */
  public record Scan(Graph body, int length, int numConsts, int numCarry, boolean reverse,
      int[] operands, int[] outputs) implements Step {}

  /**
   * JAX's while, driven from the host: each step runs {@code cond} on the device and reads its
   * bool[] back (one byte per iteration), then runs {@code body}; operands are cond consts, body
   * consts, then the carry.
   */
  public record While(Graph cond, Graph body, int condConsts, int bodyConsts, int[] operands, int[] outputs)
      implements Step {}

  /**
   * An equation with no GPU kernel (a user primitive, {@code debug_print}): its operands are copied
   * to the host, the CPU backend runs it, results go back. With {@code fft} set, the vendor FFT
   * computes it on the device instead where its library loads. Named in {@link KernelGenerator}'s
   * report so a slow graph can be explained.
   */
  /** lax's {@code FftType}, in the order of its {@code fft_type} codes 0 to 3. */
  public enum FftType {
    FFT, IFFT, RFFT, IRFFT;

    /** The type of an {@code fft} equation's {@code fft_type} parameter. */
    public static FftType of(int laxCode) {
      return values()[laxCode];
    }

    /** IFFT and IRFFT: the vendor libraries leave them unnormalized, XLA scales by 1/n. */
    public boolean inverse() {
      return this == IFFT || this == IRFFT;
    }
  }

  public record Host(Eqn eqn, int[] operands, int[] outputs, FftPlan fft) implements Step {
    public Host(Eqn eqn, int[] operands, int[] outputs) {
      this(eqn, operands, outputs, null);
    }
  }

  /**
   * An {@code fft} step that the vendor FFT ({@link DeviceFft}) computes on the device where it
   * loads: {@code type} lax's, {@code lengths} the trailing axes, {@code batch} the product of the
   * leading ones; {@code normalize} (IFFT, IRFFT) the generated kernel scaling the output's
   * {@code floats} by 1/prod(lengths), launched on {@code grid}.
   */
  public record FftPlan(FftType type, int[] lengths, int batch, String normalize, int[] grid, long floats) {
    /** The plan cache key: type, lengths and batch. */
    public String key() {
      return type + ":" + java.util.Arrays.toString(lengths) + "x" + batch;
    }

    @Override
    public String toString() {
      return "fft[type=" + type + ", lengths=" + java.util.Arrays.toString(lengths) + ", batch=" + batch + "]";
    }
  }
}
