package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.ui.RedrawThrottle;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;

/** Live runs ask for redraws all the time; the charts redraw at most 20 times a second. */
class RedrawThrottleTest {
  @Test
  void coalescesRequestsToTwentyPerSecondAndKeepsTheLast() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    RedrawThrottle t = Ui.call(() -> new RedrawThrottle(Display.getDefault(), 50, ran::incrementAndGet));
    long start = System.nanoTime();
    int requests = 0;
    // One second of requests from a worker thread, in bursts of ten: a loaded machine sleeps far
    // longer than 1 ms, and the test must still send the throttle hundreds of requests.
    while (System.nanoTime() - start < 1_000_000_000L) {
      for (int i = 0; i < 10; i++) {
        t.request();
        requests++;
      }
      Thread.sleep(1);
    }
    Thread.sleep(200); // the last request's redraw
    Ui.run(() -> {});
    int runs = ran.get();
    assertTrue(requests > 200, "requests: " + requests);
    assertTrue(runs <= 23, runs + " redraws in about 1.2 s (at most 20/s)");
    assertTrue(runs >= 5, "redraws keep coming while requests do: " + runs);
  }
}
