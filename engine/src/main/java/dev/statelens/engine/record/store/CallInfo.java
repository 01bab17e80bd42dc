package dev.statelens.engine.record.store;

/**
 * One recorded call: global sequence number, the function's own step, the graph that ran, whether
 * it compiled (and why it retraced), timing, how many stale state inputs it had, and its error.
 */
public record CallInfo(long seq, String function, long step, Integer graphId, boolean compiled,
    String retraceReason, long startNanos, long wallNanos, int stale, String error) {}
