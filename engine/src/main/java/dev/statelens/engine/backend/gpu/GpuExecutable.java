package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.Executable;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.backend.gpu.GpuProgram.Alias;
import dev.statelens.engine.backend.gpu.GpuProgram.Cond;
import dev.statelens.engine.backend.gpu.GpuProgram.Fill;
import dev.statelens.engine.backend.gpu.GpuProgram.Graph;
import dev.statelens.engine.backend.gpu.GpuProgram.Host;
import dev.statelens.engine.backend.gpu.GpuProgram.Launch;
import dev.statelens.engine.backend.gpu.GpuProgram.Scan;
import dev.statelens.engine.backend.gpu.GpuProgram.Step;
import dev.statelens.engine.backend.gpu.GpuProgram.While;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link GpuProgram}: allocates each step's outputs, launches its kernel, and releases the
 * intermediates when the call ends (after a device synchronize, so no kernel still reads them).
 * Inputs are the caller's and are never freed here; outputs are handed over. Thread-safe: all
 * per-call state is local; the module is loaded once.
 */
final class GpuExecutable implements Executable {
  private final GpuBackend backend;
  private final Jaxpr jaxpr;
  private final GpuProgram program;
  private final Map<String, Long> functions = new ConcurrentHashMap<>();
  private volatile long module;
  private volatile int lastCallLaunches;

  GpuExecutable(GpuBackend backend, Jaxpr jaxpr) {
    this.backend = backend;
    this.jaxpr = jaxpr;
    this.program = KernelGenerator.generate(jaxpr);
  }

  @Override
  public Jaxpr jaxpr() {
    return jaxpr;
  }

  GpuProgram program() {
    return program;
  }

  /** Kernels launched (BLAS calls included) by the latest {@link #execute} call. */
  int lastCallLaunches() {
    return lastCallLaunches;
  }

  private long function(String name) {
    Long f = functions.get(name);
    if (f != null) {
      return f;
    }
    synchronized (this) {
      if (module == 0) {
        module = backend.driver().loadModule(backend.cache().image(program));
      }
      return functions.computeIfAbsent(name, n -> backend.driver().function(module, n));
    }
  }

  @Override
  public List<Buffer> execute(List<Buffer> inputs) {
    List<GpuBuffer> in = new ArrayList<>(inputs.size());
    List<GpuBuffer> copied = new ArrayList<>();
    for (Buffer b : inputs) {
      GpuBuffer g = backend.onDevice(b);
      if (g != b) {
        copied.add(g);
      }
      in.add(g);
    }
    List<GpuBuffer> owned = new ArrayList<>();
    int[] launches = {0};
    try {
      List<GpuBuffer> out = run(program.main(), in, owned, launches);
      return new ArrayList<>(out);
    } finally {
      lastCallLaunches = launches[0];
      backend.countLaunches(launches[0]);
      backend.driver().synchronize();
      owned.forEach(GpuBuffer::close);
      copied.forEach(GpuBuffer::close);
    }
  }

  /**
   * Runs {@code g} on {@code inputs}. Buffers made on the way that are not returned go into
   * {@code trash}; returned buffers are fresh (an input returned as is comes back as a view).
   * Each kernel launch or BLAS call adds one to {@code launches[0]}.
   */
  private List<GpuBuffer> run(Graph g, List<GpuBuffer> inputs, List<GpuBuffer> trash, int[] launches) {
    GpuBuffer[] slot = new GpuBuffer[g.slots().size()];
    boolean[] mine = new boolean[slot.length];
    for (int i = 0; i < g.inputs().length; i++) {
      slot[g.inputs()[i]] = inputs.get(i);
    }
    for (Step step : g.steps()) {
      switch (step) {
        case Launch l -> {
          long[] args = new long[l.args().length];
          for (int o : l.outputs()) {
            slot[o] = backend.allocate(g.slots().get(o));
            mine[o] = true;
          }
          for (int a = 0; a < args.length; a++) {
            args[a] = slot[l.args()[a]].pointer();
          }
          java.util.Optional<Blas> blas = l.gemm() == null ? java.util.Optional.empty()
              : backend.driver().blas().filter(x -> x.computes(l.gemm()));
          if (blas.isPresent()) {
            blas.get().gemm(l.gemm(), args[0], args[1], args[2]);
            launches[0]++;
          } else if ((long) l.grid()[0] * l.grid()[1] * l.grid()[2] > 0) {
            backend.driver().launch(function(l.kernel()), l.grid(), l.block(), l.sharedBytes(), args);
            launches[0]++;
          }
        }
        case Alias a -> {
          slot[a.dst()] = slot[a.src()].view(g.slots().get(a.dst()));
          mine[a.dst()] = true;
        }
        case Fill f -> {
          Object host = HostArrays.allocate(f.value().dtype(), 1);
          HostArrays.setDouble(host, f.value().dtype(), 0, f.value().value());
          slot[f.slot()] = backend.upload(f.value().aval(), host);
          mine[f.slot()] = true;
        }
        case Cond c -> {
          Object idx = backend.download(slot[c.index()]);
          int branch = idx instanceof boolean[] z ? (z[0] ? 1 : 0) : ((int[]) idx)[0];
          branch = Math.max(0, Math.min(c.branches().size() - 1, branch)); // lax.cond clamps
          List<GpuBuffer> ops = Arrays.stream(c.operands()).mapToObj(i -> slot[i]).toList();
          List<GpuBuffer> res = run(c.branches().get(branch), ops, trash, launches);
          for (int k = 0; k < res.size(); k++) {
            slot[c.outputs()[k]] = res.get(k);
            mine[c.outputs()[k]] = true;
          }
        }
        case Scan s -> {
          List<GpuBuffer> res = scan(s, g, slot, trash, launches);
          for (int k = 0; k < res.size(); k++) {
            slot[s.outputs()[k]] = res.get(k);
            mine[s.outputs()[k]] = true;
          }
        }
        case While w -> {
          List<GpuBuffer> res = whileLoop(w, slot, launches);
          for (int k = 0; k < res.size(); k++) {
            slot[w.outputs()[k]] = res.get(k);
            mine[w.outputs()[k]] = true;
          }
        }
        case Host h when h.fft() != null && backend.driver().fft().isPresent() ->
            launches[0] += deviceFft(backend.driver().fft().get(), h, slot, mine);
        case Host h -> {
          Backend cpu = Backends.cpu();
          List<Buffer> ops = new ArrayList<>();
          for (int i : h.operands()) {
            ops.add(cpu.upload(slot[i].aval(), backend.download(slot[i])));
          }
          List<Aval> outAvals = h.eqn().outputs().stream().map(v -> v.aval()).toList();
          List<Buffer> res = cpu.execute(h.eqn().primitive(), h.eqn().params(), ops, outAvals);
          for (int k = 0; k < res.size(); k++) {
            slot[h.outputs()[k]] = backend.upload(outAvals.get(k), cpu.download(res.get(k)));
            mine[h.outputs()[k]] = true;
          }
        }
      }
    }
    List<GpuBuffer> out = new ArrayList<>();
    boolean[] handedOut = new boolean[slot.length];
    for (int o : g.outputs()) {
      if (mine[o] && !handedOut[o]) {
        handedOut[o] = true;
        out.add(slot[o]);
      } else {
        out.add(slot[o].view(slot[o].aval())); // an input, or the same value twice
      }
    }
    for (int i = 0; i < slot.length; i++) {
      if (mine[i] && !handedOut[i]) {
        trash.add(slot[i]);
      }
    }
    return out;
  }

  /**
   * An {@code fft} host step computed by the vendor FFT on the device: the output allocated, an
   * IRFFT's input first copied (C2R transforms overwrite their input, which later steps may read),
   * then the normalizing kernel of an inverse. Returns the launches (the FFT counts as one).
   */
  private int deviceFft(DeviceFft fft, GpuProgram.Host h, GpuBuffer[] slot, boolean[] mine) {
    GpuProgram.FftPlan p = h.fft();
    int out = h.outputs()[0];
    slot[out] = backend.allocate(h.eqn().outputs().get(0).aval());
    mine[out] = true;
    GpuBuffer in = slot[h.operands()[0]];
    if (p.type() == GpuProgram.FftType.IRFFT) {
      try (GpuBuffer copy = backend.allocate(in.aval())) {
        backend.driver().copyOnDevice(copy.pointer(), in.pointer(), GpuBackend.bytes(in.aval()));
        fft.execute(p, copy.pointer(), slot[out].pointer());
        // the copy goes back to the pool now; the work on the default stream stays ordered before its reuse
      }
    } else {
      fft.execute(p, in.pointer(), slot[out].pointer());
    }
    if (p.normalize() == null) {
      return 1;
    }
    backend.driver().launch(function(p.normalize()), p.grid(), new int[] {KernelGenerator.BLOCK, 1, 1}, 0,
        new long[] {slot[out].pointer()});
    return 2;
  }

  private List<GpuBuffer> scan(Scan s, Graph outer, GpuBuffer[] slot, List<GpuBuffer> trash, int[] launches) {
    int nConsts = s.numConsts();
    int nCarry = s.numCarry();
    int[] ops = s.operands();
    List<GpuBuffer> consts = new ArrayList<>();
    for (int i = 0; i < nConsts; i++) {
      consts.add(slot[ops[i]]);
    }
    List<GpuBuffer> carry = new ArrayList<>();
    for (int i = 0; i < nCarry; i++) {
      carry.add(slot[ops[nConsts + i]]);
    }
    List<GpuBuffer> xs = new ArrayList<>();
    for (int i = nConsts + nCarry; i < ops.length; i++) {
      xs.add(slot[ops[i]]);
    }
    List<GpuBuffer> ys = new ArrayList<>();
    for (int k = nCarry; k < s.outputs().length; k++) {
      ys.add(backend.allocate(outer.slots().get(s.outputs()[k])));
    }
    boolean carryIsOwned = false;
    for (int step = 0; step < s.length(); step++) {
      int t = s.reverse() ? s.length() - 1 - step : step;
      List<GpuBuffer> args = new ArrayList<>(consts);
      args.addAll(carry);
      List<GpuBuffer> slices = new ArrayList<>();
      for (GpuBuffer x : xs) {
        Aval sliceAval = x.aval().withShape(Arrays.copyOfRange(x.aval().shape(), 1, x.aval().rank()));
        GpuBuffer slice = backend.allocate(sliceAval);
        long n = GpuBackend.bytes(sliceAval);
        if (n > 0) {
          backend.driver().copyOnDevice(slice.pointer(), x.pointer() + t * n, n);
        }
        slices.add(slice);
      }
      args.addAll(slices);
      List<GpuBuffer> inner = new ArrayList<>();
      List<GpuBuffer> res = run(s.body(), args, inner, launches);
      List<GpuBuffer> done = new ArrayList<>(inner);
      for (int j = 0; j < ys.size(); j++) {
        GpuBuffer y = res.get(nCarry + j);
        long n = GpuBackend.bytes(y.aval());
        if (n > 0) {
          backend.driver().copyOnDevice(ys.get(j).pointer() + t * n, y.pointer(), n);
        }
        done.add(y);
      }
      done.addAll(slices);
      if (carryIsOwned) {
        done.addAll(carry);
      }
      // free this iteration's temporaries now, so a long scan runs in bounded memory
      backend.driver().synchronize();
      done.forEach(GpuBuffer::close);
      carry = new ArrayList<>(res.subList(0, nCarry));
      carryIsOwned = true;
    }
    List<GpuBuffer> out = new ArrayList<>();
    for (GpuBuffer c : carry) {
      out.add(carryIsOwned ? c : c.view(c.aval()));
    }
    out.addAll(ys);
    return out;
  }

  /**
   * JAX's while, driven from the host: the cond graph runs on the device and its bool[] comes
   * back (one byte per iteration, the only transfer); the body's temporaries and the previous
   * carry are freed each iteration, so a long loop runs in bounded memory. Returned buffers are
   * fresh (views when the loop ran zero times).
   */
  private List<GpuBuffer> whileLoop(While w, GpuBuffer[] slot, int[] launches) {
    int[] ops = w.operands();
    int nc = w.condConsts();
    int nb = w.bodyConsts();
    List<GpuBuffer> condConsts = new ArrayList<>();
    for (int i = 0; i < nc; i++) {
      condConsts.add(slot[ops[i]]);
    }
    List<GpuBuffer> bodyConsts = new ArrayList<>();
    for (int i = nc; i < nc + nb; i++) {
      bodyConsts.add(slot[ops[i]]);
    }
    List<GpuBuffer> carry = new ArrayList<>();
    for (int i = nc + nb; i < ops.length; i++) {
      carry.add(slot[ops[i]]);
    }
    boolean carryIsOwned = false;
    while (true) {
      List<GpuBuffer> condArgs = new ArrayList<>(condConsts);
      condArgs.addAll(carry);
      List<GpuBuffer> condTemps = new ArrayList<>();
      List<GpuBuffer> pred = run(w.cond(), condArgs, condTemps, launches);
      boolean more = ((boolean[]) backend.download(pred.get(0)))[0]; // download waits for the kernels
      condTemps.addAll(pred);
      condTemps.forEach(GpuBuffer::close);
      if (!more) {
        break;
      }
      List<GpuBuffer> bodyArgs = new ArrayList<>(bodyConsts);
      bodyArgs.addAll(carry);
      List<GpuBuffer> done = new ArrayList<>();
      List<GpuBuffer> next = run(w.body(), bodyArgs, done, launches);
      if (carryIsOwned) {
        done.addAll(carry);
      }
      backend.driver().synchronize();
      done.forEach(GpuBuffer::close);
      carry = next;
      carryIsOwned = true;
    }
    List<GpuBuffer> out = new ArrayList<>();
    for (GpuBuffer c : carry) {
      out.add(carryIsOwned ? c : c.view(c.aval()));
    }
    return out;
  }
}
