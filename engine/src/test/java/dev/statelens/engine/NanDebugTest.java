package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debug.setDebugNans: NaNs are reported at the operation (and Java line) that produced them. */
class NanDebugTest {

  @BeforeEach
  void on() {
    Debug.setDebugNans(true);
  }

  @AfterEach
  void off() {
    Debug.setDebugNans(false);
  }

  @Test
  void eagerOperationThatProducesNaNIsNamed() {
    NanError e = assertThrows(NanError.class, () -> Array.of(-1f, 4f).log());
    assertTrue(e.getMessage().matches("NaN encountered in log at NanDebugTest\\.java:\\d+: output f32\\[2\\] has 1 NaN\\(s\\).*"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Array.where"), e.getMessage());
  }

  @Test
  void jittedFunctionIsReRunToFindTheOperation() {
    Function<Array, Pair<Array, Array>> step = Transforms.jit("step",
        (Array x) -> Pair.of(x.mul(2).sqrt().sum(), x.add(1)));
    assertEquals(3f, step.apply(Array.of(0.5f, 2f)).first().floatValue(), 1e-6f);
    NanError e = assertThrows(NanError.class, () -> step.apply(Array.of(-1f, 4f)));
    String m = e.getMessage();
    // the step as the recorder and the debugger number it (the second call: step 1)
    assertTrue(m.startsWith("jit(step) returned NaN at step 1 (call #2) in output first (f32[], 1 NaN(s)); re-running it op by op: "
        + "NaN encountered in sqrt at NanDebugTest.java:"), m); // the line of the lambda, in the message too
    // the cause's stack points at the user's lambda
    assertTrue(Arrays.stream(e.getCause().getStackTrace())
        .anyMatch(f -> f.getClassName().startsWith(NanDebugTest.class.getName())), "stack of the op");
  }

  @Test
  void aNaNPassedInIsBlamedOnTheInput() {
    Function<Array, Array> f = Transforms.jit((Array x) -> x.add(1));
    NanError e = assertThrows(NanError.class, () -> f.apply(Array.of(Float.NaN)));
    assertTrue(e.getMessage().contains("already contained NaN"), e.getMessage());
  }

  @Test
  void offByDefaultAndWhenSwitchedOff() {
    Debug.setDebugNans(false);
    assertFalse(Debug.debugNans());
    assertTrue(Float.isNaN(Array.of(-1f).log().toFloatArray()[0]));
    assertTrue(Float.isNaN(Transforms.jit((Array x) -> x.sqrt()).apply(Array.of(-1f)).toFloatArray()[0]));
  }

  @Test
  void integerAndInfiniteResultsAreNotNaN() {
    assertEquals(Float.POSITIVE_INFINITY, Array.of(1f).div(0).floatValue());
    assertEquals(-1, Array.of(1).div(Array.of(0)).toIntArray()[0]);
  }
}
