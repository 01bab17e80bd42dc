package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDE's examples project copies the examples ({@code ide/setup}'s {@code ExampleSources}, plain
 * JDK code, compiled here: the setup bundle has no test bundle of its own). A quick fix tried in the
 * IDE edits the copy, never the repository; on the next start a file still as copied follows the
 * repository, an edited one is kept, a new example arrives.
 */
class ExampleSourcesTest {
  @TempDir
  Path dir;

  @SuppressWarnings("unchecked")
  @Test
  void copiesThenFollowsTheRepositoryOnlyWhereTheUserHasNotEdited() throws Exception {
    Method sync = compiledSync();
    Path repo = Files.createDirectories(dir.resolve("repo/dev/statelens/examples"));
    Path copy = dir.resolve("workspace/statelens-examples/src");
    Path manifest = dir.resolve("workspace/statelens-examples/.settings/dev.statelens.examples.sha256");
    Files.writeString(repo.resolve("Counter.java"), "class Counter { /* wrong on purpose */ }");
    Files.writeString(repo.resolve("LinReg.java"), "class LinReg { }");

    List<String> first = (List<String>) sync.invoke(null, dir.resolve("repo"), copy, manifest);
    assertEquals(List.of("dev/statelens/examples/Counter.java", "dev/statelens/examples/LinReg.java"), first);
    Path counter = copy.resolve("dev/statelens/examples/Counter.java");
    assertEquals("class Counter { /* wrong on purpose */ }", Files.readString(counter));

    // the user applies a quick fix in the IDE: the copy changes, the repository does not
    Files.writeString(counter, "class Counter { /* explicit state */ }");
    // meanwhile the repository changes both files and gains an example
    Files.writeString(repo.resolve("Counter.java"), "class Counter { /* wrong on purpose, v2 */ }");
    Files.writeString(repo.resolve("LinReg.java"), "class LinReg { /* v2 */ }");
    Files.writeString(repo.resolve("Mlp.java"), "class Mlp { }");

    List<String> next = (List<String>) sync.invoke(null, dir.resolve("repo"), copy, manifest);
    assertEquals(List.of("dev/statelens/examples/LinReg.java", "dev/statelens/examples/Mlp.java"), next,
        "the untouched file follows, the new one arrives, the edited one is left alone");
    assertEquals("class Counter { /* explicit state */ }", Files.readString(counter), "the user's edit is kept");
    assertEquals("class LinReg { /* v2 */ }", Files.readString(copy.resolve("dev/statelens/examples/LinReg.java")));
    assertEquals("class Counter { /* wrong on purpose, v2 */ }", Files.readString(repo.resolve("Counter.java")),
        "the repository's example is never written");
    assertEquals(List.of(), sync.invoke(null, dir.resolve("repo"), copy, manifest), "nothing new: nothing written");
  }

  /** ExampleSources compiled from ide/setup into a class loader of its own; its static sync(Path, Path, Path). */
  private Method compiledSync() throws Exception {
    Path source = DocsSnippetsTest.repoRoot().resolve("ide/setup/src/dev/statelens/ide/setup/ExampleSources.java");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
    assertEquals(0, exit, "ExampleSources.java compiles with the JDK alone");
    URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, null);
    Method sync = loader.loadClass("dev.statelens.ide.setup.ExampleSources").getDeclaredMethod("sync", Path.class, Path.class, Path.class);
    sync.setAccessible(true);
    assertTrue(java.lang.reflect.Modifier.isStatic(sync.getModifiers()));
    return sync;
  }
}
