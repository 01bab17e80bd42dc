package dev.statelens.engine.record.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where something recorded comes from in the user's source, for "Go to Source" in the IDE: a
 * jitted function's method (with file and line), or the record component that holds a leaf.
 *
 * @param className binary name of the class ({@code com.example.LinReg$Params}); nested classes
 *     are separated by {@code $}
 * @param member a method name ({@code step}, {@code lambda$main$0} for a lambda body) or a
 *     record component name ({@code weight})
 * @param fileName the source file ({@code LinReg.java}), or null when unknown (leaves: the class
 *     is enough to find it)
 * @param line the 1-based line, or -1 when unknown
 */
public record SourceRef(String className, String member, String fileName, int line) {

  public SourceRef {
    if (className == null || className.isEmpty() || member == null) {
      throw new IllegalArgumentException("SourceRef: className and member are required, got " + className
          + ", " + member);
    }
  }

  /** Whether a line number was recorded. */
  public boolean hasLine() {
    return line > 0;
  }

  /** Whether {@link #member} is a lambda body ({@code lambda$main$0}), which has no name in the source. */
  public boolean isLambda() {
    return member.startsWith("lambda$");
  }

  /** The class's simple source name: {@code Params} for {@code com.example.LinReg$Params}. */
  public String simpleClassName() {
    String s = className.substring(className.lastIndexOf('.') + 1);
    return s.substring(s.lastIndexOf('$') + 1);
  }

  @Override
  public String toString() {
    return className + "." + member + (fileName != null ? " (" + fileName + (hasLine() ? ":" + line : "") + ")"
        : hasLine() ? " (line " + line + ")" : "");
  }

  // ---- JSON form in the run store: {"class", "member", "file"?, "line"?} ----

  ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("class", className);
    o.put("member", member);
    if (fileName != null) {
      o.put("file", fileName);
    }
    if (hasLine()) {
      o.put("line", line);
    }
    return o;
  }

  /** The source in {@code node}, or null when the node is missing, null or malformed (a reader never fails on it). */
  static SourceRef fromJson(JsonNode node) {
    if (node == null || !node.isObject() || !node.path("class").isTextual() || !node.path("member").isTextual()
        || node.path("class").asText().isEmpty()) {
      return null;
    }
    return new SourceRef(node.get("class").asText(), node.get("member").asText(),
        node.path("file").isTextual() ? node.get("file").asText() : null, node.path("line").asInt(-1));
  }
}
