package dev.statelens.engine.record.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON of the source columns (schema version 2, see run-store.md):
 * {@code functions.source = {"impl": SourceRef, "jit": SourceRef}} and
 * {@code graphs.leaf_sources = {"in": [SourceRef | null, ...], "out": [...]}}, lists aligned with
 * {@code in_paths} / {@code out_paths}. Reading is lenient: a malformed value reads as "no source".
 */
final class SourceJson {
  private SourceJson() {}

  static String function(SourceRef implementation, SourceRef jitSite) {
    if (implementation == null && jitSite == null) {
      return null;
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    if (implementation != null) {
      o.set("impl", implementation.toJson());
    }
    if (jitSite != null) {
      o.set("jit", jitSite.toJson());
    }
    return Json.write(o);
  }

  static String leafSources(List<SourceRef> in, List<SourceRef> out) {
    if (in == null && out == null) {
      return null;
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.set("in", array(in));
    o.set("out", array(out));
    return Json.write(o);
  }

  private static ArrayNode array(List<SourceRef> refs) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    if (refs != null) {
      for (SourceRef r : refs) {
        a.add(r == null ? null : r.toJson());
      }
    }
    return a;
  }

  /** {@code key} ("impl" or "jit") of a {@code functions.source} value; null when absent. */
  static SourceRef functionSource(String json, String key) {
    JsonNode n = parse(json);
    return n == null ? null : SourceRef.fromJson(n.get(key));
  }

  /** The source of leaf {@code index} of {@code role} ("in" or "out") in a {@code leaf_sources} value; null when absent. */
  static SourceRef leafSource(String json, String role, int index) {
    JsonNode n = parse(json);
    if (n == null || index < 0) {
      return null;
    }
    JsonNode list = n.get(role);
    return list != null && list.isArray() && index < list.size() ? SourceRef.fromJson(list.get(index)) : null;
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
