import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The seed's Counter and a loop over its jitted count. */
class ExplicitCounter {
  Array n = Array.scalar(0);

  /** Counts one up. */
  public Array count() {
    n = n.add(1);
    return n;
  }

  static List<Float> run() {
    ExplicitCounter counter = new ExplicitCounter();
    Supplier<Array> fast = Transforms.jit(counter::count);
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      values.add(fast.get().floatValue());
    }
    return values;
  }
}
