package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.HostArrays;

/**
 * Hands a loop body the carry arrays the loop owns, so its updates write in place
 * ({@link InPlace}). A carry the body would update is copied once when the loop does not own its
 * array — at loop entry (the caller's array: never written) or when the body returned a value it
 * did not update in place — and from then on the same array travels through the steps.
 *
 * <p>A carry array is donated only if no other argument of the step (a constant, an xs slice,
 * another carry) is the same array: a body that returns one value as two carries gets copies.
 */
final class CarryDonor {
  private final boolean[] donatable;
  private final int first;
  /** Per carry: the array this loop made (a copy), or null. */
  private final Object[] owned;

  private CarryDonor(boolean[] donatable, int first, int nCarry) {
    this.donatable = donatable;
    this.first = first;
    this.owned = new Object[nCarry];
  }

  /** A donor for a body whose carries are inputs {@code [first, first + nCarry)}, or null if it updates none. */
  static CarryDonor forBody(CpuExecutable body, int first, int nCarry) {
    if (!InPlace.enabled() || !body.hasDonatableInputs()) {
      return null;
    }
    return new CarryDonor(body.donatableInputs(), first, nCarry);
  }

  /**
   * Replaces each donatable carry in {@code args} by an array this loop owns (copying it if
   * needed) and says which inputs are donated.
   */
  boolean[] prepare(CpuBuffer[] args) {
    boolean[] donated = new boolean[args.length];
    for (int j = 0; j < owned.length; j++) {
      int i = first + j;
      if (!donatable[i]) {
        continue;
      }
      Object data = args[i].data();
      if (data != owned[j] || sharedWithAnother(args, i)) {
        data = HostArrays.copy(data);
        Updates.COPIED_ELEMENTS.add(args[i].aval().size());
        args[i] = new CpuBuffer(args[i].aval(), data);
        owned[j] = data;
      }
      donated[i] = true;
    }
    return donated;
  }

  private static boolean sharedWithAnother(CpuBuffer[] args, int i) {
    Object data = args[i].data();
    for (int k = 0; k < args.length; k++) {
      if (k != i && args[k].data() == data) {
        return true;
      }
    }
    return false;
  }
}
