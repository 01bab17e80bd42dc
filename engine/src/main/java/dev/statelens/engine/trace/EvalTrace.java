package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;

/** Level 0: eager evaluation of each primitive on the current backend. */
final class EvalTrace extends Trace {
  EvalTrace() {
    super(0);
  }

  @Override
  public boolean isDynamic() {
    return true;
  }

  @Override
  public String functionName() {
    return "eager";
  }

  @Override
  public List<Array> process(Primitive p, Params params, Array[] inputs) {
    List<Aval> inAvals = new ArrayList<>(inputs.length);
    List<Buffer> buffers = new ArrayList<>(inputs.length);
    for (Array a : inputs) {
      inAvals.add(a.aval());
      buffers.add(a.buffer());
    }
    List<Aval> outAvals = p.abstractEval(inAvals, params);
    Backend backend = Backends.current();
    List<Buffer> out = backend.execute(p, params, buffers, outAvals);
    if (NanCheck.enabled()) {
      NanCheck.checkEager(p, inputs, outAvals, out);
    }
    List<Array> result = new ArrayList<>(out.size());
    for (Buffer b : out) {
      result.add(Array.fromBuffer(b));
    }
    return result;
  }
}
