package dev.statelens.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.statelens.engine.Array;
import dev.statelens.engine.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What a JAX program of {@code bench/port/} wrote: its loss per step and a few named checks
 * (data and parameter checksums), read from {@code engine/src/test/resources/port/NAME.json}.
 * The comparisons say which step or check disagrees and by how much.
 */
record PortRecord(String program, double[] loss, JsonNode checks) {

  static PortRecord load(String program) {
    String resource = "/port/" + program + ".json";
    try (InputStream in = PortRecord.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: run bench/port/" + program
            + ".py -o engine/src/test/resources/port/" + program + ".json with JAX 0.10.2");
      }
      JsonNode root = new JsonMapper().readTree(in);
      JsonNode losses = root.get("loss");
      double[] loss = new double[losses.size()];
      for (int i = 0; i < loss.length; i++) {
        loss[i] = losses.get(i).asDouble();
      }
      return new PortRecord(root.get("program").asText(), loss, root.get("checks"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  double check(String path) {
    JsonNode node = checks;
    for (String part : path.split("\\.")) {
      node = node.get(part);
      if (node == null) {
        throw new IllegalStateException(program + ".json has no check " + path);
      }
    }
    return node.asDouble();
  }

  /** An integer check (an index sum, a count): equal. */
  void assertExact(String path, long javaValue) {
    assertEquals((long) check(path), javaValue, program + ": " + path);
  }

  /**
   * How far {@code tree}'s element sum and absolute sum are from checks {@code name.sum} and
   * {@code name.abs}, relative to JAX's absolute sum (the plain sum can cancel to near 0).
   */
  double checksumError(String name, Object tree) {
    double sum = 0;
    double abs = 0;
    for (Array leaf : Tree.leaves(tree)) {
      for (double v : leaf.toDoubleArray()) {
        sum += v;
        abs += Math.abs(v);
      }
    }
    double scale = check(name + ".abs");
    return Math.max(Math.abs(abs - scale), Math.abs(sum - check(name + ".sum"))) / scale;
  }

  void assertChecksum(String name, Object tree, double rtol) {
    double error = checksumError(name, tree);
    assertTrue(error <= rtol, () -> program + ": checksum " + name + " is " + error + " from JAX's, more than " + rtol);
  }

  /** The largest relative difference |java - jax| / |jax| over steps [from, to). */
  double maxRelativeError(double[] java, int from, int to) {
    double worst = 0;
    for (int i = from; i < to; i++) {
      worst = Math.max(worst, Math.abs(java[i] - loss[i]) / Math.abs(loss[i]));
    }
    return worst;
  }

  /** One line for docs/porting.md's agreement table. */
  String summary(double[] java, double finalChecksumError) {
    return "%s: %d steps, step 1 rel %.2g, steps 1-50 %.2g, all %.2g, final params %.2g".formatted(program,
        java.length, maxRelativeError(java, 0, 1), maxRelativeError(java, 0, Math.min(50, java.length)),
        maxRelativeError(java, 0, java.length), finalChecksumError);
  }
}
