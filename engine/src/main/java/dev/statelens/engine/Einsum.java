package dev.statelens.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jnp.einsum} lowered to existing primitives: per operand, repeated labels become a
 * diagonal (a strided slice) and labels used nowhere else are summed out; then the operands are
 * contracted pairwise, left to right, each pair as ONE {@code dot_general} (shared labels still
 * needed later are batch dims, the others contracting dims), so the blocked matmul kernels run;
 * a final transpose puts the labels in output order.
 *
 * <p>Labels are ints: letters are their char code, the ellipsis' dims are negative (-1 is the
 * last ellipsis dim, so ellipses of different ranks line up from the right, as broadcasting).
 */
final class Einsum {
  private Einsum() {}

  /** One operand and the label of each of its axes. */
  private record Term(Array x, int[] labels) {}

  static Array einsum(String subscripts, Array... operands) {
    if (subscripts == null || operands == null || operands.length == 0) {
      throw new ShapeError("einsum: needs a subscripts string and at least one operand, e.g. einsum(\"ij,jk->ik\", a, b)");
    }
    String spec = subscripts.replace(" ", "");
    String lhs;
    String out;
    int arrow = spec.indexOf("->");
    if (arrow >= 0) {
      lhs = spec.substring(0, arrow);
      out = spec.substring(arrow + 2);
      if (out.contains("->")) {
        throw new ShapeError("einsum: \"" + subscripts + "\" has more than one \"->\"; write inputs->output once");
      }
    } else {
      lhs = spec;
      out = null;
    }
    String[] inputs = lhs.split(",", -1);
    if (inputs.length != operands.length) {
      throw new ShapeError("einsum: \"" + subscripts + "\" names " + inputs.length + " operand"
          + (inputs.length == 1 ? "" : "s") + " but " + operands.length + " were given; give one array per comma-separated term");
    }
    DType dt = operands[0].dtype();
    for (Array a : operands) {
      dt = DType.promote(dt, a.dtype());
    }
    List<Term> terms = new ArrayList<>();
    Map<Integer, Integer> size = new HashMap<>();
    Map<Integer, Integer> sizeFrom = new HashMap<>();
    boolean anyEllipsis = false;
    int maxEllipsis = 0;
    for (int t = 0; t < inputs.length; t++) {
      Array x = operands[t].astype(dt);
      int[] labels = parseTerm(subscripts, inputs[t], x.ndim(), "operand " + t + " " + x.aval().shapeString());
      anyEllipsis |= inputs[t].contains("...");
      checkRepeats(subscripts, inputs[t], labels, x);
      for (int d = 0; d < labels.length; d++) {
        int l = labels[d];
        maxEllipsis = Math.max(maxEllipsis, l < 0 ? -l : 0);
        int n = x.dim(d);
        Integer prev = size.get(l);
        if (prev == null || prev == 1) {
          if (prev == null || n != 1) {
            size.put(l, n);
            sizeFrom.put(l, t);
          }
        } else if (n != prev && n != 1) {
          throw new ShapeError("einsum: \"" + subscripts + "\": " + labelName(l) + " has size " + prev + " in operand "
              + sizeFrom.get(l) + " " + operands[sizeFrom.get(l)].aval().shapeString() + " but size " + n + " in operand "
              + t + " " + operands[t].aval().shapeString() + "; a label must have one size (or 1, which broadcasts)");
        }
      }
      terms.add(new Term(x, labels));
    }
    int[] outLabels = out != null ? parseOutput(subscripts, out, terms, maxEllipsis) : implicitOutput(terms, maxEllipsis);
    if (out != null && out.contains("...") && !anyEllipsis) {
      throw new ShapeError("einsum: \"" + subscripts + "\": the output has \"...\" but no input does");
    }

    // Per operand: diagonals of repeated labels, size-1 axes whose label is broadcast elsewhere.
    for (int t = 0; t < terms.size(); t++) {
      Term term = takeDiagonals(terms.get(t));
      terms.set(t, squeezeBroadcast(term, size));
    }
    // Contract left to right; before each step sum out what no later term or the output needs.
    Term acc = sumUnneeded(terms.get(0), needed(terms, 1, outLabels));
    for (int t = 1; t < terms.size(); t++) {
      Set<Integer> later = needed(terms, t + 1, outLabels);
      Term b = terms.get(t);
      Set<Integer> keepA = union(later, b.labels);
      Set<Integer> keepB = union(later, acc.labels);
      acc = contract(sumUnneeded(acc, keepA), sumUnneeded(b, keepB), later);
    }
    acc = sumUnneeded(acc, toSet(outLabels));
    int[] perm = new int[outLabels.length];
    for (int i = 0; i < outLabels.length; i++) {
      perm[i] = indexOf(acc.labels, outLabels[i]);
    }
    return acc.x.transpose(perm);
  }

  /** Labels of one input term; {@code ...} stands for the operand's axes not otherwise named. */
  private static int[] parseTerm(String subscripts, String term, int rank, String what) {
    int dots = term.indexOf("...");
    if (dots >= 0 && term.indexOf("...", dots + 1) >= 0) {
      throw new ShapeError("einsum: \"" + subscripts + "\": term \"" + term + "\" has more than one \"...\"");
    }
    String before = dots < 0 ? term : term.substring(0, dots);
    String after = dots < 0 ? "" : term.substring(dots + 3);
    checkLetters(subscripts, before + after);
    int named = before.length() + after.length();
    if (dots < 0 ? named != rank : named > rank) {
      throw new ShapeError("einsum: \"" + subscripts + "\": term \"" + term + "\" names " + named + " axes but "
          + what + " has rank " + rank + (dots < 0 ? "; give one letter per axis, or \"...\" for the leading ones" : ""));
    }
    int ell = rank - named;
    int[] labels = new int[rank];
    int d = 0;
    for (char c : before.toCharArray()) {
      labels[d++] = c;
    }
    for (int e = ell; e >= 1; e--) {
      labels[d++] = -e;
    }
    for (char c : after.toCharArray()) {
      labels[d++] = c;
    }
    return labels;
  }

  /** A label repeated in one term (a diagonal) must name axes of one size. */
  private static void checkRepeats(String subscripts, String term, int[] labels, Array x) {
    for (int i = 0; i < labels.length; i++) {
      for (int j = i + 1; j < labels.length; j++) {
        if (labels[i] == labels[j] && x.dim(i) != x.dim(j)) {
          throw new ShapeError("einsum: \"" + subscripts + "\": " + labelName(labels[i]) + " is repeated in term \"" + term
              + "\" over axes of sizes " + x.dim(i) + " and " + x.dim(j) + " (shape " + x.aval().shapeString()
              + "); a diagonal needs equal sizes");
        }
      }
    }
  }

  private static void checkLetters(String subscripts, String letters) {
    for (char c : letters.toCharArray()) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        throw new ShapeError("einsum: \"" + subscripts + "\" contains '" + c + "'; labels are the letters a-z and A-Z, "
            + "terms are separated by ',', the output follows \"->\", and \"...\" stands for broadcast axes");
      }
    }
  }

  private static int[] parseOutput(String subscripts, String out, List<Term> terms, int maxEllipsis) {
    int dots = out.indexOf("...");
    String before = dots < 0 ? out : out.substring(0, dots);
    String after = dots < 0 ? "" : out.substring(dots + 3);
    if (after.contains("...")) {
      throw new ShapeError("einsum: \"" + subscripts + "\": the output has more than one \"...\"");
    }
    checkLetters(subscripts, before + after);
    List<Integer> labels = new ArrayList<>();
    for (char c : before.toCharArray()) {
      labels.add((int) c);
    }
    if (dots >= 0) {
      for (int e = maxEllipsis; e >= 1; e--) {
        labels.add(-e);
      }
    }
    for (char c : after.toCharArray()) {
      labels.add((int) c);
    }
    Set<Integer> seen = new LinkedHashSet<>();
    for (int l : labels) {
      if (!seen.add(l)) {
        throw new ShapeError("einsum: \"" + subscripts + "\": the output names " + labelName(l) + " twice; each output label once");
      }
      if (l > 0 && terms.stream().noneMatch(t -> indexOf(t.labels, l) >= 0)) {
        throw new ShapeError("einsum: \"" + subscripts + "\": the output's " + labelName(l) + " is in no input term");
      }
    }
    return labels.stream().mapToInt(Integer::intValue).toArray();
  }

  /** numpy's implicit mode: the ellipsis' axes, then the labels used once, in alphabetical (ASCII) order. */
  private static int[] implicitOutput(List<Term> terms, int maxEllipsis) {
    Map<Integer, Integer> count = new HashMap<>();
    for (Term t : terms) {
      for (int l : t.labels) {
        count.merge(l, 1, Integer::sum);
      }
    }
    List<Integer> labels = new ArrayList<>();
    for (int e = maxEllipsis; e >= 1; e--) {
      labels.add(-e);
    }
    count.entrySet().stream().filter(en -> en.getKey() > 0 && en.getValue() == 1).map(Map.Entry::getKey).sorted()
        .forEach(labels::add);
    return labels.stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code "ii->i"}: a label repeated in one term takes the diagonal of those two axes. */
  private static Term takeDiagonals(Term t) {
    while (true) {
      int[] l = t.labels;
      int p = -1;
      int q = -1;
      for (int i = 0; i < l.length && p < 0; i++) {
        for (int j = i + 1; j < l.length; j++) {
          if (l[i] == l[j]) {
            p = i;
            q = j;
            break;
          }
        }
      }
      if (p < 0) {
        return t;
      }
      if (t.x.dim(p) != t.x.dim(q)) {
        throw new ShapeError("einsum: " + labelName(l[p]) + " is repeated in one term over axes of sizes "
            + t.x.dim(p) + " and " + t.x.dim(q) + " (shape " + t.x.aval().shapeString() + "); a diagonal needs equal sizes");
      }
      Array d = MatrixHelpers.diagonal(t.x, 0, p, q);
      int[] nl = new int[l.length - 1];
      int k = 0;
      for (int i = 0; i < l.length; i++) {
        if (i != p && i != q) {
          nl[k++] = l[i];
        }
      }
      nl[k] = l[p];
      t = new Term(d, nl);
    }
  }

  /** A size-1 axis whose label has a larger size elsewhere broadcasts: it is squeezed out here. */
  private static Term squeezeBroadcast(Term t, Map<Integer, Integer> size) {
    List<Integer> drop = new ArrayList<>();
    for (int d = 0; d < t.labels.length; d++) {
      if (t.x.dim(d) == 1 && size.get(t.labels[d]) != 1) {
        drop.add(d);
      }
    }
    if (drop.isEmpty()) {
      return t;
    }
    return new Term(t.x.squeeze(drop.stream().mapToInt(Integer::intValue).toArray()), remove(t.labels, drop));
  }

  /** Sums the axes whose labels are not in {@code keep}. */
  private static Term sumUnneeded(Term t, Set<Integer> keep) {
    List<Integer> drop = new ArrayList<>();
    for (int d = 0; d < t.labels.length; d++) {
      if (!keep.contains(t.labels[d])) {
        drop.add(d);
      }
    }
    if (drop.isEmpty()) {
      return t;
    }
    return new Term(t.x.sum(drop.stream().mapToInt(Integer::intValue).toArray()), remove(t.labels, drop));
  }

  /** One dot_general: shared labels in {@code later} are batch dims, other shared ones contract. */
  private static Term contract(Term a, Term b, Set<Integer> later) {
    List<Integer> batch = new ArrayList<>();
    List<Integer> contracting = new ArrayList<>();
    for (int l : a.labels) {
      if (indexOf(b.labels, l) >= 0) {
        (later.contains(l) ? batch : contracting).add(l);
      }
    }
    int[] la = new int[contracting.size()];
    int[] rb = new int[contracting.size()];
    for (int i = 0; i < la.length; i++) {
      la[i] = indexOf(a.labels, contracting.get(i));
      rb[i] = indexOf(b.labels, contracting.get(i));
    }
    int[] lBatch = new int[batch.size()];
    int[] rBatch = new int[batch.size()];
    for (int i = 0; i < lBatch.length; i++) {
      lBatch[i] = indexOf(a.labels, batch.get(i));
      rBatch[i] = indexOf(b.labels, batch.get(i));
    }
    Array r = Array.dotGeneral(a.x, b.x, la, rb, lBatch, rBatch);
    List<Integer> labels = new ArrayList<>(batch);
    for (int l : a.labels) {
      if (indexOf(b.labels, l) < 0) {
        labels.add(l);
      }
    }
    for (int l : b.labels) {
      if (indexOf(a.labels, l) < 0) {
        labels.add(l);
      }
    }
    return new Term(r, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Labels that the terms from {@code from} on, or the output, still use. */
  private static Set<Integer> needed(List<Term> terms, int from, int[] outLabels) {
    Set<Integer> s = toSet(outLabels);
    for (int t = from; t < terms.size(); t++) {
      for (int l : terms.get(t).labels) {
        s.add(l);
      }
    }
    return s;
  }

  private static Set<Integer> union(Set<Integer> s, int[] labels) {
    Set<Integer> r = new LinkedHashSet<>(s);
    for (int l : labels) {
      r.add(l);
    }
    return r;
  }

  private static Set<Integer> toSet(int[] labels) {
    Set<Integer> s = new LinkedHashSet<>();
    for (int l : labels) {
      s.add(l);
    }
    return s;
  }

  private static int[] remove(int[] labels, List<Integer> positions) {
    int[] r = new int[labels.length - positions.size()];
    int k = 0;
    for (int d = 0; d < labels.length; d++) {
      if (!positions.contains(d)) {
        r[k++] = labels[d];
      }
    }
    return r;
  }

  private static int indexOf(int[] labels, int l) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == l) {
        return i;
      }
    }
    return -1;
  }

  private static String labelName(int l) {
    return l > 0 ? "label '" + (char) l + "'" : "ellipsis axis " + l + " (counted from the right)";
  }
}
