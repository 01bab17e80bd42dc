package dev.statelens.debugger.chart;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Writes chart lines as CSV: one row per point, {@code series,first_step,last_step,min,max}. */
public final class CsvExport {
  private CsvExport() {}

  public static void write(List<ChartLine> lines, Writer out) throws IOException {
    out.write("series,first_step,last_step,min,max\n");
    for (ChartLine l : lines) {
      var s = l.series();
      for (int i = 0; i < s.size(); i++) {
        out.write(quote(l.label()) + "," + s.firstStep()[i] + "," + s.lastStep()[i] + ","
            + String.format(Locale.ROOT, "%s,%s", s.lo()[i], s.hi()[i]) + "\n");
      }
    }
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
