package dev.statelens.lint;

import java.nio.file.Path;

/** Lets tests in sub-packages reach the golden fixtures. */
public final class FixturesAccess {

  private FixturesAccess() {}

  public static Path fixture(String name) {
    return Fixtures.file(name);
  }

  /** The engine stub compiled into {@code dir}: a classpath entry for lints with bindings. */
  public static Path engineStub(Path dir) throws java.io.IOException, java.net.URISyntaxException {
    return EngineStub.compile(dir);
  }
}
