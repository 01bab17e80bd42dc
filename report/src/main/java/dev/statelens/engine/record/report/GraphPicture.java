package dev.statelens.engine.record.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a traced graph from its stored structure: inputs and constants on the top row, each
 * equation one row below its deepest input, outputs at the bottom; state inputs and outputs in
 * orange. Plain Java2D: a layered drawing is enough for step functions.
 */
final class GraphPicture {
  static final int MAX_EQNS = 300;
  private static final int BOX_H = 22, ROW_H = 60, GAP = 12, MARGIN = 20;

  private GraphPicture() {}

  private record Node(String id, String label, int layer, boolean state, String kind) {}

  /** Writes the picture; false (nothing written) when the graph is too large to draw legibly. */
  static boolean write(GraphInfo g, Path file) throws IOException {
    JsonNode s = Json.MAPPER.readTree(g.structure());
    if (s.get("eqns").size() > MAX_EQNS) {
      return false;
    }
    Map<String, Node> nodes = new java.util.LinkedHashMap<>();
    Map<String, Integer> layerOf = new HashMap<>();
    for (JsonNode in : s.get("inputs")) {
      String path = in.path("path").asText("");
      String id = "in:" + indexOf(s.get("inputs"), in);
      nodes.put(id, new Node(id, path + " " + in.get("aval").asText(), 0, g.stateInputs().contains(path), "in"));
      layerOf.put(id, 0);
    }
    int c = 0;
    for (JsonNode k : s.get("consts")) {
      String id = "const:" + c++;
      nodes.put(id, new Node(id, "const " + k.get("aval").asText(), 0, false, "const"));
      layerOf.put(id, 0);
    }
    Map<String, List<String>> preds = new HashMap<>();
    for (JsonNode e : s.get("edges")) {
      preds.computeIfAbsent(e.get("to").asText(), x -> new ArrayList<>()).add(e.get("from").asText());
    }
    int maxLayer = 0;
    for (JsonNode e : s.get("eqns")) {
      String id = "eqn:" + e.get("id").asInt();
      int layer = 1;
      for (String p : preds.getOrDefault(id, List.of())) {
        layer = Math.max(layer, layerOf.getOrDefault(p, 0) + 1);
      }
      layerOf.put(id, layer);
      maxLayer = Math.max(maxLayer, layer);
      nodes.put(id, new Node(id, e.get("primitive").asText(), layer, false, "eqn"));
    }
    int o = 0;
    for (JsonNode out : s.get("outputs")) {
      String id = "out:" + o++;
      String path = out.path("path").asText("");
      nodes.put(id, new Node(id, path + " " + out.get("aval").asText(), maxLayer + 1, g.stateOutputs().contains(path), "out"));
    }
    // positions: nodes of a layer side by side
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    FontMetrics fm = probe.createGraphics().getFontMetrics(font);
    Map<String, int[]> box = new HashMap<>();
    Map<Integer, Integer> x = new HashMap<>();
    int width = 0;
    for (Node n : nodes.values()) {
      int w = fm.stringWidth(n.label()) + 12;
      int left = x.getOrDefault(n.layer(), MARGIN);
      box.put(n.id(), new int[] {left, MARGIN + n.layer() * ROW_H, w});
      x.put(n.layer(), left + w + GAP);
      width = Math.max(width, left + w + MARGIN);
    }
    int height = MARGIN * 2 + (maxLayer + 1) * ROW_H + BOX_H;
    BufferedImage img = new BufferedImage(Math.max(width, 200), height, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = img.createGraphics();
    gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    gr.setColor(Color.WHITE);
    gr.fillRect(0, 0, img.getWidth(), img.getHeight());
    gr.setFont(font);
    gr.setStroke(new BasicStroke(1f));
    gr.setColor(new Color(150, 150, 150));
    for (JsonNode e : s.get("edges")) {
      int[] a = box.get(e.get("from").asText()), b = box.get(e.get("to").asText());
      if (a != null && b != null) {
        gr.drawLine(a[0] + a[2] / 2, a[1] + BOX_H, b[0] + b[2] / 2, b[1]);
      }
    }
    for (Node n : nodes.values()) {
      int[] b = box.get(n.id());
      gr.setColor(n.state() ? new Color(255, 200, 120) : switch (n.kind()) {
        case "in" -> new Color(200, 225, 255);
        case "out" -> new Color(200, 240, 200);
        case "const" -> new Color(235, 235, 235);
        default -> new Color(250, 250, 225);
      });
      gr.fillRoundRect(b[0], b[1], b[2], BOX_H, 8, 8);
      gr.setColor(Color.DARK_GRAY);
      gr.drawRoundRect(b[0], b[1], b[2], BOX_H, 8, 8);
      gr.setColor(Color.BLACK);
      gr.drawString(n.label(), b[0] + 6, b[1] + 15);
    }
    gr.dispose();
    ImageIO.write(img, "png", file.toFile());
    return true;
  }

  private static int indexOf(JsonNode array, JsonNode element) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i) == element) {
        return i;
      }
    }
    return -1;
  }
}
