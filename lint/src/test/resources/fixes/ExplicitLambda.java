import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A training loop's shape: the jitted step is a lambda kept in a local; it counts its calls in a field. */
class ExplicitLambda {
  static Array calls = Array.scalar(0);

  static List<Float> run() {
    BiFunction<Array, Array, Array> step = Transforms.jit("step", (Array w, Array x) -> {
      calls = calls.add(1);
      return w.add(x.mul(calls));
    });
    List<Float> values = new ArrayList<>();
    Array w = Array.scalar(0);
    for (int i = 0; i < 3; i++) {
      w = step.apply(w, Array.scalar(1));
      values.add(w.floatValue());
    }
    return values;
  }
}
