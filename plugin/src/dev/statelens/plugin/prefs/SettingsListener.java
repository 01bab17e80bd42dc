package dev.statelens.plugin.prefs;

import dev.statelens.plugin.lint.ReanalyzeJob;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.IEclipsePreferences.IPreferenceChangeListener;
import org.eclipse.core.runtime.preferences.IEclipsePreferences.PreferenceChangeEvent;

/**
 * Re-analyzes when StateLens settings change: a workspace change re-lints every project, a
 * project change (its properties page, or a teammate's {@code .settings} file arriving through
 * version control) re-lints that project.
 */
public final class SettingsListener {

  private static final IPreferenceChangeListener WORKSPACE = SettingsListener::workspaceChanged;
  /**
   * The project settings nodes listened to, by identity: a project deleted and created again under
   * the same name gets a new node, which needs its own listener (a set of names missed it).
   */
  private static final Set<IEclipsePreferences> WATCHED_NODES =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private SettingsListener() {}

  public static void start() {
    LintPreferences.workspace().addPreferenceChangeListener(WORKSPACE);
  }

  public static void stop() {
    LintPreferences.workspace().removePreferenceChangeListener(WORKSPACE);
    WATCHED_NODES.clear();
  }

  /** Starts watching a project's settings (idempotent; called when StateLens first sees it). */
  public static void watch(IProject project) {
    if (!project.isOpen()) {
      return;
    }
    IEclipsePreferences node = LintPreferences.project(project);
    if (WATCHED_NODES.add(node)) {
      node.addPreferenceChangeListener(event -> projectChanged(project, event));
    }
  }

  private static void workspaceChanged(PreferenceChangeEvent event) {
    ReanalyzeJob.schedule(Set.of());
  }

  private static void projectChanged(IProject project, PreferenceChangeEvent event) {
    if (project.isOpen()) {
      ReanalyzeJob.schedule(Set.of(project));
    }
  }
}
