package dev.statelens.lint.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.lint.CallFrame;
import dev.statelens.lint.Finding;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Notice;
import dev.statelens.lint.Rule;
import dev.statelens.lint.SourceRange;
import java.io.IOException;
import java.nio.file.Path;

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules in
 * {@code tool.driver.rules}, each result with ruleId, ruleIndex, level, message.text and a
 * physical location relative to {@code %SRCROOT%} (the folder the CLI ran in). The call chain
 * goes into {@code relatedLocations}, notices into the invocation's
 * {@code toolExecutionNotifications}. {@code informationUri} and each rule's {@code helpUri}
 * (optional in SARIF, absolute URIs when present) are written only when the docs' address is
 * given ({@code --docs-uri}): the project has no published docs site to point at, and a link
 * that does not resolve is worse than none. Each rule's {@code help} text names its section of
 * docs/lint.md either way.
 */
public final class SarifReport implements Report {

  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  public static final String VERSION = "2.1.0";
  private static final String SRCROOT = "%SRCROOT%";

  /** The absolute address of a published docs/lint.md, or null. */
  private final String docsUri;

  public SarifReport() {
    this(null);
  }

  /** @param docsUri the absolute address of a published docs/lint.md, or null for no links */
  public SarifReport(String docsUri) {
    this.docsUri = docsUri;
  }

  @Override
  public void write(LintResult result, Path baseDir, Appendable out) throws IOException {
    out.append(JsonReport.MAPPER.writeValueAsString(toSarif(result, baseDir, docsUri)))
        .append('\n');
  }

  public static ObjectNode toSarif(LintResult result, Path baseDir) {
    return toSarif(result, baseDir, null);
  }

  /**
   * @param docsUri the absolute address of a published docs/lint.md: written as the driver's
   *     {@code informationUri} and each rule's {@code helpUri}; null: neither is written
   */
  public static ObjectNode toSarif(LintResult result, Path baseDir, String docsUri) {
    ObjectNode root = JsonReport.MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", VERSION);
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "StateLens");
    driver.put("semanticVersion", "0.1.0");
    if (docsUri != null) {
      driver.put("informationUri", docsUri);
    }
    ArrayNode rules = driver.putArray("rules");
    for (Rule rule : Rule.values()) {
      ObjectNode r = rules.addObject();
      r.put("id", rule.id());
      r.put("name", camel(rule.slug()));
      r.putObject("shortDescription").put("text", rule.title());
      r.putObject("fullDescription").put("text", rule.title());
      if (docsUri != null) {
        r.put("helpUri", rule.helpUri(docsUri));
      }
      r.putObject("help").put("text", rule.title() + ". See " + Rule.DOCS + ", section "
          + rule.id() + " " + rule.slug() + (docsUri == null ? "" : ": " + rule.helpUri(docsUri))
          + ".");
      r.putObject("defaultConfiguration").put("level", rule.defaultSeverity().sarifLevel());
    }
    run.putObject("originalUriBaseIds").putObject(SRCROOT)
        .put("uri", baseDir.toAbsolutePath().normalize().toUri().toString());
    ArrayNode results = run.putArray("results");
    for (Finding f : result.findings()) {
      ObjectNode r = results.addObject();
      r.put("ruleId", f.rule().id());
      r.put("ruleIndex", f.rule().ordinal());
      r.put("level", f.severity().sarifLevel());
      r.putObject("message").put("text", f.messageWithChain());
      location(r.putArray("locations").addObject(), f.file(), f.range(), baseDir);
      if (f.callChain().size() > 1) {
        ArrayNode related = r.putArray("relatedLocations");
        int id = 1;
        for (CallFrame frame : f.callChain()) {
          ObjectNode loc = related.addObject();
          loc.put("id", id++);
          ObjectNode physical = loc.putObject("physicalLocation");
          artifact(physical, frame.file(), baseDir);
          physical.putObject("region").put("startLine", frame.line());
          loc.putObject("message").put("text", frame.description());
        }
      }
      r.putObject("partialFingerprints").put("statelensFinding/v1",
          f.rule().id() + ":" + Report.relative(f.file(), baseDir) + ":" + f.message().hashCode());
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", true);
    ArrayNode notes = invocation.putArray("toolExecutionNotifications");
    for (Notice n : result.notices()) {
      ObjectNode note = notes.addObject();
      note.put("level", "note");
      note.putObject("message").put("text", n.message());
      if (n.file() != null) {
        ObjectNode physical = note.putArray("locations").addObject().putObject("physicalLocation");
        artifact(physical, n.file(), baseDir);
        if (n.line() > 0) {
          physical.putObject("region").put("startLine", n.line());
        }
      }
    }
    return root;
  }

  private static void location(ObjectNode loc, Path file, SourceRange range, Path baseDir) {
    ObjectNode physical = loc.putObject("physicalLocation");
    artifact(physical, file, baseDir);
    ObjectNode region = physical.putObject("region");
    region.put("startLine", range.line());
    region.put("startColumn", range.column());
    region.put("endLine", range.endLine());
    region.put("endColumn", range.endColumn());
  }

  private static void artifact(ObjectNode physical, Path file, Path baseDir) {
    ObjectNode artifact = physical.putObject("artifactLocation");
    Path abs = file.toAbsolutePath().normalize();
    if (abs.startsWith(baseDir.toAbsolutePath().normalize())) {
      artifact.put("uri", uriPath(Report.relative(file, baseDir)));
      artifact.put("uriBaseId", SRCROOT);
    } else {
      artifact.put("uri", abs.toUri().toString());
    }
  }

  /** A relative path as a URI reference: {@code my dir/A.java} → {@code my%20dir/A.java}. */
  static String uriPath(String relative) {
    try {
      return new java.net.URI(null, null, relative, null).toASCIIString();
    } catch (java.net.URISyntaxException e) {
      return relative;
    }
  }

  /** {@code field-write} → {@code FieldWrite} (SARIF rule names are identifiers). */
  private static String camel(String slug) {
    StringBuilder s = new StringBuilder();
    for (String part : slug.split("-")) {
      s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return s.toString();
  }
}
