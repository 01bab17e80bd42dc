import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/** A jitted step that writes array values to a file and a writer (SL003; the fix: debug-callback). */
class WriteStep {
  private final Path metrics = Path.of("metrics.txt");
  private Writer out;

  Array step(Array x) throws IOException {
    Array loss = x.mul(x).sum();
    Files.writeString(metrics, "loss=" + loss + "\n");
    int count = 0;
    count++;
    out.write("x=" + x + " #" + count);
    return x.add(loss.neg());
  }

  Object jitted() {
    return Transforms.jit((Array x) -> {
      try {
        return step(x);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
