package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.LeafVariable;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.presentation.RunModelPresentation;
import dev.statelens.engine.DType;
import dev.statelens.engine.record.store.LeafSample;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.jface.viewers.IColorProvider;
import org.eclipse.swt.graphics.Image;
import org.junit.jupiter.api.Test;

/**
 * The debug model presentation and the launch contributions in plugin.xml: a leaf's label, NaN
 * badge and red text, its detail pane, a pytree group's label; the launch type's image and the
 * StateLens Training shortcut. (Labels against a launched program: TrainingLaunchEndToEndTest.)
 */
class ModelPresentationTest {
  private static LeafSample leaf(String path, int[] shape, double[] values, long nan) {
    double norm = Math.sqrt(Arrays.stream(values).filter(Double::isFinite).map(v -> v * v).sum());
    return new LeafSample("out", path, 3, 0, DType.F32, shape, values.length, -1.0, 2.0, 0.25, 0.5, norm, nan, 0,
        false, values);
  }

  /** A params group whose weight has {@code nan} NaN values. */
  static StateNode params(long nan) {
    double[] weight = IntStream.range(0, 32).mapToDouble(i -> i < nan ? Double.NaN : (i - 16) / 8.0).toArray();
    List<LeafSample> leaves = List.of(leaf("params.weight", new int[] {32, 1}, weight, nan),
        leaf("params.bias", new int[] {}, new double[] {0.125}, 0), leaf("loss", new int[] {}, new double[] {0.25}, 0));
    return StateNode.find(StateNode.build(leaves, Map.of()), "out:params");
  }

  private static IDebugModelPresentation presentation() {
    IDebugModelPresentation p = DebugUITools.newDebugModelPresentation(RunDebugTarget.MODEL_ID);
    assertNotNull(p, "plugin.xml registers a debug model presentation for " + RunDebugTarget.MODEL_ID);
    return p; // the debug UI's lazy wrapper around ours
  }

  @Test
  void leavesAreLabelledByPathTypeAndValueWithARedNaNBadge() {
    IDebugModelPresentation p = presentation();
    StateNode params = params(2);
    LeafVariable group = new LeafVariable(null, params);
    LeafVariable weight = new LeafVariable(null, StateNode.find(List.of(params), "out:params.weight"));
    LeafVariable bias = new LeafVariable(null, StateNode.find(List.of(params), "out:params.bias"));
    double norm = weight.node().sample().norm();

    assertEquals("params.weight  f32(32, 1)  ‖·‖ " + dev.statelens.debugger.model.Format.num(norm) + "  ⚠ 2 NaN",
        p.getText(weight));
    assertEquals("params.bias  f32()  0.125", p.getText(bias));
    assertEquals("params  pytree, 2 leaves  ⚠ 2 NaN/Inf", p.getText(group));

    // NaN leaves (and groups holding one) are red, with the badge on their icon
    IColorProvider colors = (IColorProvider) p;
    // the state tree's colour for a bad value (ThemeColors.badText), here the light theme's
    assertEquals(dev.statelens.debugger.ui.ThemeColors.LIGHT.badText().getRGB(),
        Ui.call(() -> colors.getForeground(weight).getRGB()));
    assertNull(Ui.call(() -> colors.getForeground(bias)));
    // the Variables view labels off the UI thread unless asked not to, and off it the workbench's
    // theme cannot be read: a red leaf's label is asked for on the UI thread, any other one is not
    var labelling = (org.eclipse.debug.ui.IDebugModelPresentationExtension) p;
    assertTrue(labelling.requiresUIThread(weight), "a NaN leaf's theme-dependent red is read on the UI thread");
    assertFalse(labelling.requiresUIThread(bias), "a finite leaf's label stays in the background job");
    Image badged = p.getImage(weight);
    Image clean = p.getImage(new LeafVariable(null, StateNode.find(List.of(params(0)), "out:params.weight")));
    assertNotNull(badged);
    assertNotNull(clean);
    assertNotEquals(clean, badged, "a leaf with NaN gets the badged icon");
    assertEquals(16, Ui.call(() -> badged.getBounds().width));
    assertNotEquals(p.getImage(bias), clean, "scalars and arrays have their own icons");
  }

  @Test
  void detailPaneShowsStatisticsCountsAndTheFirstValues() {
    IDebugModelPresentation p = presentation();
    StateNode params = params(2);
    LeafVariable weight = new LeafVariable(null, StateNode.find(List.of(params), "out:params.weight"));
    AtomicReference<String> detail = new AtomicReference<>();
    p.computeDetail(weight, (value, text) -> detail.set(text));
    String[] lines = detail.get().split("\n");
    assertEquals("params.weight  f32(32, 1), 32 elements", lines[0]);
    assertEquals("mean 0.25  std 0.5", lines[1]);
    assertTrue(lines[2].startsWith("min -1  max 2  ‖·‖ "), lines[2]);
    assertEquals("NaN 2  Inf 0", lines[3]);
    assertTrue(lines[4].startsWith("first 16 of 32 values: [nan, nan, -1.75, -1.625, "), lines[4]);
    assertTrue(lines[4].endsWith(", -0.125, …]"), lines[4]);

    // a one-element leaf: its value instead of statistics
    LeafVariable bias = new LeafVariable(null, StateNode.find(List.of(params), "out:params.bias"));
    p.computeDetail(bias, (value, text) -> detail.set(text));
    assertEquals("params.bias  f32(), 1 element\nvalue 0.125\nNaN 0  Inf 0", detail.get());

    // a group lists its leaves
    p.computeDetail(new LeafVariable(null, params), (value, text) -> detail.set(text));
    assertEquals(3, detail.get().split("\n").length, detail.get());
    assertTrue(detail.get().contains("\nparams.bias  f32()  0.125"), detail.get());
    // no editor for a training frame's state
    assertNull(p.getEditorInput(weight));
  }

  @Test
  void launchTypeImageAndShortcutAreContributed() {
    IConfigurationElement presentation = Arrays.stream(Platform.getExtensionRegistry()
            .getConfigurationElementsFor("org.eclipse.debug.ui.debugModelPresentations"))
        .filter(e -> RunDebugTarget.MODEL_ID.equals(e.getAttribute("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no debug model presentation for " + RunDebugTarget.MODEL_ID));
    assertEquals(RunModelPresentation.class.getName(), presentation.getAttribute("class"));
    assertNotNull(DebugUITools.getImage(TrainingLaunchDelegate.TYPE_ID), "launchConfigurationTypeImages entry");
    IConfigurationElement shortcut = Arrays.stream(Platform.getExtensionRegistry()
            .getConfigurationElementsFor("org.eclipse.debug.ui.launchShortcuts"))
        .filter(e -> "dev.statelens.debugger.training.shortcut".equals(e.getAttribute("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("the StateLens Training launch shortcut is not registered"));
    assertEquals("StateLens Training", shortcut.getAttribute("label"));
    assertEquals(List.of("run", "debug"), Arrays.stream(shortcut.getAttribute("modes").split(",")).map(String::trim).toList());
    assertEquals(TrainingLaunchDelegate.TYPE_ID, shortcut.getChildren("configurationType")[0].getAttribute("id"));
    // File > Open StateLens Run… carries the Runs view's Open Run… icon (it had none)
    IConfigurationElement openRun = Arrays.stream(Platform.getExtensionRegistry()
            .getConfigurationElementsFor("org.eclipse.ui.menus"))
        .flatMap(c -> Arrays.stream(c.getChildren("command")))
        .filter(c -> "dev.statelens.debugger.openRun".equals(c.getAttribute("commandId"))).findFirst()
        .orElseThrow(() -> new AssertionError("File > Open StateLens Run… is not contributed"));
    assertEquals("icons/open_run.png", openRun.getAttribute("icon"));
    assertNotNull(Platform.getBundle("dev.statelens.debugger").getEntry("icons/open_run.png"), "the icon is in the bundle");
  }
}
