package dev.statelens.plugin.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.fix.FixId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place the plugin turns a finding's fix id into source changes. Each fix is the lint
 * module's headless rewrite where it has one, so the IDE, the CLI and the tests agree on what a
 * fix produces.
 */
public final class LintFixes {

  private LintFixes() {}

  /** The fixes of a finding that can be applied, in the order the finding lists them. */
  public static List<FixId> available(Finding finding) {
    List<FixId> out = new ArrayList<>();
    for (String id : finding.fixIds()) {
      try {
        FixId fix = FixId.parse(id);
        if (supported(fix)) {
          out.add(fix);
        }
      } catch (IllegalArgumentException unknown) {
        // a newer lint with a fix this plugin does not know yet: not offered
      }
    }
    if (!out.contains(FixId.SUPPRESS)) {
      out.add(FixId.SUPPRESS); // every finding can be suppressed
    }
    return out;
  }

  static boolean supported(FixId fix) {
    return fix == FixId.SUPPRESS;
  }

  /**
   * Computes a fix.
   *
   * @param texts the analyzed texts by path (editor buffers included)
   * @return the changed files; empty when the fix does not apply here
   */
  public static List<FileChange> compute(FixId fix, Finding finding, Map<Path, String> texts) {
    String source = texts.get(finding.file());
    if (source == null) {
      return List.of();
    }
    String changed = switch (fix) {
      case SUPPRESS -> SuppressRewrite.apply(source, finding.range().offset(),
          finding.range().length(), finding.rule());
      default -> null;
    };
    return changed == null || changed.equals(source)
        ? List.of() : List.of(new FileChange(finding.file(), source, changed));
  }
}
