package dev.statelens.debugger.ui;

import dev.statelens.debugger.launch.LiveSession;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.eclipse.swt.widgets.Display;

/**
 * Sends the State Flow view's live commands (pause, step, resume, run to, break on …) to the
 * training program off the UI thread: each writes the control socket, and a program slow to read it
 * (a full socket buffer, a stalled JVM) held the whole IDE. One sender thread for every view, so
 * the commands arrive in the order they were given (F6 F6 F8 steps twice, then resumes).
 */
final class LiveCommands {
  /** One live command: it may write the program's socket. */
  interface Command {
    void run(LiveSession s) throws IOException;
  }

  private static final ExecutorService SENDER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "StateLens live commands");
    t.setDaemon(true); // never keeps the IDE from exiting
    return t;
  });

  private LiveCommands() {}

  /**
   * Runs {@code command} on {@code session} on the sender thread, after every command sent before
   * it; a failure's message goes to {@code onError} on {@code display}'s UI thread.
   */
  static Future<?> send(Display display, LiveSession session, Command command, Consumer<String> onError) {
    return SENDER.submit(() -> {
      try {
        command.run(session);
      } catch (IOException e) {
        String message = "The training program is not reachable: " + e.getMessage();
        if (!display.isDisposed()) {
          display.asyncExec(() -> onError.accept(message));
        }
      }
    });
  }
}
