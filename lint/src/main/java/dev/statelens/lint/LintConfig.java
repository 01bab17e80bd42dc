package dev.statelens.lint;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to check and how.
 *
 * @param rules the enabled rules
 * @param severities per-rule severity overrides (rules not listed keep their default)
 * @param classpath jars and class folders the analyzed sources compile against (the engine jar,
 *     libraries); used to resolve types. Without it types are matched by name.
 * @param resolveBindings whether to resolve types with JDT bindings for the files that contain
 *     transformed code (slower, more precise); names are used wherever types do not resolve
 */
public record LintConfig(
    Set<Rule> rules, Map<Rule, Severity> severities, List<Path> classpath, boolean resolveBindings) {

  public LintConfig {
    rules = rules.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(rules));
    severities = severities.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(severities));
    classpath = List.copyOf(classpath);
  }

  /** Every rule at its default severity, bindings on, no classpath. */
  public static LintConfig defaults() {
    return new LintConfig(EnumSet.allOf(Rule.class), Map.of(), List.of(), true);
  }

  public boolean enabled(Rule rule) {
    return rules.contains(rule);
  }

  public Severity severityOf(Rule rule) {
    return severities.getOrDefault(rule, rule.defaultSeverity());
  }

  public LintConfig withRules(Set<Rule> enabled) {
    return new LintConfig(enabled, severities, classpath, resolveBindings);
  }

  public LintConfig withSeverity(Rule rule, Severity severity) {
    Map<Rule, Severity> copy = new EnumMap<>(Rule.class);
    copy.putAll(severities);
    copy.put(rule, severity);
    return new LintConfig(rules, copy, classpath, resolveBindings);
  }

  public LintConfig withClasspath(List<Path> entries) {
    return new LintConfig(rules, severities, entries, resolveBindings);
  }

  public LintConfig withBindings(boolean resolve) {
    return new LintConfig(rules, severities, classpath, resolve);
  }
}
