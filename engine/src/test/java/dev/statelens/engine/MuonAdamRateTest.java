package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code MuonOptions.withAdam(..., double)}: the Adam part's fixed rate, as the Schedule form gives it. */
class MuonAdamRateTest {
  record Params(Array weight, Array bias) {}

  private static float[] biasUpdate(Optim.MuonOptions options) {
    Params params = new Params(Array.ones(3, 2), Array.ones(2));
    Params grads = new Params(Array.of(new float[] {1, -2, 3, 0.5f, -1, 2}).reshape(3, 2), Array.of(0.3f, -0.7f));
    Optim.Optimizer muon = Optim.muon(0.02, options);
    Params updates = muon.update(grads, muon.init(params), params).first();
    return updates.bias().toFloatArray();
  }

  @Test
  void aFixedAdamRateEqualsTheConstantSchedule() {
    Optim.MuonOptions base = Optim.MuonOptions.defaults();
    float[] fixed = biasUpdate(base.withAdam(0.9, 0.999, 0, 1e-4, 3e-3));
    assertArrayEquals(biasUpdate(base.withAdam(0.9, 0.999, 0, 1e-4, Schedule.constant(3e-3))), fixed, 0f);
    // and it is the Adam part's own rate, not Muon's 0.02
    assertFalse(List.of(fixed[0], fixed[1]).equals(List.of(biasUpdate(base)[0], biasUpdate(base)[1])));
  }
}
