package dev.statelens.engine.record.store;

import java.util.List;

/**
 * A compiled graph: the jaxpr text and its structure (JSON, see run-store.md), and which inputs
 * are state (some call's input was, by identity, the previous call's output) and which outputs
 * became the next call's state; and per top-level equation the user's line that made it
 * ({@code eqnSources}, entries null where unknown; empty for runs recorded without them).
 */
public record GraphInfo(int id, String function, int traceIndex, long firstSeq, String signature,
    List<String> inPaths, List<String> outPaths, String irText, String structure,
    List<String> stateInputs, List<String> stateOutputs, List<EqnSource> eqnSources) {}
