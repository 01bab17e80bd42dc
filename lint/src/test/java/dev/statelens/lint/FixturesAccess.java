package dev.statelens.lint;

import java.nio.file.Path;

/** Lets tests in sub-packages reach the golden fixtures. */
public final class FixturesAccess {

  private FixturesAccess() {}

  public static Path fixture(String name) {
    return Fixtures.file(name);
  }
}
