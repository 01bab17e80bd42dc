package dev.statelens.lint.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.lint.CallFrame;
import dev.statelens.lint.Finding;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Notice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The result as one JSON object: {@code {"tool", "version", "files", "lines", "suppressed",
 * "findings": [...], "notices": [...]}}; each finding has rule, name, severity, file, line,
 * column, endLine, endColumn, offset, length, message, callChain and fixes. Documented in
 * docs/lint.md.
 */
public final class JsonReport implements Report {

  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public void write(LintResult result, Path baseDir, Appendable out) throws IOException {
    out.append(MAPPER.writeValueAsString(toJson(result, baseDir))).append('\n');
  }

  public static ObjectNode toJson(LintResult result, Path baseDir) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("tool", "statelens-lint");
    root.put("version", 1);
    root.put("files", result.filesAnalyzed());
    root.put("lines", result.linesAnalyzed());
    root.put("suppressed", result.suppressed());
    ArrayNode findings = root.putArray("findings");
    for (Finding f : result.findings()) {
      ObjectNode o = findings.addObject();
      o.put("rule", f.rule().id());
      o.put("name", f.rule().slug());
      o.put("severity", f.severity().label());
      o.put("file", Report.relative(f.file(), baseDir));
      o.put("line", f.range().line());
      o.put("column", f.range().column());
      o.put("endLine", f.range().endLine());
      o.put("endColumn", f.range().endColumn());
      o.put("offset", f.range().offset());
      o.put("length", f.range().length());
      o.put("message", f.message());
      ArrayNode chain = o.putArray("callChain");
      for (CallFrame frame : f.callChain()) {
        ObjectNode c = chain.addObject();
        c.put("call", frame.description());
        c.put("file", Report.relative(frame.file(), baseDir));
        c.put("line", frame.line());
      }
      ArrayNode fixes = o.putArray("fixes");
      f.fixIds().forEach(fixes::add);
    }
    ArrayNode notices = root.putArray("notices");
    for (Notice n : result.notices()) {
      ObjectNode o = notices.addObject();
      o.put("file", n.file() == null ? null : Report.relative(n.file(), baseDir));
      o.put("line", n.line());
      o.put("message", n.message());
    }
    return root;
  }
}
