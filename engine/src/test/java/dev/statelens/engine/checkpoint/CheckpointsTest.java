package dev.statelens.engine.checkpoint;

import static dev.statelens.engine.checkpoint.CheckpointTestArrays.assertSameBits;
import static dev.statelens.engine.checkpoint.CheckpointTestArrays.everyDtype;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

  @TempDir Path dir;

  record Dense(Array w, Array b) {}

  record Model(List<Dense> layers, Map<String, Array> stats, Optional<Array> scale, Optional<Array> absent,
      Object nothing) {}

  record State(Model params, Optim.OptState<Model> optState, Key key, Pair<Array, Array> pair) {}

  private static State state(float seed) {
    Dense d0 = new Dense(Array.of(DType.F32, new int[] {2, 3}, seed, 2, 3, 4, 5, 6), Array.of(seed, -seed, 0.5f));
    Dense d1 = new Dense(Array.of(DType.F32, new int[] {3, 1}, 7, 8, seed), Array.of(DType.F64, new int[] {1}, 1e-300));
    Map<String, Array> stats = new TreeMap<>(Map.of("count", Array.scalar(DType.I32, 7), "mean loss", Array.scalar(seed)));
    Model model = new Model(List.of(d0, d1), stats, Optional.of(Array.scalar(2)), Optional.empty(), null);
    return new State(model, Optim.adam(0.1).init(model), Random.key(42), Pair.of(Array.of(true, false), Array.scalar(DType.U32, -1)));
  }

  @Test
  void everyDtypeAndShapeRoundTripsBitForBit() throws IOException {
    Map<String, Array> tree = everyDtype();
    Path file = Checkpoints.save(dir.resolve("all.npz"), tree);
    Map<String, Array> back = Checkpoints.restore(file, tree);
    assertEquals(tree.keySet(), back.keySet());
    for (String name : tree.keySet()) {
      assertSameBits(tree.get(name), back.get(name), name);
    }
    // load sees the same arrays, named by path, in leaf order (a map's keys sorted)
    Map<String, Array> loaded = Checkpoints.load(file);
    assertEquals(Tree.paths(tree), List.copyOf(loaded.keySet()));
    for (String name : tree.keySet()) {
      assertSameBits(tree.get(name), loaded.get(name), name);
    }
  }

  @Test
  void nestedRecordsListsMapsOptionalsKeysAndPairsRoundTrip() throws IOException {
    State saved = state(1.25f);
    Path file = Checkpoints.save(dir.resolve("state.npz"), saved, 300);
    State back = Checkpoints.restore(file, state(0)); // the template's values are not used
    List<Array> want = Tree.leaves(saved);
    List<Array> got = Tree.leaves(back);
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      assertSameBits(want.get(i), got.get(i), Tree.paths(saved).get(i));
    }
    assertArrayEquals(Random.key(42).data(), back.key().data(), "the PRNG key's words");
    assertTrue(back.params().absent().isEmpty());
    assertNull(back.params().nothing());
    assertInstanceOf(Optim.AdamState.class, back.optState());
    assertEquals(OptionalLong.of(300), Checkpoints.step(file));
    // members are named by tree path, as numpy.load(...)["params.layers[0].w"] reads them
    assertTrue(Checkpoints.load(file).containsKey("params.layers[0].w"));
    assertTrue(Checkpoints.load(file).containsKey("params.stats[\"mean loss\"]"));
    assertTrue(Checkpoints.load(file).containsKey("optState.mu.layers[1].b"));
    assertTrue(Checkpoints.load(file).containsKey("key.keyData"));
  }

  @Test
  void aLoneArrayIsNamedLikeNumpysUnnamedArray() throws IOException {
    Array x = Array.of(1f, 2f);
    Path file = Checkpoints.save(dir.resolve("x.npz"), x);
    assertEquals(List.of(Checkpoints.ROOT_LEAF_NAME), List.copyOf(Checkpoints.load(file).keySet()));
    assertSameBits(x, Checkpoints.restore(file, Array.zeros(2)), "x");
    assertEquals(OptionalLong.empty(), Checkpoints.step(file));
  }

  @Test
  void saveArraysNamesMembersLikeNpSavezKeywords() throws IOException {
    Map<String, Array> named = new java.util.LinkedHashMap<>();
    named.put("in:state.w", Array.of(1f, 2f));
    named.put("b", Array.scalar(DType.I32, 4));
    Path file = Checkpoints.saveArrays(dir.resolve("named.npz"), named);
    Map<String, Array> back = Checkpoints.load(file);
    assertEquals(List.of("in:state.w", "b"), List.copyOf(back.keySet()), "the map's order, names as given");
    assertSameBits(named.get("in:state.w"), back.get("in:state.w"), "w");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Checkpoints.saveArrays(dir.resolve("bad.npz"), Map.of("", Array.scalar(1))));
    assertTrue(e.getMessage().contains("an array has an empty name"), e.getMessage());
  }

  @Test
  void theSameTreeGivesTheSameBytes() throws IOException {
    Path a = Checkpoints.save(dir.resolve("a.npz"), state(3), 5);
    Path b = Checkpoints.save(dir.resolve("b.npz"), state(3), 5);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void shapeAndDtypeMismatchesNameThePathTheFileBothAvalsAndTheFix() throws IOException {
    Path file = Checkpoints.save(dir.resolve("d.npz"), new Dense(Array.zeros(2, 3), Array.zeros(3)));
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Checkpoints.restore(file, new Dense(Array.zeros(3, 2), Array.zeros(DType.F64, 3))));
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), m);
    assertTrue(m.contains("2 differences"), m);
    assertTrue(m.contains("'w': the file has f32[2,3], the template f32[3,2]"), m);
    assertTrue(m.contains("'b': the file has f32[3], the template f64[3]"), m);
    assertTrue(m.contains("Restore with a template built the way the saving program built its tree"), m);
  }

  record Bigger(Array w, Array b, Array extra) {}

  record Smaller(Array w) {}

  @Test
  void missingAndExtraLeavesAreNamed() throws IOException {
    Path file = Checkpoints.save(dir.resolve("d.npz"), new Dense(Array.zeros(2), Array.zeros(1)));
    String missing = assertThrows(CheckpointException.class,
        () -> Checkpoints.restore(file, new Bigger(Array.zeros(2), Array.zeros(1), Array.scalar(0)))).getMessage();
    assertTrue(missing.contains("'extra': the template has f32[], the file has no such array"), missing);
    assertTrue(missing.contains("1 difference)"), missing);
    String extra = assertThrows(CheckpointException.class,
        () -> Checkpoints.restore(file, new Smaller(Array.zeros(2)))).getMessage();
    assertTrue(extra.contains("'b': the file has f32[1], the template has no leaf at this path"), extra);
  }

  @Test
  void notAZipEmptyTruncatedOrMissingFilesGiveAClearErrorNamingTheFile() throws IOException {
    Path good = Checkpoints.save(dir.resolve("good.npz"), state(1));
    byte[] bytes = Files.readAllBytes(good);

    Path text = Files.writeString(dir.resolve("text.npz"), "not a checkpoint");
    Path empty = Files.write(dir.resolve("empty.npz"), new byte[0]);
    Path truncated = Files.write(dir.resolve("truncated.npz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    for (Path bad : List.of(text, empty, truncated)) {
      CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(bad, state(0)));
      assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("is not a readable .npz (zip) file"), e.getMessage());
      assertTrue(e.getMessage().contains("Restore an earlier checkpoint"), e.getMessage());
      assertThrows(CheckpointException.class, () -> Checkpoints.load(bad));
    }
    Path none = dir.resolve("none.npz");
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(none));
    assertTrue(e.getMessage().contains("there is no file " + none), e.getMessage());
  }

  @Test
  void aFlippedByteInsideAnArrayIsCaughtByTheCrc() throws IOException {
    Map<String, Array> tree = Map.of("w", Array.full(new int[] {64}, 1.0));
    Path file = Checkpoints.save(dir.resolve("w.npz"), tree);
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, new byte[] {0, 0, (byte) 0x80, 0x3f}) + 2; // a 1.0f in the data
    bytes[at] ^= 0x01;
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.restore(file, tree));
    assertTrue(e.getMessage().contains("the member 'w.npy' of " + file + " is corrupt"), e.getMessage());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void aSaveThatFailsMidwayLeavesThePreviousCheckpointAndNoTemporaryFile() throws IOException {
    Path file = Checkpoints.save(dir.resolve("state.npz"), state(1), 100);
    byte[] before = Files.readAllBytes(file);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.write(file, state(2),
        OptionalLong.of(200), out -> new FailingStream(out, 1000)));
    assertTrue(e.getMessage().contains("could not write " + file + " (java.io.IOException: disk full (test))"), e.getMessage());
    assertTrue(e.getMessage().contains("is unchanged"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint is untouched");
    assertEquals(OptionalLong.of(100), Checkpoints.step(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
    }
  }

  @Test
  void aSaveReplacesTheFileAtomically() throws IOException {
    Path file = Checkpoints.save(dir.resolve("state.npz"), state(1), 1);
    Checkpoints.save(file, state(2), 2);
    assertEquals(OptionalLong.of(2), Checkpoints.step(file));
    assertSameBits(state(2).params().layers().get(0).w(), Checkpoints.restore(file, state(0)).params().layers().get(0).w(), "w");
  }

  @Test
  @SuppressWarnings("statelens:SL003") // I/O under a transform on purpose: what the test shows
  void savingATracedValueSaysToSaveOutsideTheTransform() {
    var f = Transforms.jit((Array x) -> {
      try {
        Checkpoints.save(dir.resolve("traced.npz"), x);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return x;
    });
    var e = assertThrows(java.io.UncheckedIOException.class, () -> f.apply(Array.scalar(1)));
    assertTrue(e.getCause().getMessage().contains("is a traced value"), e.getCause().getMessage());
    assertFalse(Files.exists(dir.resolve("traced.npz")));
  }

  @Test
  void aDtypeTheEngineLacksIsNamedWithTheConversion() throws IOException {
    Path file = dir.resolve("i8.npz");
    // an np.savez file with one int64 array (the header as NumPy writes it)
    byte[] npy = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
      zip.write(npy);
    }
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(file));
    assertTrue(e.getMessage().contains("'x.npy' of " + file), e.getMessage());
    assertTrue(e.getMessage().contains("dtype '<i8' has no engine dtype"), e.getMessage());
    assertTrue(e.getMessage().contains("astype(np.float32)"), e.getMessage());
  }

  static byte[] npy(String dict, byte[] data) {
    byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    var out = java.nio.ByteBuffer.allocate(10 + text.length + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    out.put(Npy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text).put(data);
    return out.array();
  }

  /** Fails like a full disk once {@code limit} bytes have gone through. */
  static final class FailingStream extends java.io.FilterOutputStream {
    private long left;

    FailingStream(java.io.OutputStream out, long limit) {
      super(out);
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        out.write(b, off, (int) left);
        throw new IOException("disk full (test)");
      }
      left -= len;
      out.write(b, off, len);
    }
  }
}
