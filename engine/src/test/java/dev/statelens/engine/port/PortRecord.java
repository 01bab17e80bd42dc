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

  /** {@code tree}'s element sum and absolute sum against checks {@code name.sum} and {@code name.abs}. */
  void assertChecksum(String name, Object tree, double rtol) {
    double sum = 0;
    double abs = 0;
    for (Array leaf : Tree.leaves(tree)) {
      for (double v : leaf.toDoubleArray()) {
        sum += v;
        abs += Math.abs(v);
      }
    }
    // the plain sum can cancel to near 0, so it is measured against the absolute sum
    double scale = check(name + ".abs");
    assertTrue(Math.abs(abs - scale) <= rtol * scale,
        () -> program + ": " + name + ".abs " + "java " + "%s jax %s".formatted(absOf(tree), scale));
    double jaxSum = check(name + ".sum");
    double s = sum;
    assertTrue(Math.abs(sum - jaxSum) <= rtol * scale,
        () -> program + ": " + name + ".sum java " + s + " jax " + jaxSum + " (tolerance " + rtol + " x " + scale + ")");
  }

  private static double absOf(Object tree) {
    double abs = 0;
    for (Array leaf : Tree.leaves(tree)) {
      for (double v : leaf.toDoubleArray()) {
        abs += Math.abs(v);
      }
    }
    return abs;
  }

  /** The largest relative difference |java - jax| / |jax| over steps [from, to). */
  double maxRelativeError(double[] java, int from, int to) {
    double worst = 0;
    for (int i = from; i < to; i++) {
      worst = Math.max(worst, Math.abs(java[i] - loss[i]) / Math.abs(loss[i]));
    }
    return worst;
  }
}
