package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.EqnSource;
import dev.statelens.engine.record.store.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A traced graph's equations grouped by the Java line that made them: one group per run of
 * consecutive equations bound at the same line (and pass: a gradient's backward equations take the
 * forward line, so they form groups of their own). The forward pass, the backward pass and the
 * optimizer update read as runs of groups.
 *
 * <p>Works on the graph's text as the tab shows it ({@link GraphText#wrapped}): the {@code { lambda
 * … let} lines (the prologue), one text line per top-level equation (indented by exactly four; a
 * nested jaxpr's lines, indented deeper, stay with their equation) and the closing {@code in (…) }}
 * lines (the epilogue). The run store keeps one source per top-level equation, in order.
 */
public final class EqnGroups {
  private static final String EQN_INDENT = "    ";

  /** A run of equations from one line: its source (null: unknown), first equation, count and text. */
  public record Group(EqnSource source, int firstEqn, int count, String body) {
    /**
     * {@code Transformer.block line 88 — 37 equations}; a lambda names its enclosing method
     * ({@code Train lambda in main line 12}); {@code · backward} for a gradient's equations.
     */
    public String heading() {
      String what = source == null ? "(no source line)" : where(source.at());
      return what + " — " + String.format("%,d equation%s", count, count == 1 ? "" : "s")
          + (source != null && source.backward() ? " · backward" : "");
    }

    private static String where(SourceRef at) {
      String cls = at.simpleClassName();
      String m = at.member();
      String host = m.startsWith("lambda$") ? lambdaHost(m) : null;
      String method = m.startsWith("lambda$") ? cls + " lambda" + (host.isEmpty() ? "" : " in " + host) : cls + "." + m;
      return method + (at.hasLine() ? " line " + at.line() : "");
    }

    /**
     * {@code lambda$main$0} → {@code main}; {@code lambda$new$2} → {@code new} (a constructor);
     * {@code lambda$41} (Eclipse's compiler names no host) → empty.
     */
    private static String lambdaHost(String lambda) {
      String rest = lambda.substring("lambda$".length());
      int end = rest.indexOf('$');
      String host = end < 0 ? rest : rest.substring(0, end);
      return host.chars().allMatch(Character::isDigit) ? "" : host;
    }
  }

  private final String prologue;
  private final List<Group> groups;
  private final String epilogue;

  private EqnGroups(String prologue, List<Group> groups, String epilogue) {
    this.prologue = prologue;
    this.groups = List.copyOf(groups);
    this.epilogue = epilogue;
  }

  /**
   * The groups of {@code shownIr} (the wrapped text) by {@code sources} (one per top-level
   * equation); null when there is nothing to group by: no sources (a run recorded before them), a
   * graph printed on one line, or a text whose equations do not match the sources' count.
   */
  public static EqnGroups of(String shownIr, List<EqnSource> sources) {
    if (sources == null || sources.isEmpty() || sources.stream().allMatch(Objects::isNull)) {
      return null;
    }
    String[] lines = shownIr.split("\n", -1);
    int let = 0;
    while (let < lines.length && !lines[let].endsWith(" let")) {
      let++;
    }
    int in = lines.length - 1;
    while (in > let && !lines[in].startsWith("  in (")) {
      in--;
    }
    if (let >= lines.length || in <= let) {
      return null; // one line, or not a jaxpr
    }
    List<Integer> starts = new ArrayList<>();
    for (int i = let + 1; i < in; i++) {
      if (isEquationStart(lines[i])) {
        starts.add(i);
      } else if (starts.isEmpty()) {
        return null;
      }
    }
    if (starts.size() != sources.size()) {
      return null;
    }
    List<Group> groups = new ArrayList<>();
    int first = 0;
    for (int e = 1; e <= sources.size(); e++) {
      if (e == sources.size() || !Objects.equals(sources.get(e), sources.get(first))) {
        int from = starts.get(first);
        int to = e == sources.size() ? in : starts.get(e);
        groups.add(new Group(sources.get(first), first, e - first, join(lines, from, to)));
        first = e;
      }
    }
    return new EqnGroups(join(lines, 0, let + 1), groups, String.join("\n", List.of(lines).subList(in, lines.length)));
  }

  private static boolean isEquationStart(String line) {
    return line.startsWith(EQN_INDENT) && line.length() > EQN_INDENT.length()
        && !Character.isWhitespace(line.charAt(EQN_INDENT.length()));
  }

  /** Lines {@code [from, to)}, each ending with a newline. */
  private static String join(String[] lines, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(lines[i]).append('\n');
    }
    return sb.toString();
  }

  /** The {@code { lambda … let} lines, each ending with a newline. */
  public String prologue() {
    return prologue;
  }

  public List<Group> groups() {
    return groups;
  }

  /** The closing {@code in (…) }} lines (no newline after the last). */
  public String epilogue() {
    return epilogue;
  }
}
