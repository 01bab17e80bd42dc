package dev.statelens.engine.record.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The IDE's side of the live control channel (reference implementation, used by the tests and by
 * the debugger): listens on 127.0.0.1, accepts the program's connection when its {@code hello}
 * carries the launch token, and sends commands. Launch the program with
 * {@code -Dstatelens.control.port=}{@link #port()} {@code -Dstatelens.control.token=}{@link #token()}.
 */
public final class ControlServer implements AutoCloseable {
  private final ServerSocket server;
  private final String token;
  private final BlockingQueue<JsonNode> incoming = new LinkedBlockingQueue<>();
  private Socket socket;
  private OutputStream out;
  private volatile JsonNode hello;

  private ControlServer(ServerSocket server, String token) {
    this.server = server;
    this.token = token;
  }

  /** Listens on a free loopback port with a fresh random token. */
  public static ControlServer start() throws IOException {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return start(0, HexFormat.of().formatHex(b));
  }

  /** Listens on 127.0.0.1:port (0 = any free port) for a program presenting {@code token}. */
  public static ControlServer start(int port, String token) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    return new ControlServer(s, token);
  }

  public int port() {
    return server.getLocalPort();
  }

  public String token() {
    return token;
  }

  /** JVM options that connect a program to this server. */
  public String[] jvmOptions() {
    return new String[] {"-Dstatelens.control.port=" + port(), "-Dstatelens.control.token=" + token};
  }

  /**
   * Waits for the program to connect and say hello with the right token (others are turned away),
   * then welcomes it; with {@code pauseAtStart} it stops before its first jitted call.
   *
   * @return the program's hello message
   * @throws IOException on timeout
   */
  public JsonNode accept(Duration timeout, boolean pauseAtStart) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      server.setSoTimeout(left);
      Socket s;
      try {
        s = server.accept();
      } catch (SocketTimeoutException e) {
        throw new IOException("no program connected to 127.0.0.1:" + port() + " within " + timeout
            + "; was it launched with " + String.join(" ", jvmOptions()) + "?", e);
      }
      s.setSoTimeout(left);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      JsonNode h;
      try {
        String line = in.readLine();
        h = line == null ? null : Protocol.parse(line);
      } catch (IOException e) {
        h = null;
      }
      if (h == null || !Protocol.HELLO.equals(h.path("type").asText()) || !token.equals(h.path("token").asText())) {
        s.close(); // not our program
        if (System.nanoTime() > deadline) {
          throw new IOException("no program with the launch token connected within " + timeout);
        }
        continue;
      }
      s.setSoTimeout(0);
      socket = s;
      out = s.getOutputStream();
      hello = h;
      ObjectNode w = Protocol.message(Protocol.WELCOME);
      w.put("protocol", Math.min(Protocol.VERSION, h.path("protocol").asInt(1)));
      w.put("pause", pauseAtStart);
      send(w);
      Thread.ofPlatform().daemon().name("statelens-control-server").start(() -> readLoop(in));
      return h;
    }
  }

  private void readLoop(BufferedReader in) {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        try {
          incoming.add(Protocol.parse(line));
        } catch (IOException e) {
          ObjectNode err = Protocol.message(Protocol.ERROR);
          err.put("message", e.getMessage());
          incoming.add(err);
        }
      }
    } catch (IOException ignored) {
      // connection gone
    }
    incoming.add(Protocol.message("closed")); // local marker: the program disconnected
  }

  public JsonNode hello() {
    return hello;
  }

  /** Sends a message to the program. */
  public synchronized void send(JsonNode message) throws IOException {
    if (out == null) {
      throw new IOException("no program connected yet; call accept first");
    }
    out.write((Protocol.line(message) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  public void pause() throws IOException {
    send(Protocol.message(Protocol.PAUSE));
  }

  public void resume() throws IOException {
    send(Protocol.message(Protocol.RESUME));
  }

  public void step(long count) throws IOException {
    send(Protocol.message(Protocol.STEP).put("count", count));
  }

  /** Runs until just before {@code function}'s call with this step (or call number, function null). */
  public void runTo(String function, long step) throws IOException {
    ObjectNode m = Protocol.message(Protocol.RUN_TO).put("step", step);
    if (function != null) {
      m.put("function", function);
    }
    send(m);
  }

  public void runUntilNaN() throws IOException {
    send(Protocol.message(Protocol.RUN_UNTIL).put("condition", Protocol.NAN));
  }

  public void runUntilLossAbove(double threshold) throws IOException {
    send(Protocol.message(Protocol.RUN_UNTIL).put("condition", Protocol.LOSS_ABOVE).put("threshold", threshold));
  }

  /** Runs until an event of {@code kind} (any kind when null) is recorded. */
  public void runUntilEvent(String kind) throws IOException {
    ObjectNode m = Protocol.message(Protocol.RUN_UNTIL).put("condition", Protocol.ON_EVENT);
    if (kind != null) {
      m.put("kind", kind);
    }
    send(m);
  }

  public void detach() throws IOException {
    send(Protocol.message(Protocol.DETACH));
  }

  /** The next message from the program, or null on timeout. A {@code closed} message marks disconnection. */
  public JsonNode next(Duration timeout) throws InterruptedException {
    return incoming.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Skips messages until one of {@code type}; null on timeout or when the program disconnected first. */
  public JsonNode await(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      JsonNode m = incoming.poll(left, TimeUnit.NANOSECONDS);
      if (m == null) {
        return null;
      }
      String t = m.path("type").asText();
      if (t.equals(type)) {
        return m;
      }
      if (t.equals("closed")) {
        return null;
      }
    }
  }

  /** Closes the connection (the program runs on) and stops listening. */
  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
    server.close();
  }
}
