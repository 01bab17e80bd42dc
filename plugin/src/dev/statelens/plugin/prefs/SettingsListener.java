package dev.statelens.plugin.prefs;

import dev.statelens.plugin.lint.ReanalyzeJob;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.preferences.IEclipsePreferences.IPreferenceChangeListener;
import org.eclipse.core.runtime.preferences.IEclipsePreferences.PreferenceChangeEvent;

/**
 * Re-analyzes when StateLens settings change: a workspace change re-lints every project, a
 * project change (its properties page, or a teammate's {@code .settings} file arriving through
 * version control) re-lints that project.
 */
public final class SettingsListener {

  private static final IPreferenceChangeListener WORKSPACE = SettingsListener::workspaceChanged;
  private static final Set<String> WATCHED_PROJECTS = ConcurrentHashMap.newKeySet();

  private SettingsListener() {}

  public static void start() {
    LintPreferences.workspace().addPreferenceChangeListener(WORKSPACE);
  }

  public static void stop() {
    LintPreferences.workspace().removePreferenceChangeListener(WORKSPACE);
    WATCHED_PROJECTS.clear();
  }

  /** Starts watching a project's settings (idempotent; called when StateLens first sees it). */
  public static void watch(IProject project) {
    if (project.isOpen() && WATCHED_PROJECTS.add(project.getName())) {
      LintPreferences.project(project).addPreferenceChangeListener(event -> projectChanged(project, event));
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
