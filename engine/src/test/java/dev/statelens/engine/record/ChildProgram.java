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
 *       then a function whose output turns NaN at step 20 of {@code nan}; prints {@code DONE};
 *   <li>{@code nanLast N}: N calls of {@code nan} (sqrt(N - 1.5 - i)), whose last call, step N-1
 *       and only that one, returns NaN; prints {@code DONE} and ends (the live channel's pause at
 *       exit);
 *   <li>{@code ownRecorder N DB [late]}: {@code nanLast N} inside a {@link Recorder} the program opens
 *       itself on DB and closes at its end (with {@code late}, after a first jitted call of
 *       {@code warmup} made before the recorder opened); prints {@code CLOSED} after the close, then
 *       {@code DONE};
 *   <li>{@code leaves}: one call of {@code leaves}, which returns {@code big} (0, 1, ..., 99) and
 *       {@code small} (0, 1, 2) times two (as {@code leaves(big, small)}), with no recorder opened in code; prints {@code DONE};
 *   <li>{@code settings}: logs {@code lr} 0.05 then 0.01 and {@code batch} 32 (as an array) before its
 *       first jitted call, then {@code leaves} three times with {@code seen} = the step count logged after
 *       each; prints {@code DONE}.
 * </ul>
 */
public final class ChildProgram {
  private ChildProgram() {}

  /** The {@code leaves} mode's result: output leaf paths {@code big} and {@code small}. */
  public record Leaves(Array big, Array small) {}

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
      case "nanLast" -> {
        int n = Integer.parseInt(args[1]);
        Function<Array, Array> nan = Transforms.jit("nan", (Array t) -> Array.scalar(n - 1.5f).sub(t).sqrt());
        for (int i = 0; i < n; i++) {
          nan.apply(Array.scalar(i));
        }
        System.out.println("DONE");
      }
      case "ownRecorder" -> {
        int n = Integer.parseInt(args[1]);
        if (args.length > 3 && args[3].equals("late")) {
          Transforms.jit("warmup", (Array t) -> t.add(1)).apply(Array.scalar(0)); // the channel connects here
        }
        Function<Array, Array> nan = Transforms.jit("nan", (Array t) -> Array.scalar(n - 1.5f).sub(t).sqrt());
        try (Recorder r = Recorder.open(java.nio.file.Path.of(args[2]))) {
          for (int i = 0; i < n; i++) {
            nan.apply(Array.scalar(i));
          }
        }
        System.out.println("CLOSED");
        System.out.println("DONE");
      }
      case "leaves" -> {
        java.util.function.BiFunction<Array, Array, Leaves> f = Transforms.jit("leaves",
            (Array big, Array small) -> new Leaves(big.mul(2.0), small.mul(2.0)));
        float[] big = new float[100];
        for (int i = 0; i < big.length; i++) {
          big[i] = i;
        }
        f.apply(Array.of(big), Array.of(0f, 1f, 2f));
        System.out.println("DONE");
      }
      case "settings" -> {
        Recorder.scalar("lr", 0.05);
        Recorder.scalar("lr", 0.01); // the last value before the recorder starts is the one kept
        Recorder.scalar("batch", Array.scalar(32f));
        java.util.function.BiFunction<Array, Array, Leaves> f = Transforms.jit("leaves",
            (Array big, Array small) -> new Leaves(big.mul(2.0), small.mul(2.0)));
        for (int i = 0; i < 3; i++) {
          f.apply(Array.of(1f, 2f), Array.of(3f));
          Recorder.scalar("seen", i + 1);
        }
        System.out.println("DONE");
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
