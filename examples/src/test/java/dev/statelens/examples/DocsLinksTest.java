package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link and image of the README and of {@code docs/*.md} points at a file that
 * exists, and every {@code #anchor} into a markdown file names one of its headings (GitHub's
 * slugs), so a newcomer clicking through the docs never lands on a 404 or a missing screenshot.
 * Links inside code blocks and inline code are not links and are ignored; {@code http(s):},
 * {@code mailto:} and other absolute links are not fetched.
 */
class DocsLinksTest {

  /** {@code [text](target)} and {@code ![alt](target)}; the target up to a space or ')'. */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
    Path root = DocsSnippetsTest.repoRoot();
    List<Path> pages = pages(root);
    assertTrue(pages.size() > 10, "expected README.md and the docs/ pages under " + root + ", found " + pages);
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      for (Link link : links(page)) {
        checked++;
        String problem = check(page, link.target());
        if (problem != null) {
          broken.add(root.relativize(page) + ":" + link.line() + ": " + link.target() + " — " + problem);
        }
      }
    }
    assertTrue(checked > 50, "only " + checked + " links found: is the link pattern still right?");
    assertEquals(List.of(), broken, "broken links (fix the path or the #anchor; anchors are GitHub's heading slugs)");
  }

  @Test
  void aMissingFileAndAWrongAnchorAreReported() throws IOException {
    Path dir = Files.createTempDirectory("docs-links");
    Path target = Files.writeString(dir.resolve("target.md"), "# Title\n\n## Linear algebra (`LinalgBench`, session 7)\n");
    Path page = Files.writeString(dir.resolve("page.md"), String.join("\n",
        "[ok](target.md#linear-algebra-linalgbench-session-7) [top](#local) ![img](missing.png)",
        "[bad anchor](target.md#linear-algebra-linalgbench)",
        "`[not a link](nowhere.md)`",
        "```",
        "[in code](nowhere.md)",
        "```",
        "## Local",
        "[web](https://example.com/x.md)"));
    List<Link> links = links(page);
    assertEquals(List.of("target.md#linear-algebra-linalgbench-session-7", "#local", "missing.png",
        "target.md#linear-algebra-linalgbench", "https://example.com/x.md"),
        links.stream().map(Link::target).toList());
    assertEquals(null, check(page, "target.md#linear-algebra-linalgbench-session-7"));
    assertEquals(null, check(page, "#local"));
    assertEquals(null, check(page, "https://example.com/x.md"));
    assertTrue(check(page, "missing.png").contains("does not exist"));
    assertTrue(check(page, "target.md#linear-algebra-linalgbench").contains("no heading"));
    assertEquals(Set.of("title", "linear-algebra-linalgbench-session-7"), slugs(target));
  }

  record Link(int line, String target) {}

  static List<Path> pages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The links of a page outside fenced code blocks and inline code, with their line numbers. */
  static List<Link> links(Path page) throws IOException {
    List<Link> out = new ArrayList<>();
    boolean fenced = false;
    List<String> lines = Files.readAllLines(page);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (m.find()) {
        out.add(new Link(i + 1, m.group(1)));
      }
    }
    return out;
  }

  /** Null when {@code target}, linked from {@code page}, resolves; else what is wrong. */
  static String check(Path page, String target) throws IOException {
    if (SCHEME.matcher(target).find()) {
      return null; // web and mail links are not fetched
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
    if (!Files.exists(file)) {
      return file + " does not exist";
    }
    if (anchor != null && file.toString().endsWith(".md") && !slugs(file).contains(anchor)) {
      return file.getFileName() + " has no heading with the anchor #" + anchor + "; its anchors: " + slugs(file);
    }
    return null;
  }

  /** GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
  static Set<String> slugs(Path markdown) throws IOException {
    Set<String> slugs = new LinkedHashSet<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(markdown)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (!fenced && m.matches()) {
        String base = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
        String slug = base;
        for (int n = 1; !slugs.add(slug); n++) {
          slug = base + "-" + n; // GitHub numbers repeated headings
        }
      }
    }
    return slugs;
  }
}
