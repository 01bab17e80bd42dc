package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeDtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Recorder.scalar(name, array)} while nothing is recorded (and recording is not switched on
 * from outside) leaves the array unread: a training loop that logs its loss each step must not pay
 * a device-to-host copy per step for a run that records nothing.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class IdleScalarTest {

  @Test
  void anArrayScalarIsNotReadWhileNothingIsRecorded() {
    assertNull(Recorder.current());
    assertNull(AutoStart.setting("statelens.record", "STATELENS_RECORD"), "this test needs recording off");
    // a shape-only array refuses to be read: logging it must not try
    Array unreadable = ShapeDtype.of(DType.F32);
    assertThrows(IllegalArgumentException.class, unreadable::item);
    assertDoesNotThrow(() -> Recorder.scalar("loss", unreadable));
  }
}
