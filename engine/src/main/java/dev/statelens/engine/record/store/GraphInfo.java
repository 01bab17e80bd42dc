package dev.statelens.engine.record.store;

import java.util.List;

/**
 * A compiled graph: the jaxpr text and its structure (JSON, see run-store.md), and which inputs
 * are state (some call's input was, by identity, the previous call's output) and which outputs
 * became the next call's state.
 */
public record GraphInfo(int id, String function, int traceIndex, long firstSeq, String signature,
    List<String> inPaths, List<String> outPaths, String irText, String structure,
    List<String> stateInputs, List<String> stateOutputs) {}
