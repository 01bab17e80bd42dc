package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.DebuggerPerspective;
import java.nio.file.Path;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.DebugUITools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "StateLens Training" launch type: registered, delegating to JDT, adding the run's options. */
class LaunchTypeTest {
  @TempDir
  Path dir;

  @Test
  void typeIsRegisteredWithTheDelegate() throws Exception {
    ILaunchConfigurationType type = DebugPlugin.getDefault().getLaunchManager()
        .getLaunchConfigurationType(TrainingLaunchDelegate.TYPE_ID);
    assertNotNull(type, "launch type " + TrainingLaunchDelegate.TYPE_ID);
    assertEquals("StateLens Training", type.getName());
    assertTrue(type.supportsMode("run"));
    assertInstanceOf(TrainingLaunchDelegate.class, type.getDelegates(java.util.Set.of("run"))[0].getDelegate());
    // debug too: Debug Configurations, Debug History and F11 list only types with a debug mode (a
    // user looking for "debug my training" found nothing there), in the StateLens perspective
    assertTrue(type.supportsMode("debug"));
    assertInstanceOf(TrainingLaunchDelegate.class, type.getDelegates(java.util.Set.of("debug"))[0].getDelegate());
    assertEquals(DebuggerPerspective.ID, DebugUITools.getLaunchPerspective(type, "debug"));
    assertNotNull(DebugUITools.getLaunchGroup(type.newInstance(null, "probe"), "debug"),
        "listed in the Debug launch group (Debug Configurations)");

    ILaunchConfigurationWorkingCopy wc = type.newInstance(null, "my training");
    Path def = TrainingLaunchDelegate.runFile(wc);
    assertTrue(def.toString().contains("runs") && def.getFileName().toString().startsWith("my_training-")
        && def.toString().endsWith(".db"), def.toString());
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, dir.resolve("x.db").toString());
    assertEquals(dir.resolve("x.db"), TrainingLaunchDelegate.runFile(wc));
  }

  @Test
  void vmArgumentsGainRecordingAndTheControlChannel() throws Exception {
    try (Run run = new Run(dir.resolve("run with space.db")); LiveSession s = LiveSession.start(run)) {
      String args = TrainingLaunchDelegate.withSession("-Xmx2g", s);
      assertTrue(args.startsWith("-Xmx2g "), args);
      assertTrue(args.contains("\"-Dstatelens.record=" + run.path() + "\""), args);
      assertTrue(args.contains("-Dstatelens.control.port=" + s.port()), args);
      assertTrue(args.contains("-Dstatelens.control.token=" + s.token()), args);
      assertTrue(args.contains(" --enable-native-access=ALL-UNNAMED "), "no restricted-method warnings: " + args);
      assertEquals(32, s.token().length(), "a 128-bit random token per launch");
    }
  }

  @Test
  void theVectorApiIsLoadedWhenTheLaunchesJreHasIt() throws Exception {
    Path jdk = dir.resolve("jdk");
    java.nio.file.Files.createDirectories(jdk);
    java.nio.file.Files.writeString(jdk.resolve("release"),
        "JAVA_VERSION=\"25\"\nMODULES=\"java.base jdk.incubator.vector jdk.jfr\"\n");
    assertEquals("-Xmx2g --add-modules jdk.incubator.vector", TrainingLaunchDelegate.withVectorApi("-Xmx2g", jdk));
    assertEquals("--add-modules=jdk.incubator.vector", TrainingLaunchDelegate.withVectorApi("--add-modules=jdk.incubator.vector", jdk),
        "named by the user already: not twice");

    Path jlinked = dir.resolve("jlinked");
    java.nio.file.Files.createDirectories(jlinked);
    java.nio.file.Files.writeString(jlinked.resolve("release"), "MODULES=\"java.base java.sql\"\n");
    assertEquals("-Xmx2g", TrainingLaunchDelegate.withVectorApi("-Xmx2g", jlinked), "a JRE without the module would not start");
    assertEquals("-Xmx2g", TrainingLaunchDelegate.withVectorApi("-Xmx2g", dir.resolve("no-such-jre")));

    Path running = Path.of(System.getProperty("java.home"));
    assertTrue(TrainingLaunchDelegate.withVectorApi("", running).contains("--add-modules jdk.incubator.vector"),
        "the JDK the tests run on has the module: " + running);
  }
}
