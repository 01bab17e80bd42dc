package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input promise as a user meets it through the public API (docs/errors.md): each message
 * names the problem (op, shapes, leaf, argument) and the fix, and shape errors say where in the
 * user's code they were raised, inside {@code jit} too.
 */
class BadInputErrorsTest {
  public record P(Array w, Array b) {}

  public record State(Array w, Array n) {}

  public record Steps(Array w, Array steps) {}

  /** The line of the caller: the assertion's own line, where the failing call is too. */
  private static int line() {
    return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow()).getLineNumber();
  }

  private static String message(Class<? extends Throwable> type, Executable call) {
    return assertThrows(type, call).getMessage();
  }

  private static void assertHas(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "missing '" + p + "' in: " + message);
    }
  }

  // ---- (a) shape mismatches, outside and inside jit --------------------------------------------

  @Test
  void eagerShapeErrorsNameTheOpBothShapesTheFixAndTheLine() {
    Array a = Array.ones(3, 4);
    int l = line(); String m = message(ShapeError.class, () -> a.matmul(Array.ones(5, 2)));
    assertHas(m, "matmul: shapes [3,4] and [5,2] are not aligned", "transpose an operand", "(at BadInputErrorsTest.java:" + l + ")");
    l = line(); m = message(ShapeError.class, () -> a.add(Array.ones(5)));
    assertHas(m, "add: shapes [3,4] and [5] cannot be broadcast together", "reshape or expandDims",
        "(at BadInputErrorsTest.java:" + l + ")");
    m = message(ShapeError.class, () -> a.reshape(5, 3));
    assertHas(m, "reshape: cannot reshape [3,4] (12 elements) into [5,3]", "must have 12 elements", "-1");
  }

  @Test
  void axisPermutationAndJoinErrorsSayWhatIsAllowed() {
    Array a = Array.ones(3, 4);
    assertHas(message(ShapeError.class, () -> a.sum(2)), "sum: axis 2 is out of range for an array of rank 2",
        "Use an axis from -2 to 1");
    assertHas(message(ShapeError.class, () -> a.transpose(0, 0)), "[0, 0] is not a permutation of the axes of [3,4]",
        "Name each axis 0..1 exactly once");
    assertHas(message(ShapeError.class, () -> Array.concatenate(0, a, Array.ones(5, 2))),
        "concatenate: shapes [3,4] and [5,2] differ outside axis 0", "All dimensions but the joined one must be equal");
    assertHas(message(ShapeError.class, () -> Array.ones(3).broadcastTo(4)),
        "broadcastTo: shape [3] cannot be broadcast to [4]", "equal the target's or be 1");
  }

  @Test
  void shapeErrorsWhileTracingNameTheJittedFunctionAndTheTracedLine() {
    BiFunction<Array, Array, Array> mm = Transforms.jit("step", (x, y) -> x.matmul(y));
    int l = line(); BiFunction<Array, Array, Array> add = Transforms.jit("update", (x, y) -> x.add(y));
    String m = message(ShapeError.class, () -> mm.apply(Array.ones(3, 4), Array.ones(5, 2)));
    assertHas(m, "matmul: shapes [3,4] and [5,2]", "transpose an operand", "while tracing jit(step), at BadInputErrorsTest.java:");
    m = message(ShapeError.class, () -> add.apply(Array.ones(3, 4), Array.ones(5)));
    assertHas(m, "add: shapes [3,4] and [5]", "(while tracing jit(update), at BadInputErrorsTest.java:" + l + ")");
    Function<Array, Array> reshape = Transforms.jit("flatten", x -> x.reshape(5, 3));
    m = message(ShapeError.class, () -> reshape.apply(Array.ones(3, 4)));
    assertHas(m, "reshape: cannot reshape [3,4]", "must have 12 elements", "while tracing jit(flatten)");
    m = message(ShapeError.class, () -> Transforms.grad((Array x) -> x.add(Array.ones(5)).sum()).apply(Array.ones(3, 4)));
    assertHas(m, "add: shapes [3,4] and [5]", "while tracing grad(");
  }

  @Test
  void aSecondSignatureThatDoesNotFitRetracesAndNamesTheShapes() {
    Function<P, Array> f = Transforms.jit("step", (P p) -> p.w().add(p.b()));
    f.apply(new P(Array.ones(3), Array.ones(3)));
    String m = message(ShapeError.class, () -> f.apply(new P(Array.ones(4), Array.ones(3))));
    assertHas(m, "add: shapes [4] and [3]", "while tracing jit(step)");
  }

  @Test
  void aNullLeafUsedAsAnOperandSaysSoInsteadOfAnInternalNpe() {
    Function<P, Array> f = Transforms.jit("step", (P p) -> p.w().add(p.b()));
    String m = message(NullPointerException.class, () -> f.apply(new P(Array.ones(3), null)));
    assertHas(m, "add: the operand is null", "Array.scalar");
  }

  @Test
  void loopCarriesThatChangeTypeNameTheLoopTheLeafAndTheFix() {
    Function<Array, Array> forI = Transforms.jit("loop", x -> Lax.forI(0, 3, (i, c) -> c.reshape(1), x));
    String m = message(ShapeError.class, () -> forI.apply(Array.scalar(0)));
    assertHas(m, "Lax.forI: the body must return a carry of the same types as init", "the carry is f32[] in init but f32[1]",
        "make init the type the body returns");
    Function<State, State> scan = Transforms.jit("loop", s -> Lax.scan(
        (State c, Array x) -> Pair.of(new State(c.w().add(Array.ones(2)), c.n()), x), s, Array.ones(3)).first());
    m = message(ShapeError.class, () -> scan.apply(new State(Array.scalar(0), Array.scalar(0))));
    assertHas(m, "Lax.scan:", "carry leaf w is f32[] in init but f32[2]", "while tracing a Lax.scan/forI body");
  }

  // ---- (b) pytree structure ----------------------------------------------------------------------

  @Test
  void treeStructureMismatchNamesBothStructuresAndTheFix() {
    String m = message(TreeStructureError.class,
        () -> Tree.map((Array u, Array v) -> u.add(v), List.of(Array.ones(3), Array.ones(3)), List.of(Array.ones(3))));
    assertHas(m, "does not have the structure of tree 1", "[*, *]", "[*]", "Build both trees the same way");
    m = message(IllegalArgumentException.class, () -> Transforms.jit("s", (Array x) -> "done").apply(Array.ones(1)));
    assertHas(m, "java.lang.String", "neither a pytree leaf", "Tree.register");
  }

  // ---- (c) grad ----------------------------------------------------------------------------------

  @Test
  void gradOfANonScalarOrOfAnIntegerInputSaysWhatToChange() {
    String m = message(IllegalArgumentException.class, () -> Transforms.grad((Array x) -> x.mul(2)).apply(Array.ones(3)));
    assertHas(m, "grad requires a scalar output, got f32[3]", "sum() or mean()");
    m = message(IllegalArgumentException.class,
        () -> Transforms.grad((Steps p) -> p.w().sum()).apply(new Steps(Array.ones(3), Array.of(1, 2))));
    assertHas(m, "grad requires float inputs", "arg0.steps is i32[2]", "astype(DType.F32)");
  }

  // ---- (i) PRNG misuse ---------------------------------------------------------------------------

  @Test
  void keysOfTheWrongShapeOrDtypeAndBadProbabilityShapesAreNamed() {
    String m = message(IllegalArgumentException.class, () -> new Key(Array.ones(DType.U32, 3)));
    assertHas(m, "a Key holds a uint32 array of shape [2], got u32[3]", "Random.key(seed)");
    m = message(IllegalArgumentException.class, () -> new Key(Array.ones(DType.F32, 2)));
    assertHas(m, "got f32[2]", "Key.of(word0, word1)");
    m = message(ShapeError.class, () -> Random.bernoulli(Random.key(0), Array.ones(4), 3));
    assertHas(m, "bernoulli: p of shape [4] does not broadcast to shape [3]");
    m = message(IllegalArgumentException.class, () -> Random.normal(Random.key(0), new int[] {3}, DType.I32));
    assertHas(m, "normal: dtype must be a float (F32, F64, BF16 or F16), got I32", "Random.randint");
  }

  // ---- (f) a folder where a run file is expected -------------------------------------------------

  @Test
  void aFolderPassedAsTheRunFileIsCalledAFolder(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectory(dir.resolve("run.db"));
    String m = message(RunStoreException.class, () -> RunStore.open(folder));
    assertHas(m, "is a folder, not a run store", "pass the .db file");
  }
}
