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

  /**
   * {@code graphs.eqn_sources}: {@code {"sites": [{"class", "member", "file"?}, ...], "eqns": [[site,
   * line], [site, line, 1], null, ...]}}, one entry per top-level equation in order ({@code 1}: the
   * backward pass; {@code null}: unknown; line -1 when not compiled in). Each method is written once
   * in {@code sites}: a 2,000-equation graph from a few dozen lines stays small. Null when none.
   */
  static String eqnSources(List<EqnSource> eqns) {
    if (eqns == null || eqns.isEmpty() || eqns.stream().allMatch(java.util.Objects::isNull)) {
      return null;
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode sites = o.putArray("sites");
    ArrayNode list = o.putArray("eqns");
    java.util.Map<SourceRef, Integer> index = new java.util.HashMap<>();
    for (EqnSource e : eqns) {
      if (e == null) {
        list.addNull();
        continue;
      }
      SourceRef site = new SourceRef(e.at().className(), e.at().member(), e.at().fileName(), -1);
      Integer i = index.get(site);
      if (i == null) {
        i = index.size();
        index.put(site, i);
        sites.add(site.toJson());
      }
      ArrayNode entry = list.addArray().add(i).add(e.at().line());
      if (e.backward()) {
        entry.add(1);
      }
    }
    return Json.write(o);
  }

  /**
   * The equations' sources of a {@code graphs.eqn_sources} value (entries null where unknown); an
   * empty list when the value is null or malformed.
   */
  static List<EqnSource> readEqnSources(String json) {
    JsonNode n = parse(json);
    if (n == null || !n.path("sites").isArray() || !n.path("eqns").isArray()) {
      return List.of();
    }
    List<SourceRef> sites = new java.util.ArrayList<>();
    for (JsonNode s : n.get("sites")) {
      sites.add(SourceRef.fromJson(s));
    }
    List<EqnSource> out = new java.util.ArrayList<>(n.get("eqns").size());
    for (JsonNode e : n.get("eqns")) {
      int site = e.isArray() && e.size() >= 2 ? e.get(0).asInt(-1) : -1;
      SourceRef ref = site >= 0 && site < sites.size() ? sites.get(site) : null;
      out.add(ref == null ? null : new EqnSource(new SourceRef(ref.className(), ref.member(), ref.fileName(),
          e.get(1).asInt(-1)), e.size() > 2 && e.get(2).asInt(0) == 1));
    }
    return java.util.Collections.unmodifiableList(out);
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
