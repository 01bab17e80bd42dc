import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A step with an argument that accumulates into two fields, one through this. */
class ExplicitStep {
  private Array total = Array.scalar(0);
  private Array steps = Array.scalar(0);

  Array step(Array x) {
    this.total = total.add(x);
    steps = steps.add(1);
    return total.mul(steps);
  }

  List<Float> run() {
    Function<Array, Array> fast = Transforms.jit(this::step);
    List<Float> values = new ArrayList<>();
    for (int i = 1; i <= 3; i++)
      values.add(fast.apply(Array.scalar(i)).floatValue());
    return values;
  }
}
