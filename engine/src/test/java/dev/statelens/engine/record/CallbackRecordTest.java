package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Debug;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.VmapMethod;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded step with host callbacks: the callbacks run on every call while the recorder taps
 * the step, and the stored graph names them (text and structure) by the line that created them.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class CallbackRecordTest {
  @TempDir Path dir;

  @Test
  void theRunStoreKeepsTheCallbackEquationsAndTheyRunEveryStep() throws Exception {
    List<Float> logged = new ArrayList<>();
    Function<Array, Array> step = Transforms.jit("step", (Array w) -> {
      Array loss = w.square().sum();
      Debug.callback(v -> logged.add(v[0].floatValue()), loss);
      Array host = Transforms.pureCallback(in -> in[0].mul(0.5f), w.aval(), VmapMethod.SEQUENTIAL, w);
      return w.sub(host);
    });
    Path db = dir.resolve("callbacks.db");
    try (Recorder r = Recorder.open(db)) {
      Array w = Array.of(2f, 4f);
      for (int i = 0; i < 3; i++) {
        w = step.apply(w);
      }
    }
    assertEquals(List.of(20f, 5f, 1.25f), logged);
    try (RunStore run = RunStore.open(db)) {
      GraphInfo g = run.graphs("step").getFirst();
      assertTrue(g.irText().contains("debug_callback[callback=<callback at CallbackRecordTest.java:"), g.irText());
      assertTrue(g.irText().contains("pure_callback["), g.irText());
      assertTrue(g.structure().contains("\"primitive\":\"debug_callback\""), g.structure());
      assertEquals(3, run.calls("step", 0, 2).size());
    }
  }
}
