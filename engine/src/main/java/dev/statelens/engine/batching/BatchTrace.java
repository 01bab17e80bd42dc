package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.FunctionNames;
import dev.statelens.engine.trace.Trace;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trace of one {@code vmap} call (JAX's BatchTrace). Not dynamic: it only sees operations
 * that involve its own tracers; operations on other values go straight to the traces below
 * (eager, or the staging trace of an enclosing jit), which is what makes {@code jit(vmap(f))}
 * stage a batched graph.
 */
final class BatchTrace extends Trace implements BatchContext {
  private String name;
  private boolean nameResolved;
  private final int batchSize;

  private BatchTrace(int level, String name, int batchSize) {
    super(level);
    this.name = name;
    this.batchSize = batchSize;
  }

  /** A vmap of a user function: named after it once it runs. */
  static BatchTrace push(String name, int batchSize) {
    return TraceStack.push(level -> new BatchTrace(level, name, batchSize));
  }

  /** A vmap the engine runs itself (a cond/scan sub-graph): keeps {@code name}. */
  static BatchTrace pushInternal(String name, int batchSize) {
    BatchTrace t = push(name, batchSize);
    t.nameResolved = true;
    return t;
  }

  @Override
  public boolean isDynamic() {
    return false;
  }

  @Override
  public String functionName() {
    resolveName();
    return "vmap(" + name + ")";
  }

  /** Names the trace after the user's method, found on the stack while it runs (as jit does). */
  private void resolveName() {
    if (!nameResolved && isActive()) {
      nameResolved = true;
      name = FunctionNames.calledFrom(Vmap.class.getName(), Vmap.CALL_METHOD, name);
    }
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public Array wrap(Batched b) {
    return b.mapped() ? Array.fromTracer(new BatchTracer(this, b.value())) : b.value();
  }

  @Override
  public Batched unwrap(Array a) {
    if (a.tracer() instanceof BatchTracer bt && bt.trace() == this) {
      return Batched.mapped(bt.value());
    }
    return Batched.unmapped(a);
  }

  @Override
  public List<Array> process(Primitive p, Params params, Array[] inputs) {
    resolveName();
    List<Batched> in = new ArrayList<>(inputs.length);
    List<Aval> exampleIn = new ArrayList<>(inputs.length);
    for (Array a : inputs) {
      Batched b = unwrap(a);
      in.add(b);
      exampleIn.add(b.exampleAval());
    }
    // shape-check as the unbatched operation would, so errors name per-example shapes
    List<Aval> exampleOut = p.abstractEval(exampleIn, params);
    BatchRule rule = Batching.rule(p);
    List<Batched> out = rule.apply(this, params, in, exampleOut);
    if (out.size() != exampleOut.size()) {
      throw new IllegalStateException("batching rule of " + p.name() + " returned " + out.size()
          + " outputs, expected " + exampleOut.size());
    }
    List<Array> result = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      Batched b = out.get(i);
      if (!b.exampleAval().equals(exampleOut.get(i)) || (b.mapped() && b.value().shape()[0] != batchSize)) {
        throw new IllegalStateException("batching rule of " + p.name() + " produced "
            + b.value().aval() + (b.mapped() ? " (mapped)" : " (unmapped)") + " for output " + i
            + ", expected " + exampleOut.get(i) + " per example with batch " + batchSize
            + "; inputs " + describe(in));
      }
      result.add(wrap(b));
    }
    return result;
  }

  private static String describe(List<Batched> in) {
    StringBuilder sb = new StringBuilder("[");
    for (Batched b : in) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(b.value().aval()).append(b.mapped() ? " mapped" : " unmapped");
    }
    return sb.append(']').toString();
  }

  @Override
  public String toString() {
    return "BatchTrace(" + name + ", level " + level() + ", batch " + batchSize + ")";
  }

  static int[] prepend(int first, int[] rest) {
    int[] r = new int[rest.length + 1];
    r[0] = first;
    System.arraycopy(rest, 0, r, 1, rest.length);
    return r;
  }

  static int[] shifted(int[] axes) {
    return Arrays.stream(axes).map(a -> a + 1).toArray();
  }
}
