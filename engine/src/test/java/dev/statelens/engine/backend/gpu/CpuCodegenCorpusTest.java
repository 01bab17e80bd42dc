package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuExecutable;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's generated code ({@code statelens.cpu.codegen=on}) against its interpreter
 * ({@code off}), bit for bit, on the engine's program corpus: every standard primitive over
 * every dtype it accepts ({@link PrimitiveCases}) and the examples' graphs ({@link ExampleGraphs}:
 * linreg and MLP steps, a matmul, threefry sampling). It lives beside the corpus, which the GPU
 * tests share.
 */
class CpuCodegenCorpusTest {

  private static CpuBuffer[] inputs(Jaxpr j, long seed) {
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Object> host = Reference.inputs(j, seed);
    CpuBuffer[] in = new CpuBuffer[vars.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = new CpuBuffer(vars.get(i).aval(), host.get(i));
    }
    return in;
  }

  private static boolean sameBits(Object a, Object b) {
    return switch (a) {
      case float[] x -> {
        float[] y = (float[]) b;
        if (x.length != y.length) yield false;
        for (int i = 0; i < x.length; i++) {
          if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) yield false;
        }
        yield true;
      }
      case double[] x -> {
        double[] y = (double[]) b;
        if (x.length != y.length) yield false;
        for (int i = 0; i < x.length; i++) {
          if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) yield false;
        }
        yield true;
      }
      case int[] x -> Arrays.equals(x, (int[]) b);
      case boolean[] x -> Arrays.equals(x, (boolean[]) b);
      default -> throw new AssertionError("unexpected host array " + a.getClass());
    };
  }

  @Test
  void generatedCodeEqualsTheInterpreterOnEveryProgram() {
    List<Jaxpr> graphs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (ExampleGraphs.Labeled g : ExampleGraphs.corpus()) {
      graphs.add(g.graph());
      labels.add(g.label());
    }

    List<String> mismatches = new ArrayList<>();
    List<String> notGenerated = new ArrayList<>();
    int generated = 0;
    int compared = 0;
    for (int k = 0; k < graphs.size(); k++) {
      Jaxpr j = graphs.get(k).dce();
      String what = labels.get(k) + " " + j.inAvals();
      CpuExecutable interpreted = CpuExecutable.compile(j, "off");
      CpuExecutable code = CpuExecutable.compile(j, "on");
      if (code.isGenerated()) {
        generated++;
      } else {
        notGenerated.add(what + ": " + CpuExecutable.whyNotGenerated(j));
      }
      CpuBuffer[] in = inputs(j, 500 + k);
      CpuBuffer[] expected;
      try {
        expected = interpreted.run(in);
      } catch (RuntimeException e) {
        // nothing to compare with; the generated code runs the same kernel and must fail alike
        try {
          code.run(in);
          mismatches.add(what + ": the interpreter failed (" + e.getMessage() + ") but generated code did not");
        } catch (RuntimeException same) {
          assertEquals(e.getClass(), same.getClass(), what);
        }
        continue;
      }
      for (int round = 0; round < 2; round++) { // the second call reuses the scratch arrays
        CpuBuffer[] actual = code.run(in);
        assertEquals(expected.length, actual.length, what);
        for (int o = 0; o < expected.length; o++) {
          assertEquals(expected[o].aval(), actual[o].aval(), what + " output " + o);
          if (!sameBits(expected[o].data(), actual[o].data())) {
            mismatches.add(what + " output " + o + " (round " + round + "), generated " + code.generatedStepNames()
                + "\n    " + j.toString().replace('\n', ' '));
          }
        }
      }
      compared++;
    }
    System.out.println("[cpu codegen] " + generated + " of " + graphs.size() + " programs generated, "
        + compared + " compared");
    assertEquals(List.of(), notGenerated, "every corpus program should compile to generated code");
    assertTrue(compared >= graphs.size() - 2, "too few programs ran: " + compared);
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " outputs differ from the interpreter:\n" + String.join("\n", mismatches));
    }
  }

  @Test
  void linregStepIsOneLoopAndMlpStepIsGenerated() {
    Jaxpr linregGraph = ExampleGraphs.linregUpdate().dce();
    CpuExecutable linreg = CpuExecutable.compile(linregGraph, "auto");
    CpuBuffer[] in = inputs(linregGraph, 1);
    linreg.run(in);
    linreg.run(in); // auto: generated at the second run
    assertTrue(linreg.isGenerated());
    assertEquals(1, linreg.generatedStepNames().stream().filter(s -> s.startsWith("loop[")).count(),
        linreg.generatedStepNames().toString());
    Jaxpr mlpGraph = ExampleGraphs.mlpStep().dce();
    CpuExecutable mlp = CpuExecutable.compile(mlpGraph, "auto");
    CpuBuffer[] mlpIn = inputs(mlpGraph, 2);
    mlp.run(mlpIn);
    mlp.run(mlpIn);
    assertTrue(mlp.isGenerated(), "the MLP step's values are at most 8192 elements");
  }
}
