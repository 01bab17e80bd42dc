package dev.statelens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.backend.cpu.CpuExecutable;
import org.junit.jupiter.api.Test;

/**
 * jit's cache hit hands host arrays to generated CPU code ({@link Executable#hostEntry}): the
 * CPU graph is still generated at its second run, not its first, and every call, interpreted or
 * generated, returns what the Java function computes eagerly.
 */
class JitHostEntryTest {
  record State(Array w, Array b) {}

  private static State step(State s, Array x) {
    Array err = s.w().mul(x).add(s.b()).sub(x);
    return new State(s.w().sub(err.mul(x).sum().mul(Array.scalar(0.01))), s.b().sub(err.sum().mul(Array.scalar(0.01))));
  }

  @Test
  void generatedAtTheSecondRunAndSameValuesOnEveryPath() {
    if (!Backends.current().name().equals("cpu")) {
      return; // the host entry under test is the CPU backend's
    }
    JitFunction jf = new JitFunction("hostEntryStep", args -> step((State) args[0], (Array) args[1]));
    Array x = Array.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
    State jitted = new State(Array.scalar(0.5), Array.scalar(0.25));
    State eager = jitted;
    for (int call = 0; call < 4; call++) {
      jitted = (State) jf.call(jitted, x);
      eager = step(eager, x);
      assertEquals(eager.w().floatValue(), jitted.w().floatValue(), "w after call " + call);
      assertEquals(eager.b().floatValue(), jitted.b().floatValue(), "b after call " + call);
      Executable exe = jf.graphs().get(0).executable(Backends.current());
      if (exe instanceof CpuExecutable cpu && cpu.stepNames().size() > 0 && call == 0) {
        assertFalse(cpu.isGenerated(), "auto generates code at the second run, not the first");
        assertNull(exe.hostEntry(), "no host entry before there is generated code");
      }
      if (call == 1 && exe instanceof CpuExecutable cpu && cpu.isGenerated()) {
        assertNotNull(exe.hostEntry());
      }
    }
    assertEquals(1, jf.graphs().size(), "one signature, one trace");
    assertSame(State.class, jitted.getClass());
    assertArrayEquals(new float[] {eager.w().floatValue()}, new float[] {jitted.w().floatValue()});
  }
}
