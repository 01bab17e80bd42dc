package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of a recorded run loses at most the last batch; the file stays valid. */
class KillSafetyTest {
  @TempDir Path dir;

  @Test
  void aKilledRunKeepsEveryCommittedStepAndAValidFile() throws Exception {
    Path db = dir.resolve("killed.db");
    long committed;
    try (ChildJvm child = new ChildJvm(List.of(), "forever", db.toString())) {
      child.await("COMMITTED", 60);
      Thread.sleep(700); // a few more batches, and one in flight
      child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(child.process.waitFor(20, TimeUnit.SECONDS));
      assertEquals(137, child.process.exitValue(), "killed by SIGKILL");
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement();
        var rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertEquals("ok", rs.getString(1));
    }
    try (RunStore store = RunStore.open(db)) {
      assertFalse(store.isFinished(), "the run never closed");
      committed = store.callCount();
      assertTrue(committed >= 300, "the 300 flushed steps survive, got " + committed);
      List<CallInfo> calls = store.calls("train", 0, Long.MAX_VALUE);
      assertEquals(committed, calls.size());
      for (int i = 0; i < calls.size(); i++) {
        assertEquals(i, calls.get(i).step(), "steps are contiguous from 0");
      }
      // every committed step has all its leaves
      long last = calls.getLast().step();
      List<LeafSample> state = store.state("train", last);
      assertEquals(7, state.size());
      assertEquals(1, store.links("train").size() / 2);
      assertEquals(last, store.links("train").getFirst().lastStep());
      // the loss of every committed call (packed scalar chunks: the last one cut off part-way)
      List<LeafSample> loss = store.samples(store.scalar("loss").orElseThrow(), 0, Long.MAX_VALUE);
      assertEquals(committed, loss.size());
      for (int i = 0; i < loss.size(); i++) {
        assertEquals(i, loss.get(i).step());
        assertTrue(Double.isFinite(loss.get(i).values()[0]), "step " + i);
      }
      assertTrue(loss.getLast().values()[0] < loss.getFirst().values()[0], "training went on");
    }
  }
}
