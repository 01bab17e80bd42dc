package dev.statelens.debugger.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.bindings.Binding;
import org.eclipse.jface.bindings.IBindingManagerListener;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IViewSite;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.keys.IBindingService;

/**
 * The State Flow view's commands and their keys (plugin.xml): while the view is the active part its
 * context "In the State Flow View" is active and F6 steps, Shift+F6 steps back, F8 resumes, F9
 * pauses, Ctrl+R runs to the step in the Live row, F7 runs to the next event, Alt+Shift+B breaks on
 * NaN and Alt+Shift+L breaks when the loss is above the Live row's threshold. The keys are the Debug
 * view's where the action is the same (F6 Step Over, F8 Resume, F7 Step Return runs to the next
 * recorded event there, Ctrl+R Run to Line). The context's parent is the debugging context, so in
 * the view these win over the Debug view's bindings for the same keys while a launch is debugged.
 * The view menu (⋮) lists the commands with their keys; the buttons' tooltips name them, as bound now.
 */
final class ViewKeys {
  static final String CONTEXT = "dev.statelens.debugger.stateFlowContext";
  static final String STEP = "dev.statelens.debugger.step";
  static final String STEP_BACK = "dev.statelens.debugger.stepBack";
  static final String RESUME = "dev.statelens.debugger.live.resume";
  static final String PAUSE = "dev.statelens.debugger.live.pause";
  static final String RUN_TO_STEP = "dev.statelens.debugger.live.runToStep";
  static final String BREAK_ON_NAN = "dev.statelens.debugger.live.breakOnNaN";
  static final String BREAK_WHEN_LOSS_ABOVE = "dev.statelens.debugger.live.breakWhenLossAbove";
  static final String BREAK_ON_EVENT = "dev.statelens.debugger.live.breakOnEvent";

  private ViewKeys() {}

  /** Activates the view's context while it is the active part (the site's service scopes it). */
  static void activateContext(IViewSite site) {
    site.getService(IContextService.class).activateContext(CONTEXT);
  }

  /** {@code commandId} runs {@code action} while the view is active and {@code enabled} holds (greyed in the menu otherwise). */
  static void handle(IViewSite site, String commandId, BooleanSupplier enabled, Runnable action) {
    site.getService(IHandlerService.class).activateHandler(commandId, new AbstractHandler() {
      @Override
      public Object execute(ExecutionEvent event) {
        if (enabled.getAsBoolean()) {
          action.run();
        }
        return null;
      }

      @Override
      public boolean isEnabled() {
        return enabled.getAsBoolean();
      }
    });
  }

  /**
   * "F6": the key bound to {@code commandId} in the view's context (as the user may have rebound it),
   * or null. A key the user removed (Preferences > Keys, Unbind: a user binding of that key to no
   * command) no longer counts.
   */
  static String key(String commandId) {
    IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
    if (bindings == null) {
      return null;
    }
    // one walk over every binding of the workbench (thousands): the command's bindings in the view's
    // context, and the keys the user unbound there
    java.util.Set<Object> removed = new java.util.HashSet<>();
    List<Binding> candidates = new ArrayList<>(2);
    for (Binding b : bindings.getBindings()) {
      if (!CONTEXT.equals(b.getContextId())) {
        continue;
      }
      if (b.getParameterizedCommand() == null) {
        if (b.getType() == Binding.USER) {
          removed.add(b.getTriggerSequence());
        }
      } else if (commandId.equals(b.getParameterizedCommand().getId())) {
        candidates.add(b);
      }
    }
    String key = null;
    for (Binding b : candidates) {
      if (!removed.contains(b.getTriggerSequence())) {
        key = b.getTriggerSequence().format();
        if (b.getType() == Binding.USER) {
          break; // the user's own binding before the default
        }
      }
    }
    return key;
  }

  /**
   * Gives {@code control} the tooltip {@link #tip}{@code (tip, commandId)} and keeps its key current:
   * the binding service tells when the bindings change (Preferences > Keys, Apply), and the tooltip is
   * written again — written once, it named the old key until the view was reopened.
   */
  static void keyedTip(Control control, String tip, String commandId) {
    control.setToolTipText(tip(tip, commandId));
    IBindingService bindings = PlatformUI.getWorkbench().getService(IBindingService.class);
    if (bindings == null) {
      return;
    }
    IBindingManagerListener rebound = event -> {
      if (!control.isDisposed()) {
        control.getDisplay().execute(() -> { // at once on the UI thread, else posted to it
          if (!control.isDisposed()) {
            control.setToolTipText(tip(tip, commandId));
          }
        });
      }
    };
    bindings.addBindingManagerListener(rebound);
    control.addListener(SWT.Dispose, e -> bindings.removeBindingManagerListener(rebound));
  }

  /** {@code tip} with the command's key after it: "Run one training step and pause (F6)". */
  static String tip(String tip, String commandId) {
    String key = key(commandId);
    return key == null ? tip : tip + " (" + key + ")";
  }
}
