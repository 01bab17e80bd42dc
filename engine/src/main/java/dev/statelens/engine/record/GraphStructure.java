package dev.statelens.engine.record;

import dev.statelens.engine.ir.Atom;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Literal;
import dev.statelens.engine.ir.Var;
import dev.statelens.engine.record.store.Json;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structured form of a traced graph stored in {@code graphs.structure} (JSON; documented in
 * docs/run-store.md): inputs (with leaf paths), constants, equations (nodes), outputs (with leaf
 * paths), and the data-flow edges between them, so a viewer can draw the graph without parsing
 * the jaxpr text.
 */
final class GraphStructure {
  private GraphStructure() {}

  static String toJson(Jaxpr jaxpr, List<String> inPaths, List<String> outPaths) {
    Map<Var, String> names = new IdentityHashMap<>();
    Map<Var, String> producer = new IdentityHashMap<>();
    List<Map<String, Object>> consts = new ArrayList<>();
    for (int i = 0; i < jaxpr.constvars().size(); i++) {
      Var v = jaxpr.constvars().get(i);
      String name = "c" + i;
      names.put(v, name);
      producer.put(v, "const:" + i);
      consts.add(node("var", name, "aval", v.aval().toString()));
    }
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (int i = 0; i < jaxpr.invars().size(); i++) {
      Var v = jaxpr.invars().get(i);
      String name = "in" + i;
      names.put(v, name);
      producer.put(v, "in:" + i);
      inputs.add(node("var", name, "aval", v.aval().toString(), "path", i < inPaths.size() ? inPaths.get(i) : null));
    }
    List<Map<String, Object>> eqns = new ArrayList<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    int counter = 0;
    for (int e = 0; e < jaxpr.eqns().size(); e++) {
      Eqn eqn = jaxpr.eqns().get(e);
      List<String> ins = new ArrayList<>();
      for (Atom a : eqn.inputs()) {
        if (a instanceof Var v) {
          String name = names.get(v);
          ins.add(name);
          edges.add(node("from", producer.get(v), "to", "eqn:" + e, "var", name));
        } else if (a instanceof Literal l) {
          ins.add("lit:" + l.valueString());
        }
      }
      List<Map<String, Object>> outs = new ArrayList<>();
      for (Var v : eqn.outputs()) {
        String name = "v" + counter++;
        names.put(v, name);
        producer.put(v, "eqn:" + e);
        outs.add(node("var", name, "aval", v.aval().toString()));
      }
      Map<String, Object> params = new LinkedHashMap<>();
      for (String k : eqn.params().keys()) {
        Object p = eqn.params().get(k);
        params.put(k, p instanceof Jaxpr j ? "<jaxpr: " + j.eqns().size() + " equations>" : abbreviate(String.valueOf(p)));
      }
      eqns.add(node("id", e, "primitive", eqn.primitive().name(), "params", params, "inputs", ins, "outputs", outs));
    }
    List<Map<String, Object>> outputs = new ArrayList<>();
    for (int o = 0; o < jaxpr.outvars().size(); o++) {
      Atom a = jaxpr.outvars().get(o);
      String path = o < outPaths.size() ? outPaths.get(o) : null;
      if (a instanceof Var v) {
        String name = names.get(v);
        outputs.add(node("atom", name, "aval", v.aval().toString(), "path", path));
        edges.add(node("from", producer.get(v), "to", "out:" + o, "var", name));
      } else if (a instanceof Literal l) {
        outputs.add(node("atom", "lit:" + l.valueString(), "aval", l.aval().toString(), "path", path));
      }
    }
    return Json.write(node("inputs", inputs, "consts", consts, "eqns", eqns, "outputs", outputs, "edges", edges));
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }

  private static Map<String, Object> node(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
