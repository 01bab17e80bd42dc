package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.model.PathText;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The state flow's boxes name leaves by path, in about 20 characters. A gnn or transformer run's
 * paths are longer, and a cut at the character made Adam's moments ambiguous:
 * {@code state.optState.mu.conv1.wSelf} and {@code ...nu...} both read "state.o…u.conv1.wSelf".
 */
class FlowPathClipTest {
  private static final ToIntFunction<String> ONE_PX = String::length;

  @Test
  void aPathThatFitsIsKept() {
    assertEquals("state.params.conv1.b", PathText.fit("state.params.conv1.b", 20, ONE_PX));
  }

  @Test
  void theLastWholeSegmentsThatFitAreKeptWithTheRootWhenItFits() {
    assertEquals("state.…mu.conv1.wSelf", PathText.fit("state.optState.mu.conv1.wSelf", 21, ONE_PX));
    assertEquals("state.…nu.conv1.wSelf", PathText.fit("state.optState.nu.conv1.wSelf", 21, ONE_PX));
    assertEquals("…nu.conv1.wSelf", PathText.fit("state.optState.nu.conv1.wSelf", 20, ONE_PX),
        "the leaf end's segments before the root, and never half a segment");
    assertEquals("…blocks[0].attention.query.w", PathText.fit("state.params.blocks[0].attention.query.w", 28, ONE_PX));
    assertEquals("…[0].attention.query.w", PathText.fit("state.params.blocks[0].attention.query.w", 22, ONE_PX),
        "a list index is a segment");
  }

  @Test
  void aListIndexTheCutLeftOutIsKeptBeforeTheLeafEnd() {
    assertEquals("state.…[1]…query.w", PathText.fit("state.params.blocks[1].attention.query.w", 18, ONE_PX),
        "which block, rather than 'attention'");
    assertEquals("…[1].attention.query.w", PathText.fit("state.params.blocks[1].attention.query.w", 22, ONE_PX));
  }

  @Test
  void aSegmentLongerThanTheBoxIsCutInItsMiddle() {
    String clipped = PathText.fit("state.aVeryLongLeafNameIndeed", 12, ONE_PX);
    assertTrue(clipped.length() <= 12 && clipped.contains("…") && clipped.endsWith("Indeed"), clipped);
  }

  /** Every leaf of a transformer block's Adam moments keeps a name of its own at the box's width. */
  @Test
  void theTransformersMomentsStayApart() {
    List<String> paths = List.of("state.optState.mu.blocks[0].mlp.up.w", "state.optState.nu.blocks[0].mlp.up.w",
        "state.optState.mu.blocks[1].mlp.up.w", "state.params.blocks[0].mlp.up.w");
    List<String> shown = paths.stream().map(p -> PathText.fit(p, 28, ONE_PX)).toList();
    assertEquals(paths.size(), shown.stream().distinct().count(), shown.toString());
  }

  /**
   * The state flow picture's column headers on a million-step run: "inputs, step 999,999" loses words
   * in a narrow column, never digits — in the 150-pixel column at 1000x700 it read "inputs, step 999…",
   * another step than the one shown.
   */
  @Test
  void aColumnHeaderLosesWordsNeverDigitsOfItsStep() {
    Ui.run(() -> {
      var image = new org.eclipse.swt.graphics.Image(org.eclipse.swt.widgets.Display.getDefault(), 10, 10);
      var gc = new org.eclipse.swt.graphics.GC(image);
      try {
        assertEquals("inputs, step 12", dev.statelens.debugger.ui.FlowCanvas.columnHeader(gc, "inputs", 12, 150));
        int whole = gc.textExtent("inputs, step 999,999").x;
        assertEquals("inputs, step 999,999", dev.statelens.debugger.ui.FlowCanvas.columnHeader(gc, "inputs", 999_999, whole));
        for (int w = whole - 1; w > 0; w -= 7) {
          String h = dev.statelens.debugger.ui.FlowCanvas.columnHeader(gc, "inputs", 999_999, w);
          assertTrue(h.endsWith("999,999") && !h.contains("…"), w + " px: " + h);
          assertTrue(gc.textExtent(h).x <= w || h.equals("999,999"), w + " px: " + h);
        }
      } finally {
        gc.dispose();
        image.dispose();
      }
    });
  }
}
