import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import java.util.function.Supplier;

/** SL010 reuses where "Split the key" / "Fold in the loop index" must not be offered, or must adapt. */
class KeySplit {

  Array finalKey(final Key key) {
    Array a = Random.normal(key, 3);
    return a.add(Random.normal(key, 3)); // finalKey: cannot reassign
  }

  Array finalKeyInLoop(final Key key) {
    Array sum = Array.scalar(0);
    for (int i = 0; i < 3; i++) {
      sum = sum.add(Random.normal(key, 3)); // finalKeyInLoop: fold in only
    }
    return sum;
  }

  Array captured(Key key) {
    Supplier<Array> later = () -> Random.uniform(key, 3);
    Array a = Random.normal(key, 3);
    return a.add(Random.normal(key, 3)).add(later.get()); // captured: a lambda needs it effectively final
  }

  Array twoDrawsPerIteration(Key key) {
    Array sum = Array.scalar(0);
    for (int i = 0; i < 3; i++) {
      sum = sum.add(Random.normal(key, 3)); // twoInLoop first
      sum = sum.add(Random.uniform(key, 3)); // twoInLoop second
    }
    return sum;
  }

  Array nestedLoops(Key key) {
    Array sum = Array.scalar(0);
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 3; i++) {
        sum = sum.add(Random.normal(key, 3)); // nested: the outer loop repeats i
      }
    }
    return sum;
  }

  Array indexChangedInBody(Key key) {
    Array sum = Array.scalar(0);
    for (int i = 0; i < 9; i++) {
      sum = sum.add(Random.normal(key, 3)); // indexChanged: i repeats nothing but is skipped
      i += 2;
    }
    return sum;
  }

  Array nameTaken(Key key) {
    Array keys = Array.scalar(1);
    Array a = Random.normal(key, 3);
    return a.add(Random.uniform(key, 3)).add(keys); // nameTaken: keys2
  }

  Array noBraces(Key key, boolean c) {
    Array a = Array.scalar(0);
    if (c)
      a = Random.normal(key, 3);
    return a.add(Random.uniform(key, 3)); // noBraces: the earlier draw is not in a block
  }

  Array bothHalvesUsed(Key key) {
    Pair<Key, Key> ks = Random.split(key);
    Array a = Random.normal(ks.first(), 3).add(Random.normal(ks.second(), 3));
    return a.add(Random.normal(key, 3)); // bothHalves: no unused key
  }

  Array firstHalfUsed(Key key) {
    var ks = Random.split(key);
    Array a = Random.normal(ks.first(), 3);
    return a.add(Random.normal(key, 3)); // firstHalf: draw from ks.second()
  }

  Array whileLoop(Key key) {
    Array sum = Array.scalar(0);
    int n = 0;
    while (n < 3) {
      sum = sum.add(Random.normal(key, 3)); // whileLoop: split only (no index)
      n++;
    }
    return sum;
  }
}
