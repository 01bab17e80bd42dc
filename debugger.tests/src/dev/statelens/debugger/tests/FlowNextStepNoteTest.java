package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.model.StepState;
import dev.statelens.debugger.ui.FlowCanvas;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state flow picture at a run's last step recorded: a finished run opens there, and a paused
 * live run stands there. No call follows it, so no output links to step + 1; the picture said "none
 * is an input of step 200" (a newcomer's walk, linreg's step 199), as if the state were not
 * threaded, where the step before showed every param threaded.
 */
class FlowNextStepNoteTest {
  @TempDir
  Path dir;

  @Test
  void theLastStepRecordedSaysTheNextIsNotRecordedNotThatNothingThreads() {
    Path db = GoToSourceTest.recordSourceProgram(dir.resolve("three-steps.db")); // steps 0, 1, 2
    try (RunStore store = RunStore.open(db)) {
      String function = store.functions().getFirst().name();
      StepState middle = StepState.load(store, function, 1);
      StepState last = StepState.load(store, function, 2);

      assertTrue(middle.nextRecorded(), "step 2 follows step 1");
      assertFalse(middle.links().isEmpty(), "the params of step 1 are inputs of step 2");
      assertFalse(last.nextRecorded(), "no step 3");
      assertTrue(last.links().isEmpty(), "no call to link to");

      assertEquals("the last step recorded", FlowCanvas.noThreadingNote(last, false));
      assertEquals("not recorded: step 2 is\nthe last step recorded", FlowCanvas.noThreadingNote(last, true));
      StepState unthreaded = new StepState(function, 1, middle.call(), middle.roots(), java.util.List.of(), middle.events(),
          middle.values(), true);
      assertEquals("none is an input of step 2", FlowCanvas.noThreadingNote(unthreaded, false),
          "a step followed by a call that takes none of its outputs");
    }
  }
}
