package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Prims;
import java.io.PrintStream;
import java.util.List;

/** Kernels that run sub-graphs (cond, scan, while) and the run-time effect debug_print. */
final class ControlFlow {
  private ControlFlow() {}

  static void registerAll() {
    CpuKernels.register(Prims.COND, (p, in, out) -> {
      List<Jaxpr> branches = p.getList("branches");
      CpuBuffer pred = in[0];
      int index = pred.data() instanceof boolean[] b ? (b[0] ? 1 : 0) : pred.i32()[0];
      index = Math.max(0, Math.min(branches.size() - 1, index));
      CpuBuffer[] operands = java.util.Arrays.copyOfRange(in, 1, in.length);
      return CpuBackend.INSTANCE.compileCached(branches.get(index)).run(operands);
    });
    CpuKernels.register(Prims.SCAN, (p, in, out) -> scan(p.getJaxpr("jaxpr"), p.getInt("length"),
        p.getInt("num_consts"), p.getInt("num_carry"), p.getBoolean("reverse"), in, out));
    CpuKernels.register(Prims.WHILE, (p, in, out) -> whileLoop(p.getJaxpr("cond_jaxpr"), p.getJaxpr("body_jaxpr"),
        p.getInt("cond_nconsts"), p.getInt("body_nconsts"), in));
    CpuKernels.register(Prims.DEBUG_PRINT, (p, in, out) -> {
      String text = format(p.getString("fmt"), in);
      PrintStream stdout = System.out; // looked up per call so redirected output is honoured
      stdout.println(text);
      return new CpuBuffer[0];
    });
  }

  /** Replaces each {@code {}} with the next operand in NumPy str form. */
  static String format(String fmt, CpuBuffer[] values) {
    StringBuilder sb = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < fmt.length()) {
      if (fmt.startsWith("{}", i) && next < values.length) {
        sb.append(HostArrays.str(values[next].data(), values[next].aval()));
        next++;
        i += 2;
      } else {
        sb.append(fmt.charAt(i++));
      }
    }
    return sb.toString();
  }

  private static CpuBuffer[] scan(Jaxpr body, int length, int nConsts, int nCarry, boolean reverse,
      CpuBuffer[] in, Aval[] outAvals) {
    CpuExecutable exe = CpuBackend.INSTANCE.compileCached(body);
    int nXs = in.length - nConsts - nCarry;
    int nYs = outAvals.length - nCarry;
    CpuBuffer[] args = in.clone();
    Object[] ys = new Object[nYs];
    int[] ySliceSize = new int[nYs];
    for (int j = 0; j < nYs; j++) {
      Aval y = outAvals[nCarry + j];
      ys[j] = HostArrays.allocate(y.dtype(), y.size());
      ySliceSize[j] = length == 0 ? 0 : y.size() / length;
    }
    Aval[] xSlice = new Aval[nXs];
    for (int j = 0; j < nXs; j++) {
      Aval x = in[nConsts + nCarry + j].aval();
      xSlice[j] = x.withShape(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()));
    }
    CarryDonor donor = CarryDonor.forBody(exe, nConsts, nCarry);
    for (int step = 0; step < length; step++) {
      int t = reverse ? length - 1 - step : step;
      for (int j = 0; j < nXs; j++) {
        CpuBuffer xs = in[nConsts + nCarry + j];
        int sz = xSlice[j].size();
        Object slice = HostArrays.allocate(xSlice[j].dtype(), sz);
        System.arraycopy(xs.data(), t * sz, slice, 0, sz);
        args[nConsts + nCarry + j] = new CpuBuffer(xSlice[j], slice);
      }
      CpuBuffer[] res = donor == null ? exe.run(args) : exe.runDonating(args, donor.prepare(args));
      System.arraycopy(res, 0, args, nConsts, nCarry);
      for (int j = 0; j < nYs; j++) {
        System.arraycopy(res[nCarry + j].data(), 0, ys[j], t * ySliceSize[j], ySliceSize[j]);
      }
    }
    CpuBuffer[] result = new CpuBuffer[outAvals.length];
    System.arraycopy(args, nConsts, result, 0, nCarry);
    for (int j = 0; j < nYs; j++) {
      result[nCarry + j] = new CpuBuffer(outAvals[nCarry + j], ys[j]);
    }
    return result;
  }

  /**
   * {@code while}: the carry is passed between the compiled cond and body by reference (no copy
   * per step, as scan's carry); the predicate is read from the cond's bool[] result.
   */
  private static CpuBuffer[] whileLoop(Jaxpr cond, Jaxpr body, int nCond, int nBody, CpuBuffer[] in) {
    CpuExecutable condExe = CpuBackend.INSTANCE.compileCached(cond);
    CpuExecutable bodyExe = CpuBackend.INSTANCE.compileCached(body);
    int nCarry = in.length - nCond - nBody;
    CpuBuffer[] condArgs = new CpuBuffer[nCond + nCarry];
    CpuBuffer[] bodyArgs = new CpuBuffer[nBody + nCarry];
    System.arraycopy(in, 0, condArgs, 0, nCond);
    System.arraycopy(in, nCond, bodyArgs, 0, nBody);
    CpuBuffer[] carry = java.util.Arrays.copyOfRange(in, nCond + nBody, in.length);
    CarryDonor donor = CarryDonor.forBody(bodyExe, nBody, nCarry);
    while (true) {
      System.arraycopy(carry, 0, condArgs, nCond, nCarry);
      if (!((boolean[]) condExe.run(condArgs)[0].data())[0]) {
        return carry;
      }
      System.arraycopy(carry, 0, bodyArgs, nBody, nCarry);
      carry = donor == null ? bodyExe.run(bodyArgs) : bodyExe.runDonating(bodyArgs, donor.prepare(bodyArgs));
    }
  }
}
