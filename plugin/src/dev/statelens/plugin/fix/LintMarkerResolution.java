package dev.statelens.plugin.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.Rule;
import dev.statelens.lint.fix.FixId;
import dev.statelens.plugin.StateLensPlugin;
import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.plugin.lint.ProjectAnalysis;
import dev.statelens.plugin.lint.ProjectLinters;
import dev.statelens.plugin.lint.ProjectSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.ui.text.java.IJavaCompletionProposal;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.views.markers.WorkbenchMarkerResolution;

/**
 * One fix for StateLens markers; the Problems view offers it for every selected marker that
 * lists the same fix. Markers are fixed file by file, last position first, each against an
 * analysis of the file's current text (the project's kept linter, {@link ProjectLinters}), so
 * earlier fixes do not shift later ones.
 *
 * <p>Also an {@link IJavaCompletionProposal}, for its relevance only: Ctrl+1 in the editor lists a
 * saved file's marker resolutions through JDT's {@code MarkerResolutionProposal}, which ranks a
 * resolution by {@link #getRelevance()} when it is one, else gives every resolution the same rank
 * (then the list is alphabetical: "Suppress SL009…" came before "Use the result"). JDT still
 * applies it through {@link #run(IMarker)}.
 */
public final class LintMarkerResolution extends WorkbenchMarkerResolution implements IJavaCompletionProposal {

  private final FixId fix;
  private final Rule rule;
  /** The same fix as Ctrl+1 lists it for an unsaved buffer, for its label; null: the plain label only. */
  private final FixProposal inEditor;
  /** What {@link #inEditor} says this marker's fix writes, read once (a syntax-only parse of the file). */
  private volatile String editorLabel;
  /**
   * Set once a Quick Fix that applies one choice to several markers (the Problems view's) asked
   * {@link #findOtherMarkers} which others it fixes: from then on the plain label.
   */
  private volatile boolean forSeveralMarkers;

  LintMarkerResolution(FixId fix, Rule rule, FixProposal inEditor) {
    this.fix = fix;
    this.rule = rule;
    this.inEditor = inEditor;
  }

  /**
   * What this marker's fix writes, as Ctrl+1 labels the same fix on an unsaved buffer ({@link FixProposal}:
   * "Split the key before the draw at line 9 (…)"): JDT's Ctrl+1 and problem hover list a saved
   * file's marker resolutions under their labels. The Problems view's Quick Fix, which may apply
   * the choice to several markers, first asks {@link #findOtherMarkers} (every
   * {@link WorkbenchMarkerResolution} is asked that before its label is shown); from then on the
   * plain label ("Split the key"). This replaces looking for JDT's correction processor on the call
   * stack, which a rename in JDT would have broken silently.
   */
  @Override
  public String getLabel() {
    if (forSeveralMarkers || inEditor == null) {
      return new FixProposal(null, rule, 0, fix).getDisplayString();
    }
    String label = editorLabel;
    if (label == null) {
      editorLabel = label = inEditor.getDisplayString();
    }
    return label;
  }

  @Override
  public String getDescription() {
    return new FixProposal(null, rule, 0, fix).getAdditionalProposalInfo();
  }

  @Override
  public Image getImage() {
    return new FixProposal(null, rule, 0, fix).getImage();
  }

  /** The rank of the same fix in the editor's own list ({@link FixProposal}): the fix first, suppression last. */
  @Override
  public int getRelevance() {
    return new FixProposal(null, rule, 0, fix).getRelevance();
  }

  @Override
  public String getDisplayString() {
    return getLabel();
  }

  @Override
  public String getAdditionalProposalInfo() {
    return getDescription();
  }

  /** Not called: JDT runs a marker resolution through {@link #run(IMarker)}. */
  @Override
  public void apply(IDocument document) {}

  @Override
  public Point getSelection(IDocument document) {
    return null;
  }

  @Override
  public IContextInformation getContextInformation() {
    return null;
  }

  @Override
  public IMarker[] findOtherMarkers(IMarker[] markers) {
    forSeveralMarkers = true; // the Problems view asks: one choice for several markers, the plain label
    List<IMarker> others = new ArrayList<>();
    for (IMarker m : markers) {
      try {
        if (LintMarkers.PROBLEM.equals(m.getType()) && offers(m)) {
          others.add(m);
        }
      } catch (CoreException gone) {
        // deleted meanwhile
      }
    }
    return others.toArray(IMarker[]::new);
  }

  private boolean offers(IMarker m) {
    return LintMarkerResolutionGenerator.rule(m) != null
        && LintFixes.offered(LintMarkerResolutionGenerator.fixIds(m)).contains(fix)
        // SL010's rewrites are checked per marker, as for the one the user asked on
        && LintFixes.verifiedLabel(fix, LintMarkerResolutionGenerator.text(m),
            m.getAttribute(IMarker.CHAR_START, -1)) != null;
  }

  @Override
  public void run(IMarker marker) {
    run(new IMarker[] {marker}, null);
  }

  @Override
  public void run(IMarker[] markers, IProgressMonitor monitor) {
    Map<IFile, List<IMarker>> byFile = new LinkedHashMap<>();
    for (IMarker m : markers) {
      if (m.exists() && m.getResource() instanceof IFile file) {
        byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(m);
      }
    }
    SubMonitor progress = SubMonitor.convert(monitor, "StateLens: " + fix.label(), markers.length);
    for (Map.Entry<IFile, List<IMarker>> e : byFile.entrySet()) {
      List<IMarker> inFile = e.getValue();
      inFile.sort(Comparator.comparingInt((IMarker m) -> m.getAttribute(IMarker.CHAR_START, 0)).reversed());
      for (IMarker m : inFile) {
        try {
          fixOne(e.getKey(), m);
        } catch (CoreException | RuntimeException ex) {
          StateLensPlugin.log("StateLens quick fix '" + fix.label() + "' failed on "
              + e.getKey().getFullPath(), ex);
        }
        progress.worked(1);
      }
    }
  }

  private void fixOne(IFile file, IMarker marker) throws CoreException {
    Rule markerRule = LintMarkerResolutionGenerator.rule(marker);
    int offset = marker.getAttribute(IMarker.CHAR_START, -1);
    ICompilationUnit unit = JavaCore.createCompilationUnitFrom(file);
    Path path = ProjectSources.pathOf(file);
    // the unit's buffer: the editor's text when the file is open, else the file
    ProjectAnalysis analysis =
        ProjectLinters.withBuffer(unit.getJavaProject(), path, unit.getSource());
    Finding finding = analysis.find(path, markerRule, offset);
    if (finding == null) {
      return;
    }
    LintFixes.Result result = LintFixes.compute(fix, finding, analysis.texts());
    if (result.reason() != null) {
      throw new CoreException(org.eclipse.core.runtime.Status.warning(
          "StateLens: " + fix.label() + " does not apply here: " + result.reason()));
    }
    WorkingCopies.applyTogether(analysis.sources()::file, result.changes(), null);
    if (fix == FixId.SUPPRESS) {
      SuppressWarningsTokens.quietJdt(unit.getJavaProject());
    }
  }
}
