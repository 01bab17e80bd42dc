package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;

/** Small training programs the recorder tests run (in process and in child JVMs). */
final class Programs {
  private Programs() {}

  record Params(Array w, Array b) {}

  record StepOut(Params params, Array loss) {}

  static final Array XS = Array.of(DTypes.F32, new int[] {8}, 0, 1, 2, 3, 4, 5, 6, 7);
  static final Array YS = XS.mul(2).sub(1);

  /** Runs {@code program} under a {@link Recorder} writing {@code dir/<name>.db}, and opens that run. */
  static RunStore record(Path dir, String name, Runnable program) throws Exception {
    Path db = dir.resolve(name + ".db");
    try (Recorder r = Recorder.open(db)) {
      program.run();
    }
    return RunStore.open(db);
  }

  static Params init() {
    return new Params(Array.scalar(0.5), Array.scalar(0));
  }

  /** Linear regression with a hand-written gradient: returns the new params and the loss. */
  static Fn3<Params, Array, Array, StepOut> linregStep(String name, double lr) {
    return Transforms.jit(name, (Params p, Array x, Array y) -> {
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Array loss = err.square().mean();
      Array gw = err.mul(x).mean().mul(2);
      Array gb = err.mean().mul(2);
      return new StepOut(new Params(p.w().sub(gw.mul(lr)), p.b().sub(gb.mul(lr))), loss);
    });
  }

  /** The correct loop: the new params go into the next step. */
  static Params train(Fn3<Params, Array, Array, StepOut> step, int steps) {
    Params p = init();
    for (int i = 0; i < steps; i++) {
      p = step.apply(p, XS, YS).params();
    }
    return p;
  }

  static final class DTypes {
    static final dev.statelens.engine.DType F32 = dev.statelens.engine.DType.F32;
  }
}
