package demo;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

public class Main {
  static List<Float> run() {
    Counter counter = new Counter();
    List<Float> eager = new ArrayList<>();
    eager.add(counter.count().floatValue());
    counter.reset();
    Supplier<Array> fastCount = Transforms.jit("count", counter::count);
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      values.add(fastCount.get().floatValue());
    }
    return values;
  }
}
