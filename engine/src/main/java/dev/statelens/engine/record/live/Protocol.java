package dev.statelens.engine.record.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.engine.record.store.Json;
import java.io.IOException;

/**
 * The live control protocol (docs/live-protocol.md): one JSON object per line over a loopback TCP
 * connection, each with a {@code type}. The program connects to the IDE, says {@code hello} with
 * the launch's token and its protocol version; the IDE answers {@code welcome} with the version
 * both speak, then sends commands; the program reports {@code paused}, {@code resumed},
 * {@code event}, {@code error} and {@code bye}.
 */
public final class Protocol {
  /** The version this engine speaks. Additive changes (new optional fields, new messages) keep it. */
  public static final int VERSION = 1;

  // program -> IDE
  public static final String HELLO = "hello";
  public static final String PAUSED = "paused";
  public static final String RESUMED = "resumed";
  public static final String EVENT = "event";
  public static final String ERROR = "error";
  public static final String BYE = "bye";
  // IDE -> program
  public static final String WELCOME = "welcome";
  public static final String PAUSE = "pause";
  public static final String RESUME = "resume";
  public static final String STEP = "step";
  public static final String RUN_TO = "runTo";
  public static final String RUN_UNTIL = "runUntil";
  public static final String DETACH = "detach";

  // runUntil conditions
  public static final String NAN = "nan";
  public static final String LOSS_ABOVE = "lossAbove";
  public static final String ON_EVENT = "event";

  private Protocol() {}

  public static ObjectNode message(String type) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", type);
    return n;
  }

  public static String line(JsonNode message) {
    return Json.write(message);
  }

  /** Parses one line; throws IOException naming the problem for anything but a JSON object with a type. */
  public static JsonNode parse(String line) throws IOException {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IOException("not a JSON line: " + abbreviate(line), e);
    }
    if (n == null || !n.isObject() || !n.hasNonNull("type")) {
      throw new IOException("a protocol message must be a JSON object with a \"type\": " + abbreviate(line));
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
