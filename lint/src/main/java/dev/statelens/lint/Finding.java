package dev.statelens.lint;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One problem found in transformed code.
 *
 * @param rule the rule that found it
 * @param severity the configured severity of that rule
 * @param file the file it is in (absolute, normalized)
 * @param range where in the file
 * @param message what happens at run time and how to fix it
 * @param callChain from the transform call ({@code jit(...)}) to the call that reached the
 *     finding; one frame when the finding is in the transformed function itself
 * @param fixIds the quick fixes that apply ({@link dev.statelens.lint.fix.FixId} names)
 */
public record Finding(
    Rule rule,
    Severity severity,
    Path file,
    SourceRange range,
    String message,
    List<CallFrame> callChain,
    List<String> fixIds) {

  public Finding {
    callChain = List.copyOf(callChain);
    fixIds = List.copyOf(fixIds);
  }

  /** The message with the call chain appended when the finding is reached through calls. */
  public String messageWithChain() {
    if (callChain.size() <= 1) {
      return message;
    }
    return message + " [call chain: "
        + callChain.stream().map(CallFrame::render).collect(Collectors.joining(" -> ")) + "]";
  }
}
