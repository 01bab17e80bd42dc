package dev.statelens.engine.backend;

import dev.statelens.engine.ir.Aval;

/** Device memory holding one concrete array, owned by a {@link Backend}. Immutable once made. */
public interface Buffer {
  Aval aval();
}
