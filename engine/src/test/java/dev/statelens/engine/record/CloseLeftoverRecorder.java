package dev.statelens.engine.record;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes the recorder a failed test left open, so the next test does not record into its run
 * ({@code @ExtendWith(CloseLeftoverRecorder.class)}).
 */
public final class CloseLeftoverRecorder implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    Recorder r = Recorder.current();
    if (r != null) {
      r.close();
    }
  }
}
