import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Discarded results (SL009): "Use the result" assigns them where that compiles and matters. */
class UseResult {
  Array total = Array.scalar(0);

  /** Offered: x is a parameter read afterwards. */
  Function<Array, Array> step() {
    return Transforms.jit((Array x) -> {
      x.add(1);
      return x.mul(2);
    });
  }

  /** Offered in a loop: acc is read earlier in the loop body. */
  Function<Array, Array> loop() {
    return Transforms.jit((Array x) -> {
      Array acc = x;
      Array sum = Array.scalar(0);
      for (int i = 0; i < 3; i++) {
        sum = sum.add(acc);
        acc.mul(2);
      }
      return sum;
    });
  }

  /** Not offered: a field (assigning it would be SL001), final, captured, never read again. */
  Function<Array, Array> refused() {
    return Transforms.jit((Array x) -> {
      total.add(x);
      final Array fixed = x.mul(1);
      fixed.add(1);
      Array captured = x.mul(3);
      Supplier<Array> later = () -> captured.neg();
      captured.add(1);
      Array unread = x.mul(4);
      unread.add(1);
      var inferred = x.mul(5);
      inferred.add(1);
      Key key = Random.key(0);
      Random.uniform(key);
      return fixed.add(later.get()).add(inferred).add(key == null ? x : x);
    });
  }

  static List<Float> run() {
    UseResult r = new UseResult();
    return List.of(r.step().apply(Array.scalar(1)).floatValue(),
        r.loop().apply(Array.scalar(1)).floatValue());
  }
}
