package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny transformer: its batches are next-character windows of the text, its loss falls, the
 * same seed gives the same bits, a recording has the params pytree's paths, and the command
 * trains, resumes from a checkpoint and continues a prompt. (The linter's check of the source is
 * lint's ExamplesLintTest.) About 25 s: a step is ~0.1 s of CPU, a trace a few seconds.
 */
class TransformerTest {

  @Test
  void batchesAreWindowsOfTheTextAndTheirNextCharacters() {
    Transformer.Batch b = Transformer.sampleBatch(Random.key(3), TinyCorpus.encode(TinyCorpus.TEXT));
    assertArrayEquals(new int[] {Transformer.BATCH, Transformer.CONTEXT}, b.x().shape());
    int[] x = b.x().toIntArray();
    int[] y = b.y().toIntArray();
    for (int row = 0; row < Transformer.BATCH; row++) {
      String in = TinyCorpus.decode(Arrays.copyOfRange(x, row * Transformer.CONTEXT, (row + 1) * Transformer.CONTEXT));
      String next = TinyCorpus.decode(Arrays.copyOfRange(y, row * Transformer.CONTEXT, (row + 1) * Transformer.CONTEXT));
      assertTrue(TinyCorpus.TEXT.contains(in + next.substring(Transformer.CONTEXT - 1)), "a window of the text: " + in);
      assertEquals(in.substring(1), next.substring(0, Transformer.CONTEXT - 1), "labels are the inputs shifted by one");
    }
  }

  @Test
  void lossFallsWithOneTraceOfTheStep() throws ReflectiveOperationException {
    Transformer t = new Transformer();
    Transformer.History h = t.train(50, 10, (step, loss) -> {});
    double uniform = Math.log(Transformer.vocabSize());
    assertEquals(uniform, h.first(), 0.1, "an untrained model is near uniform over the characters");
    assertTrue(h.last() < 0.7 * h.first(), "loss " + h.first() + " -> " + h.last());
    var f = Transformer.class.getDeclaredField("step");
    f.setAccessible(true);
    assertEquals(1, Transforms.findJit(f.get(t)).orElseThrow().graphs().size(), "a retrace bakes something in");
  }

  /** The optimizer's Muon/Adam split is a test on these paths: the blocks' 12 matrices, nothing else 2-D. */
  @Test
  void muonTakesTheBlocksMatricesByPath() {
    List<Tree.PathLeaf> leaves = Tree.flattenWithPaths(Transformer.init(Random.key(0)));
    List<String> muon = leaves.stream().filter(l -> l.leaf().ndim() == 2 && l.path().startsWith("blocks"))
        .map(Tree.PathLeaf::path).toList();
    assertEquals(6 * Transformer.LAYERS, muon.size(), muon.toString());
    assertTrue(muon.containsAll(List.of("blocks[0].attention.query.w", "blocks[1].mlp.down.w")), muon.toString());
    assertTrue(leaves.stream().map(Tree.PathLeaf::path).toList()
        .containsAll(List.of("tokenEmbedding", "positionEmbedding", "head.w")), "left to AdamW");
  }

  @Test
  void theSameSeedGivesTheSameBits() {
    double[] first = new Transformer().train(4, 1, (step, loss) -> {}).losses();
    double[] second = new Transformer().train(4, 1, (step, loss) -> {}).losses();
    assertEquals(4, first.length);
    assertArrayEquals(first, second, 0.0, "two runs from seed 0");
    assertTrue(first[1] != first[2], "each step gets its own batch and update: " + Arrays.toString(first));
  }

  @Test
  void aRecordingHasTheParamsPytreePaths(@TempDir Path dir) {
    Path db = dir.resolve("transformer.db");
    Transformer.History h;
    try (Recorder r = Recorder.open(db)) {
      h = new Transformer().train(3, 1, (step, loss) -> {});
    }
    try (RunStore run = RunStore.open(db)) {
      GraphInfo g = run.graphs("transformer_step").getFirst();
      List<String> in = g.stateInputs();
      assertTrue(in.containsAll(List.of("state.params.tokenEmbedding", "state.params.positionEmbedding",
          "state.params.blocks[0].attention.query.w", "state.params.blocks[1].mlp.down.b",
          "state.params.blocks[1].norm2.scale", "state.params.finalNorm.bias", "state.params.head.w")), in.toString());
      assertTrue(in.stream().anyMatch(p -> p.startsWith("state.optState.")), "the optimizer state threads too: " + in);
      assertEquals(3, run.links("transformer_step").stream().mapToLong(l -> l.lastStep()).max().orElse(0) + 1,
          "outputs of steps 0 and 1 become inputs of steps 1 and 2");
      Series loss = run.series(run.scalar("loss").orElseThrow(), Stat.MEAN, 100);
      assertEquals(3, loss.size());
      assertEquals(h.losses()[2], loss.lo()[2], 1e-6, "the recorded loss is the program's");
    }
  }

  @Test
  void aPromptOutsideTheVocabularyIsRefusedWithTheCharacters() {
    var e = assertThrows(IllegalArgumentException.class, () -> TinyCorpus.encode("It was 1859"));
    assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("use only these"), e.getMessage());
    Console c = Console.run("transformer", "--prompt", "");
    assertEquals(2, c.exitCode(), c.err());
    assertTrue(c.err().contains("--prompt is empty"), c.err());
  }

  @Test
  void commandTrainsResumesAndContinuesThePrompt(@TempDir Path dir) {
    Console c = Console.run("transformer", "--steps", "12", "--every", "5", "--length", "10",
        "--checkpoint", dir.toString(), "--checkpoint-every", "10");
    assertEquals(0, c.exitCode(), c.err());
    assertEquals(List.of("step 0", "step 5", "step 10", "step 11"), c.outLines().stream()
        .filter(l -> l.startsWith("step ")).map(l -> l.substring(0, l.indexOf(" loss"))).toList());
    List<String> lines = c.outLines();
    assertEquals("greedy continuation of \"It was the \":", lines.get(lines.size() - 2), c.out());
    assertTrue(lines.getLast().startsWith("It was the ") && lines.getLast().length() == "It was the ".length() + 10,
        c.out());
    Console more = Console.run("transformer", "--steps", "14", "--every", "5", "--length", "5",
        "--temperature", "0.8", "--checkpoint", dir.toString());
    assertEquals(0, more.exitCode(), more.err());
    assertTrue(more.out().startsWith("resumed from "), more.out());
    assertEquals(List.of("step 13"), more.outLines().stream().filter(l -> l.startsWith("step "))
        .map(l -> l.substring(0, l.indexOf(" loss"))).toList(), more.out());
    assertTrue(more.out().contains("sampled (temperature 0.8) continuation"), more.out());
  }
}
