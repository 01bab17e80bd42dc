package dev.statelens.engine.backend.cpu;

/** Registers the CPU kernels of every primitive in {@link dev.statelens.engine.ir.Prims}. */
final class StandardKernels {
  private StandardKernels() {}

  static void registerAll() {
    Elementwise.registerAll();
    Layout.registerAll();
    Reductions.registerAll();
    DotGeneral.registerAll();
    ControlFlow.registerAll();
    HostCallbackKernels.registerAll();
    Indexing.registerAll();
    Updates.registerAll();
    Cumulative.registerAll();
    Sorting.registerAll();
    TopK.registerAll();
    Convolution.registerAll();
    Windows.registerAll();
  }
}
