package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinRegTest {

  @Test
  void thousandStepsLandNearTheTrueLine() {
    LinReg.Fit fit = LinReg.fit(LinReg.STEPS);
    assertEquals(2.0, fit.weight(), 0.1, "weight");
    assertEquals(-1.0, fit.bias(), 0.1, "bias");
    double initialLoss = LinReg.loss(fit.initial(), fit.data().xs(), fit.data().ys()).item();
    assertTrue(fit.loss() < initialLoss / 5, "loss " + initialLoss + " -> " + fit.loss());
    // The data noise is N(0, 0.5²): a good fit leaves a mean squared error near 0.25.
    assertEquals(0.25, fit.loss(), 0.1);
  }

  @Test
  void dataFollowsTheTutorial() {
    LinReg.Data data = LinReg.data(Random.key(42));
    assertArrayEquals(new int[] {128, 1}, data.xs().shape());
    assertArrayEquals(new int[] {128, 1}, data.ys().shape());
    LinReg.Params p = LinReg.init(Random.key(42));
    assertArrayEquals(new int[0], p.weight().shape());
    assertArrayEquals(new int[0], p.bias().shape());
  }

  @Test
  void updateIsOneSgdStepOnTheMeanSquaredError() {
    LinReg.Data data = LinReg.data(Random.key(42));
    LinReg.Params p = LinReg.init(Random.key(42));
    float[] x = data.xs().toFloatArray();
    float[] y = data.ys().toFloatArray();
    double w = p.weight().item();
    double b = p.bias().item();
    double gw = 0;
    double gb = 0;
    for (int i = 0; i < x.length; i++) {
      double r = w * x[i] + b - y[i];
      gw += 2 * r * x[i] / x.length;
      gb += 2 * r / x.length;
    }
    LinReg.Params next = LinReg.update(p, data.xs(), data.ys());
    assertEquals(w - LinReg.LEARNING_RATE * gw, next.weight().item(), 1e-5);
    assertEquals(b - LinReg.LEARNING_RATE * gb, next.bias().item(), 1e-5);
  }

  @Test
  void theStepIsTracedOnceAndReplayed() {
    Fn3<LinReg.Params, Array, Array, LinReg.Params> step = LinReg.sgdStep("update", LinReg.LEARNING_RATE);
    LinReg.Data data = LinReg.data(Random.key(42));
    LinReg.Params p = LinReg.init(Random.key(42));
    for (int i = 0; i < 5; i++) {
      p = step.apply(p, data.xs(), data.ys());
    }
    assertEquals(1, Transforms.jitInfo(step).graphs().size());
    assertEquals("update", Transforms.jitInfo(step).name());
  }

  @Test
  void commandPrintsWeightAndBiasAndWritesAPng(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("charts/fit.png");
    Console c = Console.run("linreg", "--png", png.toString());
    assertEquals(0, c.exitCode(), c.err());
    List<String> lines = c.outLines();
    assertTrue(lines.get(0).startsWith("weight "), c.out());
    assertTrue(lines.get(1).startsWith("bias "), c.out());
    assertEquals(2.0, Double.parseDouble(lines.get(0).substring(7)), 0.1);
    assertEquals(-1.0, Double.parseDouble(lines.get(1).substring(5)), 0.1);

    assertTrue(Files.size(png) > 1000, "PNG too small");
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "not a readable image: " + png);
    assertEquals(Charts.WIDTH, image.getWidth());
    assertEquals(Charts.HEIGHT, image.getHeight());
    assertTrue(hasRed(image), "the fitted line (red) is missing");
  }

  @Test
  void defaultChartGoesIntoTheOutFolder(@TempDir Path dir) {
    Console c = Console.run("linreg", "--steps", "10", "--out", dir.toString());
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(Files.exists(dir.resolve("linreg.png")), c.err());
    assertEquals("chart: " + dir.resolve("linreg.png"), c.outLines().getLast());
    assertEquals("", c.err(), "nothing went wrong: nothing on stderr");
  }

  private static boolean hasRed(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if ((rgb & 0xffffff) == 0xff0000) {
          return true;
        }
      }
    }
    return false;
  }
}
