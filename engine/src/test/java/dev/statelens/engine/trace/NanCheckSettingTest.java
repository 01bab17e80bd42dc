package dev.statelens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A typo in the NaN-checking switch is reported instead of silently leaving the checks off. */
class NanCheckSettingTest {
  @Test
  void clearValuesAreQuietAnUnclearOneSaysWhatIsUnderstood() {
    for (String clear : new String[] {null, "", "1", "true", "YES", "0", "false", "no"}) {
      assertNull(NanCheck.unclearSetting("STATELENS_DEBUG_NANS", clear), clear);
    }
    assertEquals("statelens: STATELENS_DEBUG_NANS=on is not understood: use 1, true or yes to check for NaNs "
        + "(0, false or no for off); NaN checking stays off.", NanCheck.unclearSetting("STATELENS_DEBUG_NANS", "on"));
  }
}
