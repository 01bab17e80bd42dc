package dev.statelens.engine.trace;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notices a jit created anew each step. A {@code Transforms.jit} wrapper owns its compile cache,
 * so {@code for (...) { var step = Transforms.jit(this::step); s = step.apply(s); }} traces and
 * compiles on every iteration. Per creation site ({@link JitFunction#jitSite()}) this remembers the
 * latest wrapper made there; a new wrapper whose predecessor from the site was dropped after a few
 * calls continues it, and when it traces a signature the predecessor had compiled already, to the
 * same graph, that trace is a retrace with reason "jit created anew at Foo.java:12". At the second such retrace of a
 * site (the third wrapper) one warning per site goes to the {@link System.Logger} of this class.
 *
 * <p>Only jit creation (one map lookup beside the creation-site stack walk) and a wrapper's first
 * trace do work here; cache hits never do. Wrappers are held weakly: nothing captured leaks.
 */
final class JitSites {
  private static final System.Logger LOG = System.getLogger(JitSites.class.getName());

  /** A predecessor dropped after at most this many calls counts as re-created, not as a second user. */
  static final int SHORT_LIVED_CALLS = 3;
  /** The retrace from a site's re-created jit that logs the warning: the second (the third wrapper). */
  static final int WARN_AT_RETRACE = 2;
  /** Sites tracked at most (generated code could create jits at unbounded sites); later sites are not. */
  private static final int MAX_SITES = 4096;

  private static final ConcurrentHashMap<CodeSite, Site> SITES = new ConcurrentHashMap<>();

  private JitSites() {}

  /** The entry of {@code site}, null when it is unknown or too many sites are tracked. */
  static Site of(CodeSite site) {
    if (site == null) {
      return null;
    }
    Site s = SITES.get(site);
    if (s == null && SITES.size() < MAX_SITES) {
      s = SITES.computeIfAbsent(site, Site::new);
    }
    return s;
  }

  /** One creation site: its latest wrapper and how often a wrapper made there retraced its predecessor's work. */
  static final class Site {
    private final CodeSite site;
    private final AtomicReference<WeakReference<JitFunction>> latest = new AtomicReference<>();
    private final AtomicInteger retraces = new AtomicInteger();
    private final AtomicBoolean warned = new AtomicBoolean();

    private Site(CodeSite site) {
      this.site = site;
    }

    /**
     * Makes {@code created} the site's latest wrapper; returns the previous one (weakly) when it was
     * short-lived (called at least once, at most {@link #SHORT_LIVED_CALLS} times) and has the same
     * explicit name, else null. A wrapper never called, or called often, is a second user of the
     * site (one jit per model object, say), and one named otherwise a different function made by
     * the same helper: neither is a re-creation.
     */
    WeakReference<JitFunction> replaceLatest(JitFunction created) {
      WeakReference<JitFunction> before = latest.getAndSet(new WeakReference<>(created));
      JitFunction f = before == null ? null : before.get();
      if (f == null || !java.util.Objects.equals(f.explicitName(), created.explicitName())) {
        return null;
      }
      long calls = f.callCount();
      return calls >= 1 && calls <= SHORT_LIVED_CALLS ? before : null;
    }

    /**
     * {@code f}, created anew here, traced a signature its predecessor had compiled: counts it,
     * warns once per site, and returns the retrace reason.
     */
    String retraced(JitFunction f) {
      int n = retraces.incrementAndGet();
      if (n >= WARN_AT_RETRACE && warned.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, () -> warning(f.name(), n + 1));
      }
      return "jit created anew at " + site.location() + " (its cache starts empty; the jit made there before had"
          + " compiled this signature)";
    }

    private String warning(String name, int wrappers) {
      return "statelens: jit(" + name + ") is created anew at " + site + " and traced and compiled again each"
          + " time: " + wrappers + " jits made there compiled the same input signature, and each Transforms.jit"
          + " has its own compile cache. Create the jit once: a field, or before the loop, and call that one"
          + " (values that change go in as arguments). Logged once for this site.";
    }
  }
}
