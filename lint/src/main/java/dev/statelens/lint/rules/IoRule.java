package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.KnownApis;
import dev.statelens.lint.analysis.Origin;
import dev.statelens.lint.analysis.TypeRef;
import dev.statelens.lint.fix.FixId;
import java.util.List;
import java.util.Set;

/** SL003: console output, logging, files and sockets inside transformed code. */
final class IoRule implements RuleCheck {

  private static final Set<String> LOGGER_TYPES = Set.of("java.util.logging.Logger",
      "org.slf4j.Logger", "org.apache.logging.log4j.Logger", "java.lang.System.Logger",
      "org.apache.commons.logging.Log");
  private static final Set<String> LOG_METHODS = Set.of("log", "info", "debug", "warn", "warning",
      "error", "trace", "fatal", "fine", "finer", "finest", "severe", "config", "entering",
      "exiting", "atInfo", "atDebug", "atWarn", "atError", "atTrace", "logp", "printf");
  /** Types whose construction opens a file, socket or process. */
  private static final Set<String> OPENING_TYPES = Set.of("FileWriter", "FileOutputStream",
      "FileInputStream", "FileReader", "RandomAccessFile", "Socket", "ServerSocket",
      "DatagramSocket", "ProcessBuilder", "FileHandler");
  private static final Set<String> STREAM_TYPES = Set.of("java.io.OutputStream",
      "java.io.Writer", "java.io.InputStream", "java.io.Reader");
  private static final Set<String> PRINT_METHODS = Set.of("println", "print", "printf", "format");

  @Override
  public Rule rule() {
    return Rule.SL003;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      switch (effect) {
        case Effect.Call call when isCheckpointIo(call) -> sink.report(Rule.SL003, effect, effect.node(),
            "I/O " + Snippets.call(call) + " " + effect.context().where() + ": "
                + Phrases.runsWhen(effect.context(), "it")
                + ", on tracers instead of the state's values. Fix: save checkpoints outside the "
                + "transformed function, from the state it returns.",
            List.of(FixId.SUPPRESS));
        case Effect.Call call when isIo(call) -> {
          boolean console = isConsolePrint(call);
          boolean hostCall = isLogOrFileWrite(call);
          sink.report(Rule.SL003, effect, effect.node(),
              "I/O " + Snippets.call(call) + " " + effect.context().where() + ": "
                  + Phrases.runsWhen(effect.context(), "it")
                  + (console ? ", printing tracers instead of values" : "")
                  + (hostCall
                      ? ". Fix: hand the arrays to Debug.callback(v -> ..., arrays), which runs the call on the "
                          + "host with the run-time values on every call (v[0] for the first array)."
                      : ". Fix: use Debug.print(\"... {}\", array), which prints the run-time values "
                          + "on every call."),
              console && debugPrintApplies(call) ? List.of(FixId.DEBUG_PRINT, FixId.SUPPRESS)
                  : hostCall && call.node() instanceof org.eclipse.jdt.core.dom.MethodInvocation mi
                      && dev.statelens.lint.fix.DebugCallbackFix.whyNotApplicable(mi) == null
                      ? List.of(FixId.DEBUG_CALLBACK, FixId.SUPPRESS) : List.of(FixId.SUPPRESS));
        }
        case Effect.Creation creation when creation.type() != null
            && OPENING_TYPES.contains(creation.type().simpleName()) -> sink.report(Rule.SL003,
            effect, effect.node(),
            "I/O new " + creation.type().simpleName() + "(...) " + effect.context().where() + ": "
                + Phrases.runsWhen(effect.context(), "it")
                + ". Fix: do file and network I/O outside the transformed function, or at run time inside "
                + "Debug.callback(v -> ..., arrays); use Debug.print(\"... {}\", array) to see run-time values.",
            List.of(FixId.SUPPRESS));
        default -> { }
      }
    }
  }

  /** Debug.print takes arrays: a printf of a String or a number cannot become one. */
  private static boolean debugPrintApplies(Effect.Call call) {
    return call.node() instanceof org.eclipse.jdt.core.dom.MethodInvocation mi
        && dev.statelens.lint.fix.DebugPrintFix.whyNotApplicable(mi) == null;
  }

  /** {@code System.out}/{@code System.err}, optionally qualified. */
  private static final java.util.regex.Pattern CONSOLE =
      java.util.regex.Pattern.compile("(java\\.lang\\.)?System\\.(out|err)");

  static boolean isConsolePrint(Effect.Call call) {
    // The method name first: flattening the receiver to text is the expensive part (it ran for
    // every call of every analyzed function, ~5% of a names-only re-analysis).
    return PRINT_METHODS.contains(call.name())
        && call.node() instanceof org.eclipse.jdt.core.dom.MethodInvocation mi
        && mi.getExpression() != null
        && CONSOLE.matcher(mi.getExpression().toString()).matches();
  }

  /** The engine's checkpoint files: reads and writes of .npz files, not traced operations. */
  private static final Set<String> CHECKPOINT_TYPES = Set.of(
      "dev.statelens.engine.checkpoint.Checkpoints", "dev.statelens.engine.checkpoint.CheckpointManager");

  private static boolean isCheckpointIo(Effect.Call call) {
    return CHECKPOINT_TYPES.stream().anyMatch(call.callee()::ownerIs)
        || call.receiverType() != null && CHECKPOINT_TYPES.stream().anyMatch(call.receiverType()::is);
  }

  private static boolean isIo(Effect.Call call) {
    if (call.callee().ownerIs("java.nio.file.Files")) {
      return true;
    }
    if (call.receiver() == null) {
      return call.callee().ownerIs("java.lang.System") && call.name().equals("console");
    }
    if (isConsolePrint(call)) {
      return true;
    }
    TypeRef type = call.receiverType();
    if (type == null) {
      return false;
    }
    if (isLogger(type)) {
      return LOG_METHODS.contains(call.name());
    }
    if (type.isA("java.io.PrintStream") || type.isA("java.io.Console")) {
      return call.receiver().origin() != Origin.FRESH;
    }
    for (String stream : STREAM_TYPES) {
      if (type.isA(stream)) {
        // A StringWriter or ByteArrayOutputStream made inside the function is plain memory.
        return call.receiver().origin() == Origin.OUTER
            && !type.simpleName().startsWith("String")
            && !type.simpleName().startsWith("ByteArray")
            && !type.simpleName().startsWith("CharArray");
      }
    }
    return false;
  }

  /**
   * A logger call, or a write to a file or an outer stream: the calls the debug-callback fix can
   * move into {@code Debug.callback} (console prints get Debug.print instead).
   */
  static boolean isLogOrFileWrite(Effect.Call call) {
    if (call.callee().ownerIs("java.nio.file.Files")) {
      return KnownApis.IO_EXCEPTION_WRITES.contains(call.name());
    }
    TypeRef type = call.receiverType();
    if (call.receiver() == null || type == null || isConsolePrint(call)) {
      return false;
    }
    if (isLogger(type)) {
      return true;
    }
    // PrintStream/PrintWriter writes declare no IOException, which the fix's try would catch
    return KnownApis.IO_EXCEPTION_WRITES.contains(call.name()) && STREAM_TYPES.stream().anyMatch(type::isA)
        && !type.isA("java.io.PrintStream") && !type.isA("java.io.PrintWriter");
  }

  private static boolean isLogger(TypeRef type) {
    if (type.qualifiedName() != null) {
      return LOGGER_TYPES.contains(type.qualifiedName())
          || LOGGER_TYPES.stream().anyMatch(type::isA);
    }
    return type.simpleName().equals("Logger") || type.simpleName().equals("Log");
  }
}
