package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled graph on the CPU: the jaxpr lowered once to a flat list of steps over numbered
 * slots (kernel looked up, literals materialized, slots freed after their last use), then
 * interpreted. Chains of elementwise equations become one fused step each ({@link Fusion},
 * {@link FusedElementwise}); large kernels split over the cores ({@link Parallel}).
 */
public final class CpuExecutable implements Executable {
  /** One kernel call: reads {@code in} slots, writes {@code out} slots, clears {@code free}. */
  record Step(String name, CpuKernel kernel, Params params, int[] in, int[] out, Aval[] outAvals, int[] free,
      CpuKernel inPlace, int donatedInput) {
    Step(String name, CpuKernel kernel, Params params, int[] in, int[] out, Aval[] outAvals, int[] free) {
      this(name, kernel, params, in, out, outAvals, free, null, -1);
    }
  }

  /** Per input: some update step writes into it in place when the caller donates it ({@link #runDonating}). */
  private final boolean[] donatableInputs;
  private final boolean hasInPlaceSteps;

  private final Jaxpr jaxpr;
  private final int numInputs;
  private final CpuBuffer[] template;
  private final Step[] steps;
  private final int[] outSlots;
  /** The graph as generated code ({@link GraphCodegen}), or null: interpret {@link #steps}. */
  private volatile GeneratedGraph.Runner generated;
  /**
   * {@code auto}: the code is generated at the second run, so a graph run once (an eager
   * {@code Lax.cond} traces new branch graphs on every call) never pays for generating a class.
   */
  private volatile boolean generateAtSecondRun;
  private int runsBeforeCode;
  private final Aval[] outAvals;

  CpuExecutable(Jaxpr jaxpr) {
    this(jaxpr, Fusion.enabledByDefault(), GraphCodegen.configuredMode());
  }

  /** The interpreter only. @param fuse group elementwise chains into fused kernels (see {@link Fusion}) */
  CpuExecutable(Jaxpr jaxpr, boolean fuse) {
    this(jaxpr, fuse, GraphCodegen.Mode.OFF);
  }

  /**
   * @param fuse group elementwise chains into fused kernels (see {@link Fusion})
   * @param codegen whether to run the graph as generated code (see {@link GraphCodegen}); the
   *     interpreter's steps are built either way (fallback, {@link #profile})
   */
  CpuExecutable(Jaxpr jaxpr, boolean fuse, GraphCodegen.Mode codegen) {
    this.jaxpr = jaxpr;
    this.outAvals = jaxpr.outvars().stream().map(Atom::aval).toArray(Aval[]::new);
    List<Fusion.Planned> planned = fuse ? Fusion.plan(jaxpr) : Fusion.unfused(jaxpr);
    Map<Var, Integer> slots = new IdentityHashMap<>();
    List<Var> inputs = new ArrayList<>(jaxpr.constvars());
    inputs.addAll(jaxpr.invars());
    this.numInputs = inputs.size();
    for (Var v : inputs) {
      slots.put(v, slots.size());
    }
    for (Fusion.Planned p : planned) {
      for (Var v : p.outputs()) {
        slots.put(v, slots.size());
      }
    }
    int literalBase = slots.size();
    // literals go in slots after all variables
    List<CpuBuffer> literals = new ArrayList<>();
    java.util.function.Function<Atom, Integer> slotOf = a -> {
      if (a instanceof Literal l) {
        literals.add(literalBuffer(l));
        return literalBase + literals.size() - 1;
      }
      Integer s = slots.get((Var) a);
      if (s == null) {
        throw new IllegalStateException("compiled graph reads a variable no step defines: " + a);
      }
      return s;
    };
    int[][] stepIn = new int[planned.size()][];
    for (int i = 0; i < stepIn.length; i++) {
      stepIn[i] = planned.get(i).inputs().stream().mapToInt(slotOf::apply).toArray();
    }
    this.outSlots = jaxpr.outvars().stream().mapToInt(slotOf::apply).toArray();
    // last use of each variable slot, to free intermediates early
    int[] lastUse = new int[literalBase];
    Arrays.fill(lastUse, -1);
    for (int i = 0; i < stepIn.length; i++) {
      for (int s : stepIn[i]) {
        if (s < literalBase) {
          lastUse[s] = i;
        }
      }
    }
    for (int s : outSlots) {
      if (s < literalBase) {
        lastUse[s] = Integer.MAX_VALUE;
      }
    }
    int[] producerStep = new int[literalBase];
    Arrays.fill(producerStep, -1);
    for (int i = 0; i < planned.size(); i++) {
      for (Var v : planned.get(i).outputs()) {
        producerStep[slots.get(v)] = i;
      }
    }
    this.donatableInputs = new boolean[numInputs];
    boolean anyInPlace = false;
    List<Step> stepList = new ArrayList<>();
    for (int i = 0; i < stepIn.length; i++) {
      Fusion.Planned p = planned.get(i);
      int[] out = p.outputs().stream().mapToInt(slots::get).toArray();
      final int idx = i;
      int[] free = Arrays.stream(stepIn[i]).filter(s -> s >= numInputs && s < literalBase && lastUse[s] == idx)
          .distinct().toArray();
      CpuKernel inPlace = InPlace.kernelFor(planned, stepIn, i, lastUse, literalBase, numInputs, producerStep);
      int donated = inPlace != null && stepIn[i][0] < numInputs ? stepIn[i][0] : -1;
      if (donated >= 0) {
        donatableInputs[donated] = true;
      }
      anyInPlace |= inPlace != null;
      stepList.add(new Step(p.name(), p.kernel(), p.params(), stepIn[i], out,
          p.outputs().stream().map(Var::aval).toArray(Aval[]::new), free, inPlace, donated));
    }
    this.hasInPlaceSteps = anyInPlace;
    this.steps = stepList.toArray(Step[]::new);
    this.template = new CpuBuffer[literalBase + literals.size()];
    for (int i = 0; i < literals.size(); i++) {
      template[literalBase + i] = literals.get(i);
    }
    if (GraphCodegen.wanted(codegen, jaxpr, planned)) {
      if (codegen == GraphCodegen.Mode.ON) {
        this.generated = GraphCodegen.tryCompile(jaxpr);
      } else {
        this.generateAtSecondRun = true;
      }
    }
  }

  /**
   * Compiles {@code jaxpr} with code generation {@code auto}, {@code on} or {@code off} whatever
   * {@code statelens.cpu.codegen} says (tests and benchmarks compare the two).
   */
  public static CpuExecutable compile(Jaxpr jaxpr, String codegen) {
    GraphCodegen.Mode mode = switch (codegen) {
      case "auto" -> GraphCodegen.Mode.AUTO;
      case "on" -> GraphCodegen.Mode.ON;
      case "off" -> GraphCodegen.Mode.OFF;
      default -> throw new IllegalArgumentException("codegen must be auto, on or off, got '" + codegen + "'");
    };
    return new CpuExecutable(jaxpr, Fusion.enabledByDefault(), mode);
  }

  /** Why {@code jaxpr} cannot run as generated code (it is interpreted then), or null if it can. */
  public static String whyNotGenerated(Jaxpr jaxpr) {
    return GraphCodegen.whyNot(jaxpr);
  }

  /** The generated code, generating it now if this is the second run in {@code auto} mode. */
  private GeneratedGraph.Runner codeForThisRun() {
    GeneratedGraph.Runner g = generated;
    if (g != null || !generateAtSecondRun) {
      return g;
    }
    synchronized (this) {
      if (generateAtSecondRun && ++runsBeforeCode >= 2) {
        generated = GraphCodegen.tryCompile(jaxpr);
        generateAtSecondRun = false;
      }
      return generated;
    }
  }

  /** The generated class, or null while interpreted (tests). */
  Class<?> generatedClass() {
    GeneratedGraph.Runner g = generated;
    return g == null ? null : g.codeClass();
  }

  /** True if calls run generated code rather than the interpreter ({@code auto}: from the second run on). */
  public boolean isGenerated() {
    return generated != null;
  }

  /**
   * The generated code's steps ({@code loop[mul,add,reduce_sum]}, {@code scalar[div]}, kernel
   * names), or an empty list when the graph is interpreted.
   */
  public List<String> generatedStepNames() {
    return generated == null ? List.of() : generated.stepNames();
  }

  /** Names of the interpreter's steps in order ({@code fused[mul,add]} for a fused group). */
  public List<String> stepNames() {
    return Arrays.stream(steps).map(Step::name).toList();
  }

  /**
   * Per interpreter step, its name with its input and output types
   * ({@code dot_general f32[16,32,48] f32[48,48] -> f32[16,32,48]}), in {@link #stepNames()} order:
   * what a {@link #profile} row was spent on.
   */
  public List<String> stepSignatures() {
    List<String> out = new ArrayList<>();
    for (Step s : steps) {
      StringBuilder b = new StringBuilder(s.name());
      for (int slot : s.in()) {
        b.append(' ').append(slot < numInputs || template[slot] == null ? slotAval(slot) : template[slot].aval().toString());
      }
      b.append(" ->");
      for (Aval a : s.outAvals()) {
        b.append(' ').append(a);
      }
      if (s.name().equals("dot_general")) {
        b.append(' ').append(s.params());
      }
      out.add(b.toString());
    }
    return out;
  }

  private String slotAval(int slot) {
    if (slot < numInputs) {
      List<Var> inputs = new ArrayList<>(jaxpr.constvars());
      inputs.addAll(jaxpr.invars());
      return inputs.get(slot).aval().toString();
    }
    for (Step s : steps) {
      for (int j = 0; j < s.out().length; j++) {
        if (s.out()[j] == slot) {
          return s.outAvals()[j].toString();
        }
      }
    }
    return "?";
  }

  static CpuBuffer literalBuffer(Literal l) {
    Object data = HostArrays.allocate(l.dtype(), 1);
    if (l.dtype().isInteger()) {
      ((int[]) data)[0] = (int) (long) l.value();
    } else {
      HostArrays.setDouble(data, l.dtype(), 0, l.value());
    }
    return new CpuBuffer(l.aval(), data);
  }

  @Override
  public Jaxpr jaxpr() {
    return jaxpr;
  }

  @Override
  public List<Buffer> execute(List<Buffer> inputs) {
    CpuBuffer[] in = new CpuBuffer[inputs.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = CpuBackend.asCpu(inputs.get(i));
    }
    return Arrays.asList(run(in));
  }

  @Override
  public Buffer[] execute(Buffer[] inputs) {
    GeneratedGraph.Runner code = codeForThisRun();
    if (code == null) {
      CpuBuffer[] in = new CpuBuffer[inputs.length];
      for (int i = 0; i < in.length; i++) {
        in[i] = CpuBackend.asCpu(inputs[i]);
      }
      return run(in, null);
    }
    return runGenerated(code, inputs);
  }

  /**
   * Host arrays straight to the generated code, once there is generated code. Reads the field
   * only: {@link #codeForThisRun} counts runs (code is generated at the second), and the
   * {@link #execute} that follows a null answer counts this one.
   */
  @Override
  public HostEntry hostEntry() {
    return generated == null ? null : hostEntry;
  }

  private final HostEntry hostEntry = new HostEntry() {
    @Override
    public Object hostData(Buffer buffer) {
      return buffer instanceof CpuBuffer c ? c.data() : null;
    }

    @Override
    public Object[] run(Object[] hostInputs) {
      checkInputCount(hostInputs.length);
      return generated.run(hostInputs);
    }

    @Override
    public Buffer output(int index, Object host) {
      return new CpuBuffer(outAvals[index], host);
    }
  };

  /** Runs on CPU buffers (constvars then invars); returns the outputs. */
  public CpuBuffer[] run(CpuBuffer[] inputs) {
    GeneratedGraph.Runner code = codeForThisRun();
    return code == null ? run(inputs, null) : runGenerated(code, inputs);
  }

  /** The generated code on the inputs' host arrays (jit's hit path: no interpreter buffers). */
  private CpuBuffer[] runGenerated(GeneratedGraph.Runner code, Buffer[] inputs) {
    checkInputCount(inputs.length);
    Object[] data = new Object[inputs.length];
    for (int i = 0; i < data.length; i++) {
      data[i] = CpuBackend.asCpu(inputs[i]).data();
    }
    return wrap(code.run(data));
  }

  private void checkInputCount(int given) {
    if (given != numInputs) {
      throw new IllegalArgumentException("compiled graph takes " + numInputs + " inputs, got " + given);
    }
  }

  /** The generated code's host arrays as the outputs' buffers. */
  private CpuBuffer[] wrap(Object[] out) {
    CpuBuffer[] result = new CpuBuffer[out.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = new CpuBuffer(outAvals[i], out[i]);
    }
    return result;
  }

  /**
   * Runs the interpreter's steps {@code runs} times and returns the nanoseconds spent in each
   * step (in {@link #stepNames()} order), for finding what dominates a compiled graph (generated
   * code has no steps to time: compare {@code -Dstatelens.cpu.codegen=off}).
   */
  public long[] profile(CpuBuffer[] inputs, int runs) {
    return profile(inputs, runs, false);
  }

  /**
   * {@link #profile(CpuBuffer[], int)}, in the calling thread's CPU time when {@code threadCpu}
   * (on a loaded machine wall time counts the queue for a core; run with
   * {@code -Dstatelens.cpu.threads=1} so every kernel runs on this thread).
   */
  public long[] profile(CpuBuffer[] inputs, int runs, boolean threadCpu) {
    long[] nanos = new long[steps.length];
    profileClock = threadCpu ? THREAD_CPU : System::nanoTime;
    for (int r = 0; r < runs; r++) {
      run(inputs, nanos);
    }
    return nanos;
  }

  private static final java.util.function.LongSupplier THREAD_CPU =
      java.lang.management.ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime;
  private java.util.function.LongSupplier profileClock = System::nanoTime;

  /** Per input: whether {@link #runDonating} can update it in place (loops copy such a carry once, then donate it). */
  boolean[] donatableInputs() {
    return donatableInputs.clone();
  }

  /** True if some input is donatable. */
  boolean hasDonatableInputs() {
    for (boolean b : donatableInputs) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the interpreter with {@code donated[i]} inputs handed over: their arrays may be
   * overwritten (the caller owns them, no one else references them, and it never reads them
   * again). Loop kernels call this for the carries they own ({@link ControlFlow}).
   */
  CpuBuffer[] runDonating(CpuBuffer[] inputs, boolean[] donated) {
    return run(inputs, null, donated);
  }

  private CpuBuffer[] run(CpuBuffer[] inputs, long[] stepNanos) {
    return run(inputs, stepNanos, null);
  }

  private CpuBuffer[] run(CpuBuffer[] inputs, long[] stepNanos, boolean[] donated) {
    checkInputCount(inputs.length);
    boolean donate = hasInPlaceSteps && InPlace.enabled();
    CpuBuffer[] env = template.clone();
    System.arraycopy(inputs, 0, env, 0, numInputs);
    for (int k = 0; k < steps.length; k++) {
      Step s = steps[k];
      int[] ins = s.in;
      CpuBuffer[] args = new CpuBuffer[ins.length];
      for (int j = 0; j < ins.length; j++) {
        args[j] = env[ins[j]];
      }
      long t0 = stepNanos == null ? 0 : profileClock.getAsLong();
      CpuKernel kernel = s.kernel;
      if (donate && s.inPlace != null && (s.donatedInput < 0 || (donated != null && donated[s.donatedInput]))) {
        kernel = s.inPlace;
      }
      CpuBuffer[] res = kernel.apply(s.params, args, s.outAvals);
      if (stepNanos != null) {
        stepNanos[k] += profileClock.getAsLong() - t0;
      }
      int[] outs = s.out;
      for (int j = 0; j < outs.length; j++) {
        env[outs[j]] = res[j];
      }
      for (int f : s.free) {
        env[f] = null;
      }
    }
    CpuBuffer[] result = new CpuBuffer[outSlots.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = env[outSlots[i]];
    }
    return result;
  }
}
