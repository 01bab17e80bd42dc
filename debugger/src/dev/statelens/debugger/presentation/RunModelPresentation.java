package dev.statelens.debugger.presentation;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.HintVariable;
import dev.statelens.debugger.launch.LeafVariable;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.launch.RunThread;
import dev.statelens.debugger.launch.StateFrame;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.StateNode;
import dev.statelens.debugger.ui.Images;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IDebugModelPresentationExtension;
import org.eclipse.debug.ui.IValueDetailListener;
import org.eclipse.jface.viewers.IColorProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IEditorInput;

/**
 * How a live training run looks in the Debug and Variables views (registered for
 * {@link RunDebugTarget#MODEL_ID} in plugin.xml): the target by run file and connection, the
 * training loop as a running/paused thread ({@code update — paused before step 37}), the paused jitted
 * call as the frame ({@code update(step 37) — 3 state leaves}), and each state leaf by path with
 * dtype, shape and value or norm, red with a NaN badge when it holds NaN/Inf — the same words as
 * the State Flow view's tree ({@link Format}). The detail pane shows a leaf's statistics and first
 * values. A frame's source (the step function at its recorded line) is shown by the frame's own
 * {@link dev.statelens.debugger.launch.FrameSourceDisplay}, not through an editor input here.
 */
public final class RunModelPresentation extends LabelProvider
    implements IDebugModelPresentation, IDebugModelPresentationExtension, IColorProvider {
  private final Map<String, Object> attributes = new HashMap<>();

  @Override
  public void setAttribute(String attribute, Object value) {
    attributes.put(attribute, value); // no display options of ours (variable type names are always shown)
  }

  @Override
  public String getText(Object element) {
    try {
      return switch (element) {
        case RunDebugTarget t -> targetText(t);
        case RunThread t -> t.getName();
        case StateFrame f -> frameText(f);
        case LeafVariable v -> variableText(v.node());
        case HintVariable h -> h.getName() + " " + h.hint();
        default -> null; // not ours: the default label
      };
    } catch (DebugException e) {
      DebuggerPlugin.log("cannot label " + element, e);
      return null;
    }
  }

  /** "training.db (connected, port 40123)", "&lt;terminated&gt; training.db (finished)": short, the Debug view is narrow. */
  static String targetText(RunDebugTarget t) {
    LiveSession s = t.session();
    String name = s.run().name();
    return switch (s.state()) {
      case WAITING -> name + " (waiting for the program to connect, port " + s.port() + ")";
      case RUNNING, PAUSED -> name + " (connected, port " + s.port() + ")";
      case TERMINATED -> "<terminated> " + name + " (" + s.label() + ")";
    };
  }

  /** "update(step 37) — 3 state leaves": the call the program is paused before and the state it gets. */
  static String frameText(StateFrame f) throws DebugException {
    if (f.function() == null) {
      return "before the first jitted call";
    }
    String call = f.atExit() ? f.function() + " after its last call, step " + (f.step() - 1) + " (program end)"
        : f.function() + "(step " + f.step() + ")";
    if (f.step() <= 0) {
      return call + " — not run yet"; // short: the Debug view is narrow; the Variables view says what to do
    }
    int leaves = f.leafCount();
    return call + " — " + leaves + " state lea" + (leaves == 1 ? "f" : "ves");
  }

  /** "params.weight  f32(32, 1)  ‖·‖ 3.21  ⚠ 2 NaN" (leaf) or "params  pytree, 2 leaves" (group). */
  static String variableText(StateNode n) {
    if (!n.isLeaf()) {
      long bad = n.nonFinite();
      return n.path() + "  pytree, " + n.leaves().size() + " lea" + (n.leaves().size() == 1 ? "f" : "ves")
          + (bad > 0 ? "  ⚠ " + bad + " NaN/Inf" : "");
    }
    String badges = Format.badges(n.sample());
    return n.path() + "  " + Format.type(n.sample()) + "  " + Format.brief(n.sample())
        + (badges.isEmpty() ? "" : "  ⚠ " + badges);
  }

  @Override
  public Image getImage(Object element) {
    return switch (element) {
      case RunDebugTarget t -> t.isTerminated() ? Images.greyed(Images.TRAINING) : Images.icon(Images.TRAINING);
      case RunThread t -> Images.icon(switch (t.session().state()) {
        case PAUSED -> Images.THREAD_PAUSED;
        case TERMINATED -> Images.THREAD_FINISHED;
        case WAITING, RUNNING -> Images.THREAD_RUNNING;
      });
      case StateFrame f -> Images.icon(Images.FRAME);
      case LeafVariable v -> variableImage(v.node());
      case HintVariable h -> org.eclipse.ui.PlatformUI.getWorkbench().getSharedImages()
          .getImage(org.eclipse.ui.ISharedImages.IMG_OBJS_INFO_TSK);
      default -> null;
    };
  }

  private static Image variableImage(StateNode n) {
    String name = !n.isLeaf() ? Images.GROUP : n.sample().size() == 1 ? Images.SCALAR : Images.LEAF;
    return n.nonFinite() > 0 ? Images.withNaNBadge(name) : Images.icon(name);
  }

  @Override
  public Color getForeground(Object element) {
    if (!holdsNonFinite(element)) {
      return null;
    }
    // the state tree's red for the same leaf, light or dark as the workbench is
    return dev.statelens.debugger.ui.ThemeColors.ofWorkbench().badText();
  }

  @Override
  public Color getBackground(Object element) {
    return null;
  }

  /**
   * A NaN/Inf leaf's label on the UI thread: its red follows the workbench window's theme
   * ({@link #getForeground}), which only the UI thread may read. The Variables view labels in a
   * background job otherwise, where the colour fell back to the light theme's dark red, on the dark
   * theme's grey too. Every other label stays off the UI thread.
   */
  @Override
  public boolean requiresUIThread(Object element) {
    return holdsNonFinite(element);
  }

  private static boolean holdsNonFinite(Object element) {
    return element instanceof LeafVariable v && v.node().nonFinite() > 0;
  }

  /** The Variables view's detail pane: a leaf's statistics and first values, or a group's leaves. */
  @Override
  public void computeDetail(IValue value, IValueDetailListener listener) {
    listener.detailComputed(value, value instanceof LeafVariable v ? detail(v.node())
        : value instanceof HintVariable h ? h.hint() : null);
  }

  static String detail(StateNode n) {
    if (n.isLeaf()) {
      return Format.detail(n.path(), n.sample());
    }
    StringBuilder b = new StringBuilder(variableText(n));
    for (StateNode leaf : n.leaves()) {
      b.append('\n').append(variableText(leaf));
    }
    return b.toString();
  }

  /** None: the Debug UI asks a frame's ISourceDisplay adapter first (FrameSourceDisplay), and a leaf has no editor. */
  @Override
  public IEditorInput getEditorInput(Object element) {
    return null;
  }

  @Override
  public String getEditorId(IEditorInput input, Object element) {
    return null;
  }
}
