import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;

/** Trace-time printing and an implicit random draw in a jitted method. */
class PrintAndRandom {
  /** One noisy step. */
  Array noisy(Array x) {
    System.out.println("x = " + x + ", doubled = " + x.mul(2));
    System.out.printf("step %s%n", x);
    double noise = Math.random();
    return x.add(noise);
  }

  Object jitted() {
    return Transforms.jit(this::noisy);
  }
}
