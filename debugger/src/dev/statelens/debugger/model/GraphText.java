package dev.statelens.debugger.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The traced graph's text as the Traced graph tab shows it: the recorded jaxpr with its long
 * {@code { lambda …. let} header and {@code in (…)} line wrapped as JAX's pretty printer breaks
 * long binder lists (at 80 columns, continuation lines indented by four), and a one-line summary
 * counted from the text (the run store keeps the graph as text only).
 */
public final class GraphText {
  /** JAX's pretty printer's default width. */
  public static final int WIDTH = 80;
  private static final String CONTINUATION = "    ";
  private static final int TOP_OPS = 6;

  private GraphText() {}

  /**
   * {@code irText} with every line that opens a jaxpr ({@code { lambda}) or closes one
   * ({@code in (…)}) wrapped at {@link #WIDTH} columns; equations are left as they are.
   */
  public static String wrapped(String irText) {
    StringBuilder out = new StringBuilder(irText.length() + irText.length() / 40);
    int start = 0;
    while (start <= irText.length()) {
      int end = irText.indexOf('\n', start);
      String line = irText.substring(start, end < 0 ? irText.length() : end);
      String body = line.stripLeading();
      if (line.length() > WIDTH && (body.startsWith("{ lambda") || body.startsWith("in ("))) {
        wrapLine(line, out);
      } else {
        out.append(line);
      }
      if (end < 0) {
        break;
      }
      out.append('\n');
      start = end + 1;
    }
    return out.toString();
  }

  /** Breaks {@code line} at spaces, each continuation indented four past the line's own indent. */
  private static void wrapLine(String line, StringBuilder out) {
    String indent = line.substring(0, line.length() - line.stripLeading().length()) + CONTINUATION;
    int col = 0;
    int i = 0;
    while (i < line.length()) {
      int space = line.indexOf(' ', i + 1);
      String word = line.substring(i, space < 0 ? line.length() : space); // with its leading space
      if (col > indent.length() && col + word.length() > WIDTH && word.startsWith(" ")) {
        out.append('\n').append(indent);
        word = word.substring(1);
        col = indent.length();
      }
      out.append(word);
      col += word.length();
      i = space < 0 ? line.length() : space;
    }
  }

  /** What a graph holds, counted from its text. */
  public record Summary(int equations, int constants, int inputs, int outputs, List<Map.Entry<String, Integer>> ops) {
    /** {@code 2,149 equations · 54 inputs (6 constants) → 79 outputs · add ×310 · mul ×250 · …}. */
    public String line() {
      StringBuilder sb = new StringBuilder(count(equations, "equation") + " · " + count(inputs, "input"));
      if (constants > 0) {
        sb.append(" + ").append(count(constants, "constant"));
      }
      sb.append(" → ").append(count(outputs, "output"));
      for (int i = 0; i < Math.min(TOP_OPS, ops.size()); i++) {
        sb.append(String.format(" · %s ×%,d", ops.get(i).getKey(), ops.get(i).getValue()));
      }
      if (ops.size() > TOP_OPS) {
        sb.append(" · ").append(ops.size() - TOP_OPS).append(" more ops");
      }
      return sb.toString();
    }

    /** Every op with its count, one a line, most used first (the summary's tooltip). */
    public String allOps() {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Integer> e : ops) {
        sb.append(sb.isEmpty() ? "" : "\n").append(String.format("%s ×%,d", e.getKey(), e.getValue()));
      }
      return sb.toString();
    }
  }

  /**
   * Counts the equations (nested jaxprs' too) by primitive, the outer jaxpr's inputs and constants
   * (its binders before and after the {@code ;}) and outputs (the atoms of its last {@code in (…)}).
   */
  public static Summary summarize(String irText) {
    Map<String, Integer> ops = new HashMap<>();
    int equations = 0;
    for (String line : irText.split("\n")) {
      String op = primitive(line);
      if (op != null) {
        ops.merge(op, 1, Integer::sum);
        equations++;
      }
    }
    int constants = 0, inputs = 0, outputs = 0;
    int lambda = irText.indexOf("{ lambda");
    int let = lambda < 0 ? -1 : irText.indexOf(". let", lambda);
    if (let > 0) {
      String binders = irText.substring(lambda + "{ lambda".length(), let);
      int semi = binders.indexOf(';');
      constants = semi < 0 ? 0 : countWords(binders.substring(0, semi));
      inputs = countWords(semi < 0 ? binders : binders.substring(semi + 1));
    }
    int in = irText.lastIndexOf("in (");
    if (in >= 0) {
      int close = irText.indexOf(')', in);
      String atoms = irText.substring(in + 4, close < 0 ? irText.length() : close);
      for (String a : atoms.split(",")) {
        outputs += a.isBlank() ? 0 : 1;
      }
    }
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(ops.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    return new Summary(equations, constants, inputs, outputs, List.copyOf(sorted));
  }

  /** The primitive of an equation line ({@code    bo:f32[48,48] = add a b} → add), else null. */
  static String primitive(String line) {
    int eq = line.indexOf(" = ");
    if (eq <= 0 || !Character.isWhitespace(line.charAt(0))) {
      return null;
    }
    String lhs = line.substring(0, eq).strip();
    if (lhs.isEmpty() || !(lhs.equals("_") || Character.isLetter(lhs.charAt(0))) || lhs.contains("=")) {
      return null;
    }
    int start = eq + 3;
    int end = start;
    while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
      end++;
    }
    return end > start ? line.substring(start, end) : null;
  }

  private static String count(int n, String noun) {
    return String.format("%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static int countWords(String s) {
    int n = 0;
    for (String w : s.trim().split("\\s+")) {
      n += w.isEmpty() ? 0 : 1;
    }
    return n;
  }
}
