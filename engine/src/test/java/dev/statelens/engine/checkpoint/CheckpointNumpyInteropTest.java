package dev.statelens.engine.checkpoint;

import static dev.statelens.engine.checkpoint.CheckpointTestArrays.assertSameBits;
import static dev.statelens.engine.checkpoint.CheckpointTestArrays.everyDtype;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips through real NumPy: what we save, {@code numpy.load} reads with the same dtypes,
 * shapes and bits (and each member is byte for byte what {@code np.save} writes); what
 * {@code np.savez} writes, we load. Skipped, with the reason, where {@code python3} with NumPy is
 * missing (CI may lack it; CheckpointNumpyFixtureTest covers NumPy's files without Python).
 */
class CheckpointNumpyInteropTest {

  @TempDir Path dir;

  @BeforeAll
  static void needsNumpy() {
    String problem = null;
    try {
      Result r = python("import numpy");
      if (r.exit != 0) {
        problem = "python3 has no numpy: " + r.output.strip();
      }
    } catch (IOException e) {
      problem = "no python3 on the PATH (" + e.getMessage() + ")";
    }
    assumeTrue(problem == null, "skipped: NumPy interop needs python3 with numpy; " + problem);
  }

  record Result(int exit, String output) {}

  static Result python(String script, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("python3 did not finish in 60 s");
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw new IOException(e);
    }
  }

  /** For each array: name, dtype.str, shape, raw little-endian bytes as hex, and whether np.save writes the same member. */
  private static final String DESCRIBE = """
      import io, json, sys, zipfile, numpy as np
      path = sys.argv[1]
      z = np.load(path)
      members = zipfile.ZipFile(path)
      for name in z.files:
          if not name.endswith('.json'):
              a = z[name]
              buf = io.BytesIO(); np.save(buf, a)
              same = buf.getvalue() == members.read(name + '.npy')
              print(f"{name}\t{a.dtype.str}\t{list(a.shape)}\t{a.astype(a.dtype.newbyteorder('<')).tobytes().hex()}\t{same}")
      if '__statelens__.json' in z.files and 'step' in json.loads(z['__statelens__.json']):
          print('step', json.loads(z['__statelens__.json'])['step'])
      """;

  record Saved(Map<String, Array> arrays, Key key) {}

  @Test
  void numpyReadsWhatWeSaveWithTheSameDtypesShapesAndBits() throws IOException {
    Saved tree = new Saved(everyDtype(), Random.key(7));
    Path file = Checkpoints.save(dir.resolve("ours.npz"), tree, 300);
    Result r = python(DESCRIBE, file.toString());
    assertEquals(0, r.exit, r.output);
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : r.output.lines().toList()) {
      if (line.startsWith("step ")) {
        assertEquals("step 300", line);
      } else {
        lines.put(line.substring(0, line.indexOf('\t')), line);
      }
    }
    Map<String, Array> expected = new LinkedHashMap<>();
    tree.arrays().forEach((k, v) -> expected.put("arrays." + k, v));
    expected.put("key.keyData", tree.key().keyData());
    assertEquals(expected.keySet(), lines.keySet(), r.output);
    for (var e : expected.entrySet()) {
      Array a = e.getValue();
      String want = e.getKey() + "\t" + Npy.descr(a.dtype()) + "\t" + java.util.Arrays.toString(a.shape()) + "\t"
          + HexFormat.of().formatHex(littleEndian(a)) + "\tTrue";
      assertEquals(want, lines.get(e.getKey()));
    }
  }

  /** The elements' bytes, little-endian, computed here rather than by the code under test. */
  private static byte[] littleEndian(Array a) {
    ByteBuffer b = ByteBuffer.allocate(a.size() * a.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    switch (a.dtype()) {
      case F32 -> { for (float f : a.toFloatArray()) b.putInt(Float.floatToRawIntBits(f)); }
      case F64 -> { for (double d : a.toDoubleArray()) b.putLong(Double.doubleToRawLongBits(d)); }
      case I32, U32 -> { for (int i : a.toIntArray()) b.putInt(i); }
      case BOOL -> { for (boolean x : a.toBooleanArray()) b.put((byte) (x ? 1 : 0)); }
    }
    return b.array();
  }

  @Test
  void weLoadWhatNpSavezWritesWithTheSameBits() throws IOException {
    Path file = dir.resolve("theirs.npz");
    String write = """
        import sys, numpy as np
        rng = np.random.default_rng(5)
        np.savez(sys.argv[1],
            f32=rng.standard_normal((3, 4)).astype(np.float32),
            f64=np.array([np.nan, -0.0, np.inf, 1e-310]),
            i32=rng.integers(-2**31, 2**31, (2, 2, 2), dtype=np.int32),
            u32=rng.integers(0, 2**32, (5,), dtype=np.uint32),
            b=rng.random((4,)) > 0.5,
            s=np.int32(-9),
            e=np.zeros((0, 2), np.float64))
        """;
    Result w = python(write, file.toString());
    assertEquals(0, w.exit, w.output);
    Result r = python(DESCRIBE, file.toString());
    assertEquals(0, r.exit, r.output);
    Map<String, Array> ours = Checkpoints.load(file);
    List<String> lines = r.output.lines().toList();
    assertEquals(List.of("f32", "f64", "i32", "u32", "b", "s", "e"), List.copyOf(ours.keySet()));
    for (String line : lines) {
      String[] f = line.split("\t");
      Array a = ours.get(f[0]);
      assertEquals(f[1], Npy.descr(a.dtype()), f[0]);
      assertEquals(f[2], java.util.Arrays.toString(a.shape()), f[0]);
      assertEquals(f[3], HexFormat.of().formatHex(littleEndian(a)), f[0]);
    }
    // and a save of what we loaded is again what np.save writes, member by member
    Path again = Checkpoints.save(dir.resolve("again.npz"), ours);
    Map<String, Array> back = Checkpoints.load(again);
    for (String name : ours.keySet()) {
      assertSameBits(ours.get(name), back.get(name), name);
    }
    Result r2 = python(DESCRIBE, again.toString());
    assertEquals(0, r2.exit, r2.output);
    r2.output.lines().filter(l -> !l.startsWith("step")).forEach(l -> assertEquals("True", l.substring(l.lastIndexOf('\t') + 1), l));
  }
}
