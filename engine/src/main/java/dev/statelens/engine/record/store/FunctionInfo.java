package dev.statelens.engine.record.store;

import java.util.Optional;

/**
 * A recorded jitted function: its name, how many calls and graphs were recorded, and where it is
 * in the source (empty for runs recorded before schema version 2, and when the recorder could not
 * tell; see run-store.md).
 *
 * @param source the method the function ran when first traced ({@code step} for
 *     {@code Trainer::step}, {@code lambda$main$0} for a lambda), at the line of its first array
 *     operation
 * @param jitSite where {@code Transforms.jit} was called
 */
public record FunctionInfo(int id, String name, long calls, long lastStep, int graphs,
    Optional<SourceRef> source, Optional<SourceRef> jitSite) {

  public FunctionInfo {
    source = source == null ? Optional.empty() : source;
    jitSite = jitSite == null ? Optional.empty() : jitSite;
  }

  /** Without source information (a run recorded before schema version 2). */
  public FunctionInfo(int id, String name, long calls, long lastStep, int graphs) {
    this(id, name, calls, lastStep, graphs, Optional.empty(), Optional.empty());
  }
}
