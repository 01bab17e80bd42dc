package dev.statelens.plugin.prefs;

import dev.statelens.lint.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.core.runtime.FileLocator;
import org.osgi.framework.FrameworkUtil;

/**
 * The rules' documentation as shipped in this bundle: {@value #PATH}, the repository's
 * {@code docs/lint.md} copied in at build time (plugin/pom.xml), so the IDE shows the same text as
 * the docs without a repository or a web site at hand. Each rule's section starts at its heading
 * {@code ### SL003 io} and ends at the next heading.
 */
public final class RuleDocs {

  /** Where the page lies in the bundle. */
  public static final String PATH = "doc/lint.md";

  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");
  /** Pointers to other parts of the docs ("see below", "(see debugging.md)"): nothing to follow in a tooltip or dialog. */
  private static final Pattern ELSEWHERE = Pattern.compile("\\s*\\(see [^()]*\\)|,? see below");
  private static final Pattern LIST_ITEM = Pattern.compile("\\s*([-*]|\\d+\\.)\\s");
  /**
   * The page's HTML comments, with their line: {@code <!-- snippet: given ... -->} tells
   * DocsSnippetsTest what a code block needs, and showed up in the dialog as text.
   */
  private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->[ \\t]*\\n?");
  /** Markdown's {@code *italics*}: a star after a space or "(" up to one before a space or punctuation (not {@code Files.*}). */
  private static final Pattern ITALICS = Pattern.compile("(?<=^|[\\s(])\\*([^\\s*](?:[^*]*[^\\s*])?)\\*(?=$|[\\s).,;:])");
  /** What sets a code block's lines off from the prose in {@link #text}. */
  public static final String CODE_INDENT = "    ";
  private static volatile String page;

  private RuleDocs() {}

  /** The rule's first paragraph in plain text (what it finds, its default, its fixes); its title when the page lacks it. */
  public static String summary(Rule rule) {
    List<String> paragraph = new ArrayList<>();
    for (String line : lines(rule)) {
      if (line.isBlank() || line.startsWith("![") || line.startsWith("```")) {
        if (!paragraph.isEmpty()) {
          break;
        }
        continue;
      }
      paragraph.add(line.strip());
    }
    return paragraph.isEmpty() ? rule.title() : plain(String.join(" ", paragraph));
  }

  /**
   * The rule's whole section as a reader wants it in a dialog: the heading's text, then each
   * paragraph on one line (the dialog wraps it to its width; the page's own line breaks made ragged
   * lines there), Markdown's emphasis, images, link targets and HTML comments dropped, code blocks
   * indented by {@value #CODE_INDENT}.
   */
  public static String text(Rule rule) {
    StringBuilder out = new StringBuilder(rule.id() + " " + rule.slug() + "\n");
    List<String> paragraph = new ArrayList<>();
    boolean code = false;
    for (String line : lines(rule)) {
      if (line.startsWith("```")) {
        flush(paragraph, out);
        code = !code;
        continue;
      }
      if (code) { // indented, as a code block reads in the page: the dialog's one font does not set it off
        out.append(CODE_INDENT).append(line).append('\n');
      } else if (line.isBlank()) {
        flush(paragraph, out);
        out.append('\n');
      } else if (!line.startsWith("![")) {
        if (LIST_ITEM.matcher(line).lookingAt()) {
          flush(paragraph, out); // each item on its own line
        }
        paragraph.add(line.strip());
      }
    }
    flush(paragraph, out);
    return out.toString().strip().replaceAll("\n{3,}", "\n\n");
  }

  private static void flush(List<String> paragraph, StringBuilder out) {
    if (!paragraph.isEmpty()) {
      out.append(plain(String.join(" ", paragraph))).append('\n');
      paragraph.clear();
    }
  }

  /** The lines under the rule's heading up to the next heading; empty when the page has no such heading. */
  private static List<String> lines(Rule rule) {
    String heading = "### " + rule.id() + " " + rule.slug();
    List<String> lines = page().lines().toList();
    List<String> out = new ArrayList<>();
    boolean in = false;
    boolean code = false;
    for (String line : lines) {
      if (!code && line.startsWith("#")) {
        if (in) {
          break;
        }
        in = line.strip().equals(heading);
        continue;
      }
      if (line.startsWith("```")) {
        code = !code;
      }
      if (in) {
        out.add(line);
      }
    }
    return out;
  }

  private static String plain(String markdown) {
    String text = LINK.matcher(markdown).replaceAll("$1").replace("**", "");
    text = ITALICS.matcher(text).replaceAll("$1").replace("`", "");
    return ELSEWHERE.matcher(text).replaceAll("");
  }

  private static String page() {
    String p = page;
    if (p == null) {
      URL url = FileLocator.find(FrameworkUtil.getBundle(RuleDocs.class), new org.eclipse.core.runtime.Path(PATH));
      if (url == null) { // a build without the copy step: say so instead of showing nothing
        throw new IllegalStateException(PATH + " is missing from the dev.statelens.plugin bundle: build the "
            + "plugin with Maven (plugin/pom.xml copies docs/lint.md into it)");
      }
      try (InputStream in = url.openStream()) {
        p = COMMENT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8)).replaceAll("");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + PATH + " from the dev.statelens.plugin bundle", e);
      }
      page = p;
    }
    return p;
  }
}
