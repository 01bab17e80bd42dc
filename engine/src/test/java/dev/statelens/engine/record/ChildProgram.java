package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Programs.Params;
import java.util.function.Function;

/**
 * Run in a child JVM by the kill-safety and live-control tests.
 * <ul>
 *   <li>{@code forever}: records linreg steps until killed; prints {@code COMMITTED n} once n
 *       steps are flushed, then keeps going;
 *   <li>{@code steps N}: N linreg steps (recording/control switched on by system properties),
 *       then a function whose output turns NaN at step 20 of {@code nan}; prints {@code DONE}.
 * </ul>
 */
public final class ChildProgram {
  private ChildProgram() {}

  public static void main(String[] args) throws Exception {
    var step = Programs.linregStep("train", 0.01);
    switch (args[0]) {
      case "forever" -> {
        Recorder r = Recorder.open(java.nio.file.Path.of(args[1]));
        Params p = Programs.init();
        for (long i = 0; ; i++) {
          p = step.apply(p, Programs.XS, Programs.YS).params();
          if (i == 299) {
            r.flush();
            System.out.println("COMMITTED 300");
            System.out.flush();
          }
        }
      }
      case "steps" -> {
        int n = Integer.parseInt(args[1]);
        Params p = Programs.init();
        for (int i = 0; i < n; i++) {
          p = step.apply(p, Programs.XS, Programs.YS).params();
        }
        // sqrt of a value that turns negative after 20 steps: NaN from step 20 on
        Function<Array, Array> nan = Transforms.jit("nan", (Array t) -> Array.scalar(19.5).sub(t).sqrt());
        for (int i = 0; i < 30; i++) {
          nan.apply(Array.scalar(i));
        }
        System.out.println("DONE");
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
