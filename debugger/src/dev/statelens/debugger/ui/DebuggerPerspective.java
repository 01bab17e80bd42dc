package dev.statelens.debugger.ui;

import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The StateLens perspective: the State Flow view large (Compare Runs opens in its stack); runs,
 * Debug and Variables views on the left;
 * below it, once they open, the editors (Go to Source and a paused frame open the step function
 * there) beside the Console, so a launched program's output never covers the State Flow view.
 */
public final class DebuggerPerspective implements IPerspectiveFactory {
  public static final String ID = "dev.statelens.debugger.perspective";
  static final String CONSOLE_VIEW = "org.eclipse.ui.console.ConsoleView";
  /** The State Flow view's stack (Compare Runs opens in it). */
  static final String MAIN_FOLDER = "dev.statelens.debugger.main";

  @Override
  public void createInitialLayout(IPageLayout layout) {
    String editors = layout.getEditorArea();
    // the State Flow view gets the whole height until an editor or the Console opens below it
    layout.setEditorAreaVisible(false);
    // the Console (every launch opens it) takes 18%: at 0.78 the three charts beside the state tree
    // got 122 pixels each at 1600x1000, too short for a plot under a title and a note
    // Compare Runs opens stacked with the State Flow view: its charts need the same room
    IFolderLayout main = layout.createFolder(MAIN_FOLDER, IPageLayout.TOP, 0.82f, editors);
    main.addView(StateFlowView.ID);
    main.addPlaceholder(CompareView.ID);
    layout.createPlaceholderFolder("dev.statelens.debugger.console", IPageLayout.RIGHT, 0.5f, editors)
        .addPlaceholder(CONSOLE_VIEW);
    IFolderLayout side = layout.createFolder("dev.statelens.debugger.side", IPageLayout.LEFT, 0.22f, MAIN_FOLDER);
    side.addView(RunsView.ID);
    side.addView(IDebugUIConstants.ID_DEBUG_VIEW);
    IFolderLayout vars = layout.createFolder("dev.statelens.debugger.vars", IPageLayout.BOTTOM, 0.5f,
        "dev.statelens.debugger.side");
    vars.addView(IDebugUIConstants.ID_VARIABLE_VIEW);
    layout.addShowViewShortcut(StateFlowView.ID);
    layout.addShowViewShortcut(RunsView.ID);
    layout.addShowViewShortcut(CompareView.ID);
    layout.addShowViewShortcut(CONSOLE_VIEW);
    // the Run menu and the toolbar's Run and Debug buttons (Debug As > StateLens Training, Run
    // Configurations…), as the Java and Debug perspectives have them: without them the views'
    // hints named a Run menu this perspective did not show until a launch made one
    layout.addActionSet(IDebugUIConstants.LAUNCH_ACTION_SET);
    layout.addActionSet(IDebugUIConstants.DEBUG_ACTION_SET);
    layout.addPerspectiveShortcut("org.eclipse.jdt.ui.JavaPerspective");
    layout.addPerspectiveShortcut(IDebugUIConstants.ID_DEBUG_PERSPECTIVE);
  }
}
