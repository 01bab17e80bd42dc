package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The schedules added with optax's: jitted equals eager at every step, the closed forms at a few
 * points, and bad arguments. Their values are checked against optax in {@link OptaxReferenceTest}.
 */
class ScheduleFactoriesTest {

  private static void fails(Executable e, String... fragments) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    for (String f : fragments) {
      assertTrue(m.contains(f), "'" + f + "' in: " + m);
    }
  }

  @Test
  void everyScheduleJittedEqualsEager() {
    OptaxReferenceTest.SCHEDULES.forEach((name, make) -> {
      Schedule s = make.get();
      Function<Array, Array> jitted = Transforms.jit(s::apply);
      for (int t = 0; t < 16; t++) {
        assertEquals(s.at(t), jitted.apply(Array.scalar(DType.I32, t)).doubleValue(), 1e-15, name + " at " + t);
      }
    });
  }

  @Test
  void closedForms() {
    Schedule pc = Schedule.piecewiseConstant(1.0, Map.of(2, 0.5, 4, 0.1));
    assertEquals(List.of(1.0, 1.0, 0.5, 0.5, 0.05), values(pc, 5));
    Schedule poly = Schedule.polynomial(1.0, 0.0, 2.0, 4);
    assertEquals(0.5625, poly.at(1), 1e-15); // (1 - 1/4)^2
    assertEquals(0.0, poly.at(9), 0);
    Schedule join = Schedule.joinSchedules(List.of(Schedule.constant(1), Schedule.linear(1, 0, 2)), 3);
    assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 0.5, 0.0), values(join, 6));
    Schedule lin = Schedule.linearOnecycle(10, 1.0);
    assertEquals(1.0 / 25, lin.at(0), 1e-15);
    assertEquals(1.0, lin.at(3), 1e-15);
    assertEquals(1.0 / 25 / 1e4, lin.at(10), 1e-18);
    Schedule cos = Schedule.cosineOnecycle(10, 1.0);
    assertEquals(1.0, cos.at(3), 1e-15);
    Schedule wexp = Schedule.warmupExponentialDecay(0, 1, 2, 1, 0.5);
    assertEquals(List.of(0.0, 0.5, 1.0, 0.5, 0.25), values(wexp, 5));
    Schedule sgdr = Schedule.sgdr(List.of(new Schedule.WarmupCosine(0, 1, 1, 3, 0), new Schedule.WarmupCosine(0, 2, 1, 3, 0)));
    assertEquals(1.0, sgdr.at(1), 1e-15);
    assertEquals(0.0, sgdr.at(3), 0, "the second cycle restarts at its init");
    assertEquals(2.0, sgdr.at(4), 1e-15);
  }

  private static List<Double> values(Schedule s, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(s::at).toList();
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    fails(() -> Schedule.polynomial(1, 0, 2, 0), "transitionSteps must be > 0", "Schedule.constant");
    fails(() -> Schedule.polynomial(1, 0, 2, 5, -1), "transitionBegin must be >= 0");
    fails(() -> Schedule.polynomial(1, 0, Double.NaN, 5), "power");
    fails(() -> Schedule.piecewiseConstant(1, Map.of(3, -0.5)), "scale >= 0");
    fails(() -> Schedule.joinSchedules(List.of(Schedule.constant(1), Schedule.constant(2)), 1, 2), "need 1 boundaries");
    fails(() -> Schedule.joinSchedules(List.of(Schedule.constant(1), Schedule.constant(2), Schedule.constant(3)), 5, 2),
        "must not decrease");
    fails(() -> Schedule.joinSchedules(List.of()), "at least one schedule");
    fails(() -> Schedule.linearOnecycle(0, 1), "transitionSteps");
    fails(() -> Schedule.linearOnecycle(10, 1, 0.5, 0.4, 25, 1e4), "pctFinal", "[pctStart, 1]");
    fails(() -> Schedule.cosineOnecycle(10, 1, 1.5, 25, 1e4), "pctStart", "0.3");
    fails(() -> Schedule.cosineOnecycle(10, 1, 0.3, 0, 1e4), "divFactor");
    fails(() -> Schedule.warmupExponentialDecay(0, 1, -1, 2, 0.5), "warmupSteps");
    fails(() -> Schedule.warmupExponentialDecay(0, 1, 1, 2, 0), "rate");
    fails(() -> Schedule.exponentialDecay(1, 2, 0.5, 0, false, Double.NaN), "end");
    fails(() -> Schedule.sgdr(List.of()), "at least one");
  }
}
