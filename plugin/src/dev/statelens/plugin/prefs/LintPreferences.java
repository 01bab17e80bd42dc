package dev.statelens.plugin.prefs;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.Rule;
import dev.statelens.lint.Severity;
import dev.statelens.plugin.StateLensPlugin;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ProjectScope;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.preferences.DefaultScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.IScopeContext;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * StateLens settings: rule on/off and severity, per workspace (instance scope) and per project
 * (project scope, stored in {@code .settings/dev.statelens.plugin.prefs} so a team shares it).
 * A project uses its own values only when {@link #PROJECT_SPECIFIC} is set, as JDT does.
 */
public final class LintPreferences {

  public static final String NODE = StateLensPlugin.PLUGIN_ID;
  /** Project scope: the project's rule settings override the workspace's. */
  public static final String PROJECT_SPECIFIC = "projectSpecific";
  /** Project scope: lint this project even if the engine is not on its classpath. */
  public static final String ALWAYS_CHECK = "alwaysCheck";

  private LintPreferences() {}

  public static String enabledKey(Rule rule) {
    return "rule." + rule.id() + ".enabled";
  }

  public static String severityKey(Rule rule) {
    return "rule." + rule.id() + ".severity";
  }

  /** Keys the project-specific switch covers (cleared from the project when it is turned off). */
  public static List<String> ruleKeys() {
    return java.util.Arrays.stream(Rule.values())
        .flatMap(r -> java.util.stream.Stream.of(enabledKey(r), severityKey(r))).toList();
  }

  public static IEclipsePreferences workspace() {
    return InstanceScope.INSTANCE.getNode(NODE);
  }

  public static IEclipsePreferences defaults() {
    return DefaultScope.INSTANCE.getNode(NODE);
  }

  public static IEclipsePreferences project(IProject project) {
    return new ProjectScope(project).getNode(NODE);
  }

  public static boolean isProjectSpecific(IProject project) {
    return project != null && project(project).getBoolean(PROJECT_SPECIFIC, false);
  }

  public static boolean alwaysCheck(IProject project) {
    return project != null && project(project).getBoolean(ALWAYS_CHECK, false);
  }

  /** Scopes to read rule settings from for this project, most specific first. */
  private static IScopeContext[] scopes(IProject project) {
    if (isProjectSpecific(project)) {
      return new IScopeContext[] {new ProjectScope(project), InstanceScope.INSTANCE, DefaultScope.INSTANCE};
    }
    return new IScopeContext[] {InstanceScope.INSTANCE, DefaultScope.INSTANCE};
  }

  public static boolean isEnabled(IProject project, Rule rule) {
    return Platform.getPreferencesService()
        .getBoolean(NODE, enabledKey(rule), true, scopes(project));
  }

  public static Severity severity(IProject project, Rule rule) {
    String text = Platform.getPreferencesService()
        .getString(NODE, severityKey(rule), rule.defaultSeverity().label(), scopes(project));
    try {
      return Severity.parse(text);
    } catch (IllegalArgumentException bad) {
      StateLensPlugin.log("StateLens preference " + severityKey(rule) + " has value '" + text
          + "'; using " + rule.defaultSeverity().label() + ". Set it to error, warning or info.", bad);
      return rule.defaultSeverity();
    }
  }

  /** The lint configuration these settings describe (classpath filled in by the caller). */
  public static LintConfig config(IProject project) {
    Set<Rule> enabled = EnumSet.noneOf(Rule.class);
    Map<Rule, Severity> severities = new EnumMap<>(Rule.class);
    for (Rule rule : Rule.values()) {
      if (isEnabled(project, rule)) {
        enabled.add(rule);
      }
      severities.put(rule, severity(project, rule));
    }
    return new LintConfig(enabled, severities, List.of(), true);
  }

  /** Writes one rule's setting to a node (workspace or project) and flushes it to disk. */
  public static void set(IEclipsePreferences node, Rule rule, boolean enabled, Severity severity) {
    node.putBoolean(enabledKey(rule), enabled);
    node.put(severityKey(rule), severity.label());
    flush(node);
  }

  public static void flush(IEclipsePreferences node) {
    try {
      node.flush();
    } catch (BackingStoreException e) {
      StateLensPlugin.log("Cannot save StateLens preferences (" + node.absolutePath() + ")", e);
    }
  }

  static String label(Severity s) {
    return s.label().substring(0, 1).toUpperCase(Locale.ROOT) + s.label().substring(1);
  }
}
