package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.ir.Aval;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State threading of one jitted function, on the calling thread: which input leaf of call t is
 * (the very same array as) which output leaf of call t-1, and the stale-state bug, where a call
 * gets an old state instead of the state the previous call returned.
 *
 * <p>An input is state when it was once threaded by identity (learned), or when the function's
 * structure says so before any threading was seen: output child k has exactly the structure,
 * shapes and dtypes of argument k, an output leaf has the input leaf's path and aval, or the
 * whole result is shaped exactly like one argument.
 * Stale is reported for a learned state input that is not the previous output, and for a
 * structural one only when the previous call's input array is passed again (the update was
 * dropped) - so a gradient function whose outputs merely look like its inputs is not flagged.
 */
final class StateTracker {
  /** One stale input: its path, the output it should have been, and whether the old input was reused. */
  record Stale(String inPath, String outPath, boolean reused) {}

  /** The threading of one call. */
  record Result(int[] linkFrom, List<Stale> stale) {}

  // the previous call's leaf lists (immutable, kept as given: no copy per call); linear identity
  // scans beat hashing for the usual few leaves
  private List<Array> prevOut;
  private List<String> prevOutPaths;
  private java.util.IdentityHashMap<Array, Integer> prevOutIndex; // only for many leaves
  private List<Array> prevIn;
  private List<String> prevInPaths;
  private final Map<String, String> learned = new HashMap<>();
  /** {@link #learned} by input index for the inputs list {@link #learnedPaths} (the last graph's): no lookups per call. */
  private String[] learnedAt;
  private List<String> learnedPaths;
  private final Set<String> staleReported = new HashSet<>();
  private static final int LINEAR_LIMIT = 32;

  /** Output leaf index paired with each input leaf from the structure alone, or -1. */
  static int[] structuralPairs(TreeDef argsTree, List<Aval> inAvals, List<String> inPaths, TreeDef outTree,
      List<Aval> outAvals, List<String> outPaths) {
    int[] pairs = new int[inPaths.size()];
    java.util.Arrays.fill(pairs, -1);
    Map<String, Integer> outByPath = new HashMap<>();
    for (int j = 0; j < outPaths.size(); j++) {
      outByPath.put(outPaths.get(j), j);
    }
    for (int i = 0; i < inPaths.size(); i++) { // same path and aval
      Integer j = outByPath.get(inPaths.get(i));
      if (j != null && outAvals.get(j).equals(inAvals.get(i))) {
        pairs[i] = j;
      }
    }
    List<TreeDef> args = argsTree.children();
    List<TreeDef> outs = outTree.isLeaf() ? List.of() : outTree.children();
    int inOff = 0, outOff = 0;
    for (int k = 0; k < args.size(); k++) { // output child k shaped exactly like argument k
      int n = args.get(k).numLeaves();
      if (k < outs.size() && n > 0 && outs.get(k).equals(args.get(k))) {
        boolean same = true;
        for (int l = 0; l < n && same; l++) {
          same = outAvals.get(outOff + l).equals(inAvals.get(inOff + l));
        }
        if (same) {
          for (int l = 0; l < n; l++) {
            if (pairs[inOff + l] < 0) {
              pairs[inOff + l] = outOff + l;
            }
          }
        }
      }
      inOff += n;
      if (k < outs.size()) {
        outOff += outs.get(k).numLeaves();
      }
    }
    if (!outTree.isLeaf() && outPaths.size() > 0) { // the whole result shaped exactly like one argument
      int match = -1, off = 0, found = 0;
      for (int k = 0; k < args.size(); k++) {
        int n = args.get(k).numLeaves();
        if (args.get(k).equals(outTree) && inAvals.subList(off, off + n).equals(outAvals)) {
          match = off;
          found++;
        }
        off += n;
      }
      if (found == 1) {
        for (int l = 0; l < outPaths.size(); l++) {
          if (pairs[match + l] < 0) {
            pairs[match + l] = WHOLE + l;
          }
        }
      }
    }
    return pairs;
  }

  /**
   * Marks a pair from "the whole result is shaped like this argument": weaker evidence (a
   * gradient function looks like that too), so it is reported only when the call repeats the
   * previous call's inputs exactly.
   */
  static final int WHOLE = 1 << 24;

  /**
   * Threads one call. {@code pairs} is {@link #structuralPairs} for the call's graph.
   *
   * @return for each input, the previous call's output index it is, and the stale inputs
   */
  Result observe(List<Array> inputs, List<String> inPaths, List<Array> outputs, List<String> outPaths, int[] pairs) {
    int n = inputs.size();
    if (inPaths != learnedPaths) {
      learnedPaths = inPaths;
      learnedAt = new String[n];
      for (int i = 0; i < n; i++) {
        learnedAt[i] = learned.get(inPaths.get(i));
      }
    }
    int[] linkFrom = new int[n];
    List<Stale> stale = List.of();
    for (int i = 0; i < n; i++) {
      Array a = inputs.get(i);
      int j = prevOut == null ? -1 : indexOfPrevOut(a);
      linkFrom[i] = j;
      String inPath = inPaths.get(i);
      if (j >= 0) {
        String out = prevOutPaths.get(j);
        if (!out.equals(learnedAt[i])) {
          learned.put(inPath, out);
          learnedAt[i] = out;
        }
        continue;
      }
      if (prevOut == null) {
        continue;
      }
      String expected = learnedAt[i];
      boolean strong = expected != null;
      boolean whole = false;
      if (!strong && pairs[i] >= 0) {
        whole = pairs[i] >= WHOLE;
        expected = outPaths.get(whole ? pairs[i] - WHOLE : pairs[i]);
      }
      if (expected == null || !prevOutPaths.contains(expected)) {
        continue;
      }
      boolean reused = prevInput(inPaths, i) == a;
      if (strong || (reused && (!whole || repeated(inputs, inPaths)))) {
        if (stale.isEmpty()) {
          stale = new ArrayList<>();
        }
        stale.add(new Stale(inPath, expected, reused));
      }
    }
    prevOut = outputs;
    prevOutPaths = outPaths;
    prevOutIndex = null;
    if (prevOut.size() > LINEAR_LIMIT) {
      prevOutIndex = new java.util.IdentityHashMap<>(prevOut.size() * 2);
      for (int j = 0; j < prevOut.size(); j++) {
        prevOutIndex.put(prevOut.get(j), j);
      }
    }
    prevIn = inputs;
    prevInPaths = inPaths;
    return new Result(linkFrom, stale);
  }

  private int indexOfPrevOut(Array a) {
    if (prevOutIndex != null) {
      Integer j = prevOutIndex.get(a);
      return j == null ? -1 : j;
    }
    for (int j = 0, n = prevOut.size(); j < n; j++) {
      if (prevOut.get(j) == a) {
        return j;
      }
    }
    return -1;
  }

  /** The array the previous call got at input i's path (same graph: same index), or null. */
  private Array prevInput(List<String> inPaths, int i) {
    if (prevIn == null) {
      return null;
    }
    if (inPaths == prevInPaths) {
      return prevIn.get(i);
    }
    int k = prevInPaths.indexOf(inPaths.get(i));
    return k < 0 ? null : prevIn.get(k);
  }

  /** Whether every input is the very array the previous call got at the same path. */
  private boolean repeated(List<Array> inputs, List<String> inPaths) {
    for (int i = 0; i < inputs.size(); i++) {
      if (prevInput(inPaths, i) != inputs.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** True the first time {@code inPath} is reported stale (events are raised once per leaf). */
  boolean firstStale(String inPath) {
    return staleReported.add(inPath);
  }
}
