package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Debug.print prints when the compiled function runs, with the values of that call. */
class DebugPrintTest {

  private static String capture(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8).replace("\r", "");
  }

  @Test
  void printsAtRunTimeOnEveryCallUnderJit() {
    Function<Array, Array> f = Transforms.jit("step", (Array n) -> {
      Array next = n.add(1);
      Debug.print("n={} next={}", n, next);
      return next;
    });
    String out = capture(() -> {
      Array n = Array.scalar(0);
      for (int i = 0; i < 3; i++) {
        n = f.apply(n);
      }
    });
    assertEquals("n=0.0 next=1.0\nn=1.0 next=2.0\nn=2.0 next=3.0\n", out);
  }

  @Test
  @SuppressWarnings("statelens:SL003") // I/O under a transform on purpose: what the test shows
  void javaPrintlnInsideJitRunsOnceWithATracer() {
    Function<Array, Array> f = Transforms.jit("step", (Array n) -> {
      System.out.println("java sees " + n);
      return n.add(1);
    });
    String out = capture(() -> {
      f.apply(Array.scalar(0));
      f.apply(Array.scalar(1));
    });
    assertEquals("java sees Traced<f32[]> in step\n", out);
  }

  @Test
  void printsEagerlyWithArrays() {
    String out = capture(() -> Debug.print("v={} s={}", Array.of(1f, 2f), Array.scalar(DType.I32, 7)));
    assertEquals("v=[1. 2.] s=7\n", out);
  }

  @Test
  void printInsideLaxControlFlowRunsPerStep() {
    Function<Array, Array> f = Transforms.jit((Array x) -> Lax.forI(0, 3, (i, c) -> {
      Debug.print("i={} c={}", i, c);
      return c.mul(2);
    }, x));
    String out = capture(() -> f.apply(Array.scalar(1)));
    assertEquals("i=0 c=1.0\ni=1 c=2.0\ni=2 c=4.0\n", out);
    Function<Array, Array> g = Transforms.jit((Array x) -> Lax.cond(x.gt(0), () -> {
      Debug.print("positive {}", x);
      return x;
    }, () -> {
      Debug.print("negative {}", x);
      return x.neg();
    }));
    assertEquals("positive 2.0\nnegative -2.0\n", capture(() -> {
      g.apply(Array.scalar(2));
      g.apply(Array.scalar(-2));
    }));
  }

  @Test
  void placeholderCountMustMatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Debug.print("{} {}", Array.scalar(1)));
    assertEquals("Debug.print: the format \"{} {}\" has 2 {} placeholder(s) but 1 array(s) were given", e.getMessage());
  }
}
