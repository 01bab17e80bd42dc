package dev.statelens.engine.record;

import dev.statelens.engine.TreeDef;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.record.store.EqnSource;
import dev.statelens.engine.record.store.SourceRef;
import dev.statelens.engine.record.store.WriteTask;
import dev.statelens.engine.trace.CodeSite;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.SourceInfo;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The source facts the recorder stores for the IDE's "Go to Source" (once per function and per
 * graph, never per call): where a jitted function's code is, and which record component holds
 * each leaf.
 */
final class Sources {
  private Sources() {}

  /** The function's name (known once traced), traced method and jit call site, as far as the engine saw them. */
  static WriteTask.FunctionSource function(int id, JitFunction f) {
    return new WriteTask.FunctionSource(id, f.name(), ref(f.implementationSite()), ref(f.jitSite()));
  }

  private static SourceRef ref(CodeSite site) {
    return site == null ? null : new SourceRef(site.className(), site.methodName(), site.fileName(), site.line());
  }

  /**
   * Per top-level equation of {@code graph}, the user's line that bound it while tracing (null
   * entries where unknown); null when the trace kept none.
   */
  static List<EqnSource> equations(Jaxpr graph) {
    if (graph.sources().isEmpty()) {
      return null;
    }
    List<EqnSource> out = new ArrayList<>(graph.sources().size());
    for (SourceInfo s : graph.sources()) {
      out.add(s == null ? null : new EqnSource(ref(s.site()), s.backward()));
    }
    return out;
  }

  /** Per leaf of {@code tree}, in leaf order: the innermost record component holding it, or null. */
  static List<SourceRef> leaves(TreeDef tree) {
    List<RecordComponent> components = tree.leafRecordComponents();
    List<SourceRef> out = new ArrayList<>(components.size());
    for (RecordComponent c : components) {
      out.add(c == null ? null : new SourceRef(c.getDeclaringRecord().getName(), c.getName(), null, -1));
    }
    return out;
  }
}
