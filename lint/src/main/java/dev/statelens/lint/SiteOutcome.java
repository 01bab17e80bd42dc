package dev.statelens.lint;

import java.util.List;
import java.util.Set;

/**
 * What the analysis of one transform site produced, kept so that the next saved edit of its file
 * can reuse it when the edit cannot change it.
 *
 * @param callOffset where the transform call starts
 * @param member the member of the file holding the call, or -1 (skeleton, or not recorded)
 * @param jitKind whether the call is a {@code jit} (so it makes an inner transform traced)
 * @param underJit whether the site was analyzed as traced by jit
 * @param nestedTarget where the inner transform call of {@code jit(grad(f))} starts, or -1
 * @param members the members of the file whose code the analysis read; null when unknown (the
 *     analysis failed, or nobody recorded it): never reused then
 * @param candidates its findings before suppression, in the order they were found
 * @param notices its notices (what it could not analyze)
 */
record SiteOutcome(int callOffset, int member, boolean jitKind, boolean underJit,
    int nestedTarget, Set<Integer> members, List<Finding> candidates, List<Notice> notices) {

  SiteOutcome {
    members = members == null ? null : Set.copyOf(members);
    candidates = List.copyOf(candidates);
    notices = List.copyOf(notices);
  }
}
