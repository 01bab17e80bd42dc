package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.UnexpectedTracerError;
import dev.statelens.engine.backend.BackendUnavailableException;
import dev.statelens.engine.checkpoint.CheckpointManager;
import dev.statelens.engine.record.store.RunStoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./statelens example NAME [options]}: runs one of the seed's programs. Each command's
 * {@code header} is its one line in {@code help}/{@code --help}'s list (picocli lists the header
 * where there is one, else the whole description, wrapped over several lines).
 *
 * <pre>
 * counter   eager vs jitted stateful vs jitted explicit-state Counter (1 2 3, 1 1 1, 1 2 3)
 * linreg    the JAX tutorial's linear regression; prints weight and bias, writes a PNG
 * mlp       a tanh MLP fitted to sin(x) with Adam; prints the loss
 * classify  a ReLU MLP classifying two moons (softmax cross-entropy, clipped AdamW); loss and accuracy
 * cnn       a small CNN telling horizontal from vertical bars (conv, max pool, Adam); loss and accuracy
 * gnn       a message-passing GNN classifying graph nodes (segment_sum, Adam), ported from JAX; loss and accuracy
 * fno       a 1-D Fourier Neural Operator learning the heat equation (rfft, complex weights, Adam), from JAX; loss, error
 * transformer  a tiny character-level GPT (causal attention, Muon + AdamW); loss, then a continuation
 * stale     the stale-state bug: new params dropped every step, the loss never moves
 * diverge   linreg with a learning rate far too high: the params overflow to NaN
 * stateful  linreg with the params in a field, updated inside jit: the Counter trap again
 * </pre>
 */
@Command(
    name = "statelens example",
    mixinStandardHelpOptions = true,
    description = "Runs one of the seed's programs on the StateLens engine.",
    footer = "%nRun './statelens example NAME --help' (or 'help NAME') for an example's options.",
    subcommands = {
      Main.CounterCommand.class,
      Main.LinRegCommand.class,
      Main.MlpCommand.class,
      Main.ClassifyCommand.class,
      Main.CnnCommand.class,
      Main.GnnCommand.class,
      Main.FnoCommand.class,
      Main.TransformerCommand.class,
      Main.StaleCommand.class,
      Main.DivergeCommand.class,
      Main.StatefulCommand.class,
      CommandLine.HelpCommand.class // "example help" lists the examples, "example help NAME" shows one's options
    })
public final class Main implements Runnable {

  private final PrintStream out;
  private final PrintStream err;
  @Spec private CommandSpec spec;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // charts are written to files, never shown
    }
    if (System.getProperty("statelens.info") == null && System.getenv("STATELENS_INFO") == null) {
      // the engine's notices (an earlier run file moved aside) join the examples' own "chart: ..."
      // lines on stdout: they are not errors, and the IDE's console paints stderr red
      System.setProperty("statelens.info", "stdout");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line {@code args}; returns the exit code (0 ok, 1 failed, 2 bad usage). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Main(out, err));
    // -V/--version answers on every command (picocli prints nothing where no version is set)
    cl.getCommandSpec().version(VERSION);
    cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(VERSION));
    // an example's header is its line in the list; its own help page starts at "Usage:", with the
    // fuller description below (the header above it said the same thing twice)
    cl.getSubcommands().values().forEach(sub -> sub.setHelpSectionKeys(sub.getHelpSectionKeys().stream()
        .filter(k -> !k.equals(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER)).toList()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler((e, commandLine, _) -> {
      err.println("statelens example " + commandLine.getCommandName() + ": " + describe(e));
      if (e instanceof RunStoreException bad) { // --record: SQLite's own report, when it has one, below the sentence
        bad.detail().ifPresent(sqlite -> err.println("  (SQLite: " + sqlite + ")"));
      }
      return 1;
    });
    // one line naming the mistake and where the options are, not the whole help page
    cl.setParameterExceptionHandler((e, _) -> {
      String name = e.getCommandLine().getCommandSpec().qualifiedName();
      err.println(name + ": " + usageMessage(e));
      err.println("Run './" + name + " --help' for the options.");
      return 2;
    });
    return cl.execute(args);
  }

  static final String VERSION = "statelens 0.1.0";

  static final String NAMES = "counter, linreg, mlp, classify, cnn, gnn, fno, transformer, stale, diverge or stateful";

  /**
   * An unknown example is named as such (picocli says "Unmatched argument at index 0"); --out
   * given to an example that writes no chart says which examples take it.
   */
  private static String usageMessage(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getCommandSpec().userObject() instanceof ExampleCommand
        && u.getUnmatched().stream().anyMatch(a -> a.equals("--out") || a.startsWith("--out="))) {
      return u.getCommandLine().getCommandName() + " writes no chart, so it takes no --out (" + String.join(" and ",
          chartExamples(u.getCommandLine().getParent())) + " do)";
    }
    if (e instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getCommandSpec().userObject() instanceof Main
        && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-")) {
      List<String> similar = u.getSuggestions();
      return "unknown example '" + u.getUnmatched().getFirst() + "': use " + NAMES
          + (similar.isEmpty() ? "" : " (did you mean " + String.join(" or ", similar) + "?)");
    }
    Matcher helpOnUnknown = UNKNOWN_SUBCOMMAND.matcher(e.getMessage()); // "help lenet"
    if (e.getCommandLine().getCommandSpec().userObject() instanceof Main && helpOnUnknown.matches()) {
      return "unknown example '" + helpOnUnknown.group(1) + "': use " + NAMES;
    }
    return e.getMessage();
  }

  /**
   * A failed run in one line. File errors say which file and why (NIO's messages are just the
   * path); a run file's problem and a backend that cannot load are their sentence with the fix
   * (SQLite's report is printed apart); anything else keeps its type.
   */
  static String describe(Exception e) {
    return switch (e) {
      case RunStoreException x -> x.summary();
      case BackendUnavailableException x -> x.getMessage(); // already the sentence with the fix (STATELENS_BACKEND=auto or cpu)
      case NoSuchFileException x -> "cannot write " + x.getFile() + ": its folder does not exist or cannot be created";
      case AccessDeniedException x -> "cannot write " + x.getFile() + ": permission denied";
      case FileSystemException x -> "cannot write " + x.getFile() + (x.getReason() == null ? "" : ": " + x.getReason());
      case IOException x -> x.getMessage();
      default -> e.getClass().getSimpleName() + ": " + e.getMessage();
    };
  }

  /** What picocli's help command says of a name that is no command. */
  private static final Pattern UNKNOWN_SUBCOMMAND = Pattern.compile("Unknown subcommand '(.*)'\\.");

  /** The examples that take --out: those that write a chart. */
  static List<String> chartExamples(CommandLine main) {
    return main.getSubcommands().values().stream()
        .filter(c -> c.getCommandSpec().findOption("--out") != null).map(CommandLine::getCommandName).toList();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an example: " + NAMES);
  }

  /** Options every example takes. */
  static final class Common {
    @Option(names = "--record", paramLabel = "RUN.db",
        description = "Record every jitted call into this SQLite run file.")
    Path record;
  }

  /**
   * {@code --out DIR} and the chart's own path: only the examples that write a chart take them
   * (counter's help offered --out "for the charts" and wrote none).
   */
  static final class ChartOptions {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs",
        description = "Folder for the chart (default: ${DEFAULT-VALUE}).")
    Path out;

    Path chart(Path explicit, String name) {
      return explicit != null ? explicit : out.resolve(name);
    }

    /** The chart's folder is writable and the chart's path is not a folder (checked before training). */
    void validate(ExampleCommand command, Path explicit, String name) {
      Path png = chart(explicit, name);
      String option = explicit != null ? "--png" : "--out";
      if (Files.isDirectory(png)) {
        throw new CommandLine.ParameterException(command.spec.commandLine(),
            option + " " + png + " is a folder; give the chart's file, e.g. " + png.resolve(name));
      }
      command.requireWritableFolder(explicit != null ? png.toAbsolutePath().getParent() : out, option);
    }
  }

  /** {@code --checkpoint DIR}: the training examples save their state and resume from it. */
  static final class CheckpointOptions {
    @Option(names = "--checkpoint", paramLabel = "DIR",
        description = "Save the training state (params, optimizer state, step) to DIR/step-NNNNNN.npz every "
            + "--checkpoint-every steps and at the end; resume from the latest checkpoint in DIR when there is one.")
    Path dir;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "" + TrainingCheckpoints.DEFAULT_EVERY,
        description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--keep-checkpoints", paramLabel = "K", defaultValue = "" + CheckpointManager.DEFAULT_KEEP,
        description = "How many of the newest checkpoints to keep (default: ${DEFAULT-VALUE}).")
    int keep;

    void validate(ExampleCommand command) {
      command.requirePositive(every, "--checkpoint-every");
      command.requirePositive(keep, "--keep-checkpoints");
      if (dir != null) {
        command.requireWritableFolder(dir, "--checkpoint"); // before training, not at the first save
      }
    }

    TrainingCheckpoints open(PrintStream log) {
      return dir == null ? TrainingCheckpoints.NONE : TrainingCheckpoints.in(dir, every, keep, log);
    }
  }

  /** Base of the commands: common options, recording switched on before the program runs. */
  abstract static class ExampleCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Mixin Common common;
    @Spec CommandSpec spec;

    @Override
    public final Integer call() throws IOException {
      validate(); // usage errors before a run file is created
      try (Recording _ = Recording.start(common.record, main.out, main.err)) {
        run(main.out, main.err);
      }
      return 0;
    }

    abstract void run(PrintStream out, PrintStream err) throws IOException;

    /** Checks the options; throws {@link CommandLine.ParameterException} for bad ones. */
    void validate() {}

    /**
     * The folder exists (created if missing) and is writable, else a usage error saying so, so
     * that a bad path fails before the training rather than after it.
     */
    void requireWritableFolder(Path folder, String option) {
      String problem = null;
      if (Files.exists(folder) && !Files.isDirectory(folder)) {
        problem = "it is a file, not a folder";
      } else {
        try {
          Files.createDirectories(folder);
          if (!Files.isWritable(folder)) {
            problem = "it is not writable";
          }
        } catch (NoSuchFileException e) {
          problem = "it cannot be created";
        } catch (IOException e) {
          problem = "it cannot be created: " + (e instanceof AccessDeniedException ? "permission denied"
              : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage());
        }
      }
      if (problem != null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            option + " " + folder + ": " + problem + ". Choose a folder you can write");
      }
    }

    void requirePositive(int value, String option) {
      if (value <= 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), option + " must be a positive number, got " + value);
      }
    }

    /** The line the training examples print: "step 100 loss 0.0123". */
    static void printLoss(PrintStream out, int step, double loss) {
      out.println("step " + step + " loss " + Format.number(loss));
    }
  }

  /**
   * The examples that train for {@code --steps}. All default to the JAX tutorial's 1000 steps
   * ({@link LinReg#STEPS}, which {@link Mlp#STEPS} equals).
   */
  abstract static class TrainingCommand extends ExampleCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + LinReg.STEPS,
        description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    void validate() {
      requirePositive(steps, "--steps");
    }
  }

  @Command(name = "counter", mixinStandardHelpOptions = true,
      header = "The Counter trap: eager 1 2 3, jitted 1 1 1, explicit 1 2 3",
      description = "The seed's Counter: eager 1 2 3, jitted stateful 1 1 1, jitted explicit state 1 2 3 "
          + "(numbers on standard output, one per line; headings on standard error).")
  static final class CounterCommand extends ExampleCommand {
    @Override
    void run(PrintStream out, PrintStream err) {
      CounterExample.print(CounterExample.run(3), out, err);
    }
  }

  @Command(name = "linreg", mixinStandardHelpOptions = true,
      header = "JAX's linear regression: weight and bias, the fit as a PNG",
      description = "The JAX tutorial's linear regression (key 42, 128 points, y = 2x - 1 + noise, "
          + "jitted SGD at lr 0.005); prints the final weight and bias and writes the fit as a PNG.")
  static final class LinRegCommand extends TrainingCommand {
    @Option(names = "--png", paramLabel = "PATH", description = "The chart (default: DIR/linreg.png).")
    Path png;

    @Mixin ChartOptions charts;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      super.validate();
      checkpoint.validate(this);
      charts.validate(this, png, "linreg.png");
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      LinReg.Fit fit = LinReg.fit(steps, checkpoint.open(out));
      out.println("weight " + Format.number(fit.weight()));
      out.println("bias " + Format.number(fit.bias()));
      out.println("loss " + Format.number(fit.loss()));
      Path written = Charts.linRegFit(fit.data().xs().toFloatArray(), fit.data().ys().toFloatArray(),
          fit.weight(), fit.bias(), charts.chart(png, "linreg.png"));
      out.println("chart: " + written);
    }
  }

  @Command(name = "mlp", mixinStandardHelpOptions = true,
      header = "A tanh MLP fitted to sin(x) with Adam: the loss, a PNG curve",
      description = "A 2-layer tanh MLP fitted to sin(x) with Adam; the jitted step threads "
          + "(params, optimizer state) explicitly. Prints the loss every --every steps.")
  static final class MlpCommand extends TrainingCommand {
    @Option(names = "--every", paramLabel = "N", defaultValue = "100", description = "Print the loss every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--png", paramLabel = "PATH", description = "The loss curve (default: DIR/mlp-loss.png).")
    Path png;

    @Mixin ChartOptions charts;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      super.validate();
      requirePositive(every, "--every");
      checkpoint.validate(this);
      charts.validate(this, png, "mlp-loss.png");
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      Mlp.History h = new Mlp().train(steps, every,
          (step, loss) -> printLoss(out, step, loss), checkpoint.open(out));
      if (h.steps().length == 0) {
        out.println("nothing to train: the checkpoint is at step " + steps);
        return;
      }
      out.println("loss went from " + Format.number(h.first()) + " to " + Format.number(h.last())
          + " (" + Format.number(h.first() / h.last()) + "x lower)");
      out.println("chart: " + Charts.lossCurve("MLP on sin(x), Adam", h.steps(), h.losses(), charts.chart(png, "mlp-loss.png")));
    }
  }

  @Command(name = "classify", mixinStandardHelpOptions = true,
      header = "A ReLU MLP on two moons (clipped AdamW): loss and accuracy",
      description = "A ReLU MLP (2-32-32-2) classifying the two-moons dataset (256 points drawn with "
          + "explicit keys) on the softmax cross-entropy of integer labels, with global-norm clipping and AdamW "
          + "on a warmup-cosine schedule; prints the loss "
          + "and training accuracy every --every steps and the final accuracy.")
  static final class ClassifyCommand extends TrainingCommand {
    @Option(names = "--every", paramLabel = "N", defaultValue = "100", description = "Print every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      super.validate();
      requirePositive(every, "--every");
      checkpoint.validate(this);
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      Classifier.History h = new Classifier().train(steps, every, (step, loss, accuracy) ->
          out.println("step " + step + " loss " + Format.number(loss) + " accuracy " + Format.number(accuracy)),
          checkpoint.open(out));
      out.println("final accuracy " + Format.number(h.finalAccuracy()) + " on the " + Classifier.SAMPLES
          + " training points");
    }
  }

  @Command(name = "cnn", mixinStandardHelpOptions = true,
      header = "A small CNN telling horizontal from vertical bars: accuracy",
      description = "A small CNN (conv 3x3 -> relu -> max pool, twice, then a dense layer) telling horizontal "
          + "from vertical bars in 16x16 noisy images drawn with explicit keys, trained with Adam on the softmax "
          + "cross-entropy; prints the loss and training accuracy every --every steps and the accuracy on "
          + "held-out images before and after.")
  static final class CnnCommand extends ExampleCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + Cnn.STEPS, description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--every", paramLabel = "N", defaultValue = "10", description = "Print every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      requirePositive(steps, "--steps");
      requirePositive(every, "--every");
      checkpoint.validate(this);
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      Cnn.History h = new Cnn().train(steps, every, (step, loss, accuracy) ->
          out.println("step " + step + " loss " + Format.number(loss) + " accuracy " + Format.number(accuracy)),
          checkpoint.open(out));
      out.println("test accuracy " + Format.number(h.initialTestAccuracy()) + " -> "
          + Format.number(h.finalTestAccuracy()) + " on " + Cnn.SAMPLES + " held-out images");
    }
  }

  @Command(name = "gnn", mixinStandardHelpOptions = true,
      header = "A GNN classifying graph nodes, ported from JAX: loss and accuracy",
      description = "A two-layer GCN-style network on a synthetic graph (200 nodes, 800 edges, all drawn with "
          + "explicit keys): messages gathered along the edges, summed into the receivers with Ops.segmentSum "
          + "(jax.ops.segment_sum), trained with Adam on the cross-entropy of the training nodes. A line-for-line "
          + "port of the JAX program bench/port/gnn.py, whose losses it reproduces (docs/porting.md); prints the "
          + "loss every --every steps and the accuracy on the training and the held-out nodes.")
  static final class GnnCommand extends ExampleCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + Gnn.STEPS, description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--every", paramLabel = "N", defaultValue = "10", description = "Print every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      requirePositive(steps, "--steps");
      requirePositive(every, "--every");
      checkpoint.validate(this);
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      Gnn.History h = new Gnn().train(steps, every, (step, loss) -> printLoss(out, step, loss), checkpoint.open(out));
      out.println("accuracy " + Format.number(h.trainAccuracy()) + " on the " + h.trainingNodes() + " training nodes, "
          + Format.number(h.heldOutAccuracy()) + " on the " + (Gnn.NODES - h.trainingNodes()) + " held-out nodes");
    }
  }

  @Command(name = "fno", mixinStandardHelpOptions = true,
      header = "An FNO learning the heat equation, from JAX: loss and error",
      description = "A 1-D Fourier Neural Operator (rfft along space, the low modes mixed by complex weights, irfft; "
          + "two layers) learning the solution operator of the heat equation from exact spectral solutions drawn with "
          + "explicit keys, trained with Adam. A line-for-line port of the JAX program bench/port/fno.py, whose losses "
          + "it reproduces; prints the loss every --every steps and the relative error on fresh initial conditions.")
  static final class FnoCommand extends ExampleCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + Fno.STEPS, description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--every", paramLabel = "N", defaultValue = "20", description = "Print every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Override
    void validate() {
      requirePositive(steps, "--steps");
      requirePositive(every, "--every");
    }

    @Override
    void run(PrintStream out, PrintStream err) {
      Fno.History h = new Fno().train(steps, every, (step, loss) -> printLoss(out, step, loss));
      out.println("relative error " + Format.number(h.relativeError(dev.statelens.engine.Random.key(1)))
          + " on " + Fno.SAMPLES + " fresh initial conditions");
    }
  }

  @Command(name = "transformer", mixinStandardHelpOptions = true,
      header = "A tiny character-level GPT (Muon + AdamW): loss, then its text",
      description = "A tiny character-level GPT (token + position embeddings, 2 pre-LayerNorm blocks of causal "
          + "multi-head self-attention and a GELU MLP) trained on 2 KB of public-domain text with Muon and AdamW; "
          + "prints the loss every --every steps, then the prompt continued by the trained model.")
  static final class TransformerCommand extends ExampleCommand {
    @Option(names = "--steps", paramLabel = "N", defaultValue = "" + Transformer.STEPS, description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--every", paramLabel = "N", defaultValue = "25", description = "Print the loss every N steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "It was the ",
        description = "The text the trained model continues (default: \"${DEFAULT-VALUE}\"); only characters of the training text.")
    String prompt;

    @Option(names = "--length", paramLabel = "N", defaultValue = "120", description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
        description = "0 (default): the most likely next character each time; above 0: drawn from softmax(logits / T) with explicit keys.")
    double temperature;

    @Mixin CheckpointOptions checkpoint;

    @Override
    void validate() {
      requirePositive(steps, "--steps");
      requirePositive(every, "--every");
      requirePositive(length, "--length");
      if (!(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--temperature must be 0 (greedy) or a positive number, got " + temperature);
      }
      try {
        TinyCorpus.encode(prompt);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--prompt: " + e.getMessage());
      }
      if (prompt.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--prompt is empty; give at least one character, e.g. \"It was \"");
      }
      checkpoint.validate(this);
    }

    @Override
    void run(PrintStream out, PrintStream err) throws IOException {
      Transformer model = new Transformer();
      Transformer.History h = model.train(steps, every, (step, loss) -> printLoss(out, step, loss), checkpoint.open(out));
      if (h.steps().length > 0) {
        out.println("loss went from " + Format.number(h.first()) + " to " + Format.number(h.last())
            + " (" + Format.number(h.first() / h.last()) + "x lower)");
      }
      out.println((temperature == 0 ? "greedy" : "sampled (temperature " + Format.number(temperature) + ")")
          + " continuation of \"" + prompt + "\":");
      out.println(model.generate(h.finalState().params(), prompt, length, temperature, Transformer.sampleKey()));
    }
  }

  @Command(name = "stale", mixinStandardHelpOptions = true,
      header = "The stale-state bug: new params dropped, the loss never moves",
      description = "The stale-state bug: the loop drops the new params and feeds the initial ones "
          + "to every step, so the loss never improves.")
  static final class StaleCommand extends TrainingCommand {
    @Override
    void run(PrintStream out, PrintStream err) {
      StaleStateLoop.run(steps, 100, (step, loss) -> printLoss(out, step, loss));
      out.println("the loss never moves: every step starts from the initial params "
          + "(write params = update(params, ...), not newParams = update(params, ...))");
    }
  }

  @Command(name = "diverge", mixinStandardHelpOptions = true,
      header = "linreg at a learning rate far too high: the params go NaN",
      description = "linreg with lr " + DivergingLinreg.LEARNING_RATE
          + ": the steps overshoot, the params overflow and become NaN (the run ends early "
          + "once both are NaN).")
  static final class DivergeCommand extends TrainingCommand {
    @Override
    void run(PrintStream out, PrintStream err) {
      DivergingLinreg.Outcome o = DivergingLinreg.run(steps, 20, (step, w, b, loss) -> out.println(
          "step " + step + " weight " + Format.number(w) + " bias " + Format.number(b) + " loss " + Format.number(loss)));
      if (o.firstNonFiniteStep() >= 0) {
        out.println("the params stopped being finite at step " + o.firstNonFiniteStep()
            + ": lr " + DivergingLinreg.LEARNING_RATE + " overshoots (linreg converges at lr " + LinReg.LEARNING_RATE + ")");
      }
    }
  }

  @Command(name = "stateful", mixinStandardHelpOptions = true,
      header = "linreg with params in a field updated inside jit: no learning",
      description = "linreg with the params in a field that the jitted step updates: the update runs "
          + "once, at trace time, and every call replays the first loss (the Counter trap in training form).")
  static final class StatefulCommand extends TrainingCommand {
    @Override
    void run(PrintStream out, PrintStream err) {
      StatefulLinReg model = new StatefulLinReg();
      Supplier<Array> step = model.jittedStep();
      for (int i = 0; i < steps; i++) {
        Array loss = step.get();
        if (i % 100 == 0 || i == steps - 1) {
          printLoss(out, i, loss.item());
        }
      }
      out.println("the loss never moves: params = ... in step() ran once, while tracing");
      try {
        model.params().weight().item();
      } catch (UnexpectedTracerError e) {
        out.println("reading model.params afterwards: " + e.getMessage());
      }
    }
  }
}
