package dev.statelens.debugger.wizard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

/**
 * The programs File &gt; New &gt; StateLens Project can start from. Each is a real Java file under the
 * bundle's {@code templates/} folder, copied into the new project as it is; the examples module's
 * ProjectTemplatesTest compiles and runs them against the engine, so they cannot rot.
 */
public enum ProjectTemplate {
  LINEAR_REGRESSION("Linear regression", "training.LinearRegression",
      "JAX's linear regression tutorial: a params record, a loss, its gradient, an SGD optimizer "
          + "with explicit state and a jitted step(state, batch) -> (loss, new state) in a training loop."),
  EMPTY_STEP("Empty step", "training.TrainStep",
      "A minimal explicit-state skeleton: a State record and a jitted step(state, batch) -> "
          + "(loss, new state) called in a loop, to fill in with your own model.");

  /** Where the templates live in the debugger bundle (and in the repository: debugger/templates). */
  public static final String FOLDER = "templates/";

  private final String label;
  private final String mainType;
  private final String description;

  ProjectTemplate(String label, String mainType, String description) {
    this.label = label;
    this.mainType = mainType;
    this.description = description;
  }

  public String label() {
    return label;
  }

  /** The fully qualified name of the template's class, the launch's main type. */
  public String mainType() {
    return mainType;
  }

  public String description() {
    return description;
  }

  /** The source file's path under the source folder, e.g. {@code training/LinearRegression.java}. */
  public String sourcePath() {
    return mainType.replace('.', '/') + ".java";
  }

  /** The template's text, from the installed debugger bundle. */
  public String text() throws IOException {
    Bundle bundle = Platform.getBundle(dev.statelens.debugger.DebuggerPlugin.ID);
    URL url = bundle == null ? null : bundle.getEntry(FOLDER + sourcePath());
    if (url == null) {
      throw new IOException("the StateLens debugger bundle has no " + FOLDER + sourcePath()
          + "; reinstall StateLens from its update site");
    }
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
