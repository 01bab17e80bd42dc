package dev.statelens.debugger.ui;

import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/** The StateLens perspective: the State Flow view large, runs, Debug and Variables views beside it. */
public final class DebuggerPerspective implements IPerspectiveFactory {
  public static final String ID = "dev.statelens.debugger.perspective";

  @Override
  public void createInitialLayout(IPageLayout layout) {
    String editors = layout.getEditorArea();
    layout.setEditorAreaVisible(false);
    layout.addView(StateFlowView.ID, IPageLayout.TOP, 0.95f, editors);
    IFolderLayout side = layout.createFolder("dev.statelens.debugger.side", IPageLayout.LEFT, 0.17f, StateFlowView.ID);
    side.addView(RunsView.ID);
    side.addView(IDebugUIConstants.ID_DEBUG_VIEW);
    IFolderLayout vars = layout.createFolder("dev.statelens.debugger.vars", IPageLayout.BOTTOM, 0.55f,
        "dev.statelens.debugger.side");
    vars.addView(IDebugUIConstants.ID_VARIABLE_VIEW);
    layout.addShowViewShortcut(StateFlowView.ID);
    layout.addShowViewShortcut(RunsView.ID);
  }
}
