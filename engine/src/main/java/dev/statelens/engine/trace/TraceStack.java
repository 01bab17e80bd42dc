package dev.statelens.engine.trace;

import dev.statelens.engine.Array;
import dev.statelens.engine.UnexpectedTracerError;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The thread-local stack of active traces (level 0 is eager evaluation) and {@link #bind}. */
public final class TraceStack {
  private static final class State {
    final List<Trace> stack = new ArrayList<>();
    Trace dynamic;

    State() {
      Trace eval = new EvalTrace();
      stack.add(eval);
      dynamic = eval;
    }
  }

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
  /**
   * Traces pushed and not yet popped, over all threads: when 0, {@link #isTracing} answers
   * without the {@code ThreadLocal} probe (jit's cache-hit path asks on every call).
   */
  private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

  private TraceStack() {}

  /** Pushes a new trace made by {@code factory(level)}; pop it in a finally block. */
  public static <T extends Trace> T push(IntFunction<T> factory) {
    State s = STATE.get();
    T t = factory.apply(s.stack.size());
    if (t.level() != s.stack.size()) {
      throw new IllegalStateException("trace level " + t.level() + " != " + s.stack.size());
    }
    s.stack.add(t);
    OPEN.incrementAndGet();
    if (t.isDynamic()) {
      s.dynamic = t;
    }
    return t;
  }

  /** Pops {@code t}, which must be the innermost trace; its tracers become invalid. */
  public static void pop(Trace t) {
    State s = STATE.get();
    Trace top = s.stack.get(s.stack.size() - 1);
    if (top != t) {
      throw new IllegalStateException("trace stack out of order: popping level " + t.level()
          + " but innermost is level " + top.level());
    }
    s.stack.remove(s.stack.size() - 1);
    OPEN.decrementAndGet();
    t.deactivate();
    Trace d = s.stack.get(0);
    for (Trace x : s.stack) {
      if (x.isDynamic()) {
        d = x;
      }
    }
    s.dynamic = d;
  }

  /** The innermost trace (the eval trace when nothing is being traced). */
  public static Trace innermost() {
    State s = STATE.get();
    return s.stack.get(s.stack.size() - 1);
  }

  /** True while any trace other than eager evaluation is active on this thread. */
  public static boolean isTracing() {
    // a trace this thread pushed is counted in OPEN, and the thread sees its own increment
    return OPEN.get() != 0 && STATE.get().stack.size() > 1;
  }

  /** The innermost dynamic trace (staging or eager): where operations on constants go. */
  public static Trace dynamic() {
    return STATE.get().dynamic;
  }

  /** Checks that a tracer may be used now; throws UnexpectedTracerError if its trace ended. */
  public static void checkAlive(Tracer t, String operation) {
    Trace tt = t.trace();
    if (!tt.isActive() || tt.owner() != Thread.currentThread()) {
      throw UnexpectedTracerError.escaped(tt.functionName(), t.aval().toString(), operation);
    }
  }

  /** Applies {@code p}: picks the trace (see {@link Trace}) and lets it process the inputs. */
  public static List<Array> bind(Primitive p, Params params, Array[] inputs) {
    Trace chosen = STATE.get().dynamic;
    for (Array a : inputs) {
      Tracer t = a.tracer();
      if (t != null) {
        checkAlive(t, p.name());
        if (t.trace().level() > chosen.level()) {
          chosen = t.trace();
        }
      }
    }
    return chosen.process(p, params, inputs);
  }
}
