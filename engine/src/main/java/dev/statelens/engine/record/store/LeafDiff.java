package dev.statelens.engine.record.store;

/**
 * How one leaf changed between two steps. {@code exact} when both steps hold all values (then
 * {@code changed} means some element differs, and the deltas are over elements); otherwise the
 * deltas compare the recorded statistics ({@code deltaNorm} = |norm_b - norm_a|). An element that
 * became (or stopped being) ±Inf makes {@code maxAbsDelta}, {@code deltaNorm} and
 * {@code relativeChange} infinite; one that became or was NaN, NaN (when no element went to Inf).
 *
 * @param relativeChange deltaNorm / norm of a (infinite when a's norm is 0 and something changed,
 *     or when the change itself is infinite)
 */
public record LeafDiff(String role, String path, boolean exact, boolean changed, double maxAbsDelta,
    double deltaNorm, double relativeChange, LeafSample a, LeafSample b) {}
