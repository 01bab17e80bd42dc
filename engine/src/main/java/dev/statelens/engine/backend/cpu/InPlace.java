package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Primitive;
import java.util.List;

/**
 * Buffer donation on the CPU backend: which update steps ({@code dynamic_update_slice}, the
 * scatters) of a compiled graph may write into their operand's array instead of copying it.
 *
 * <p>The operand (input 0 of the step) is updated in place only when all of these hold:
 * <ul>
 *   <li>this step is its <em>last use</em>: no later step reads it and it is not a graph output
 *       (a returned operand, or one stacked into a scan's ys, must keep its old values);
 *   <li>the step reads it once (not also as the update);
 *   <li>every earlier step that reads it makes a fresh array (fused elementwise groups and
 *       reductions, {@code dynamic_slice}, the updates themselves): a {@code reshape} or other
 *       view-like kernel may share the array, and writing into it would change that value too;
 *   <li>it is either an intermediate made by a step that always allocates (an update, a fused
 *       group) — then this graph owns it — or a graph input that the <em>caller donates</em> at
 *       run time ({@link CpuExecutable#runDonating}). Only loop kernels donate, and only the carry
 *       arrays they made themselves ({@link ControlFlow}): a jit argument, a constant, a literal
 *       is never written.
 * </ul>
 * Switched off with {@code -Dstatelens.cpu.donate=false} (read per run, for comparisons).
 */
final class InPlace {
  private InPlace() {}

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty("statelens.cpu.donate", "true").trim());
  }

  private static final List<Primitive> UPDATES = List.of(ArrayPrims.DYNAMIC_UPDATE_SLICE, ArrayPrims.SCATTER,
      ArrayPrims.SCATTER_MUL, ArrayPrims.SCATTER_MIN, ArrayPrims.SCATTER_MAX);

  /** The standard update primitive that {@code p} runs, or null. */
  private static Primitive update(Fusion.Planned p) {
    for (Primitive u : UPDATES) {
      if (u.name().equals(p.name()) && CpuKernels.isStandard(u) && p.kernel() == CpuKernels.lookup(u)) {
        return u;
      }
    }
    return null;
  }

  /** True if {@code p}'s kernel always returns newly allocated arrays (never a view of an input). */
  private static boolean allocatesFresh(Fusion.Planned p) {
    if (p.kernel() instanceof FusedElementwise || p.kernel() instanceof FusedReduction
        || p.kernel() instanceof FusedMultiOutput || update(p) != null) {
      return true;
    }
    return p.name().equals(ArrayPrims.DYNAMIC_SLICE.name()) && CpuKernels.isStandard(ArrayPrims.DYNAMIC_SLICE)
        && p.kernel() == CpuKernels.lookup(ArrayPrims.DYNAMIC_SLICE);
  }

  /** The in-place kernel for step {@code i} if its operand may be written (rules above), else null. */
  static CpuKernel kernelFor(List<Fusion.Planned> planned, int[][] stepIn, int i, int[] lastUse, int literalBase,
      int numInputs, int[] producerStep) {
    Primitive u = update(planned.get(i));
    if (u == null || stepIn[i].length == 0) {
      return null;
    }
    if (planned.get(i).outputs().get(0).aval().dtype().is16BitFloat()) {
      return null; // 16-bit updates run the widening kernel (Widen16), which allocates
    }
    int k = stepIn[i][0];
    if (k >= literalBase || lastUse[k] != i) {
      return null; // a literal, read later, or a graph output
    }
    for (int j = 1; j < stepIn[i].length; j++) {
      if (stepIn[i][j] == k) {
        return null;
      }
    }
    for (int s = 0; s < i; s++) {
      for (int slot : stepIn[s]) {
        if (slot == k && !allocatesFresh(planned.get(s))) {
          return null;
        }
      }
    }
    if (k >= numInputs && !allocatesFresh(planned.get(producerStep[k]))) {
      return null;
    }
    return Updates.inPlace(u);
  }
}
