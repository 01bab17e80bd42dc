package dev.statelens.debugger.prefs;

import dev.statelens.debugger.DebuggerPlugin;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * The workspace's default backend for StateLens Training launches (Window &gt; Preferences &gt;
 * Java &gt; StateLens &gt; Debugger). A launch's backend resolves: its own setting (StateLens tab) &gt; this
 * preference &gt; {@code STATELENS_BACKEND} &gt; cpu. The first two are passed as
 * {@code -Dstatelens.backend}; without them the launched JVM reads {@code STATELENS_BACKEND} itself.
 */
public final class BackendPreference {
  private BackendPreference() {}

  /** Preference key in the instance scope of {@link DebuggerPlugin#ID}; absent = not set. */
  public static final String KEY = "defaultBackend";
  /** The values a backend setting may take ({@code statelens.backend}). */
  public static final List<String> BACKENDS = List.of("cpu", "auto", "cuda", "rocm");
  /** How {@link #BACKENDS} read in a choice (the preference page's and the StateLens tab's). */
  private static final List<String> LABELS = List.of("cpu", "auto (a GPU when one works, else cpu)",
      "cuda (NVIDIA; fails without one)", "rocm (AMD; fails without one)");

  /** A combo's values: "" (no setting of its own) then {@link #BACKENDS}. */
  public static List<String> choices() {
    return Stream.concat(Stream.of(""), BACKENDS.stream()).toList();
  }

  /** The labels of {@link #choices()}: {@code unsetLabel} for "", then each backend in words. */
  public static String[] choiceLabels(String unsetLabel) {
    return Stream.concat(Stream.of(unsetLabel), LABELS.stream()).toArray(String[]::new);
  }
  /** Where the preference is edited, as the tab's label names it. */
  public static final String PAGE_PATH = "Preferences > Java > StateLens > Debugger";

  /** What a launch that leaves its backend at "default" runs on, and why. */
  public record Resolved(String backend, String source) {
    /** "auto (Preferences > Java > StateLens > Debugger)", "rocm (STATELENS_BACKEND)", "cpu". */
    public String describe() {
      return source == null ? backend : backend + " (" + source + ")";
    }
  }

  private static IEclipsePreferences node() {
    return InstanceScope.INSTANCE.getNode(DebuggerPlugin.ID);
  }

  /** The preference: cpu, auto, cuda or rocm; "" when not set (or set to something unknown). */
  public static String get() {
    String v = node().get(KEY, "").trim();
    return BACKENDS.contains(v) ? v : "";
  }

  /** Sets the preference ("" or null clears it) and saves it. */
  public static void set(String backend) {
    String v = backend == null ? "" : backend.trim();
    if (!v.isEmpty() && !BACKENDS.contains(v)) {
      throw new IllegalArgumentException("backend '" + v + "' is not one of " + BACKENDS + " (or empty for none)");
    }
    if (v.isEmpty()) {
      node().remove(KEY);
    } else {
      node().put(KEY, v);
    }
    try {
      node().flush();
    } catch (BackingStoreException e) {
      DebuggerPlugin.log("cannot save the default backend preference", e);
    }
  }

  /** What "default" means now: the preference, else STATELENS_BACKEND (this IDE's environment), else cpu. */
  public static Resolved forDefault() {
    String pref = get();
    if (!pref.isEmpty()) {
      return new Resolved(pref, PAGE_PATH);
    }
    String env = System.getenv("STATELENS_BACKEND");
    if (env != null && !env.isBlank()) {
      return new Resolved(env.trim(), "STATELENS_BACKEND");
    }
    return new Resolved("cpu", null);
  }

  /**
   * The {@code -Dstatelens.backend} value for a launch: its own setting when it has one, else the
   * preference, else null (nothing passed: the JVM reads STATELENS_BACKEND, else runs on cpu).
   */
  public static String property(String launchSetting) {
    if (launchSetting != null && !launchSetting.isBlank()) {
      return launchSetting.trim();
    }
    String pref = get();
    return pref.isEmpty() ? null : pref;
  }
}
