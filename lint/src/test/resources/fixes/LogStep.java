import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A jitted step that logs its loss through a logger (SL003; the fix: debug-callback). */
class LogStep {
  private static final Logger logger = Logger.getLogger("LogStep");

  Array step(Array x) {
    var loss = x.mul(x).sum();
    String label = "loss";
    logger.info(label + " " + loss + " at x=" + x.item());
    return x.add(loss.neg());
  }

  /** The messages the logger got over two calls. */
  static List<Float> run() {
    List<Float> logged = new ArrayList<>();
    logger.setUseParentHandlers(false);
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(Float.parseFloat(r.getMessage().split(" ")[1]));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    Function<Array, Array> step = Transforms.jit(new LogStep()::step);
    step.apply(step.apply(Array.scalar(2)));
    return logged;
  }
}
