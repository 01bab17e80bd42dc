package dev.statelens.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.engine.Array;
import dev.statelens.engine.Tree;
import dev.statelens.engine.TreeDef;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.ir.Aval;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Saves a pytree to a NumPy {@code .npz} file and restores it: training state (params, optimizer
 * state, PRNG keys) that survives the process.
 *
 * <p>Each leaf is one {@code .npy} member named by its {@link Tree tree path}, so in Python
 * {@code numpy.load("state.npz")["params.weight"]} is the array {@code state.params().weight()}.
 * A lone {@link Array} saved as the whole tree is named {@code arr_0}, as {@code np.savez(f, x)}
 * names it. The file also holds {@value #METADATA_MEMBER}: the format, the optional step, the
 * tree's structure and its leaf paths (NumPy returns it as bytes; {@code json.loads} reads it).
 *
 * <p>{@link #save} is crash-safe: it writes a temporary file beside the target, forces it to
 * disk, then renames it over the target atomically, so a process killed mid-save leaves the
 * previous checkpoint intact. {@link #restore} takes a template tree that gives the structure
 * (records, lists, maps, {@code Optional}, {@code Pair}, {@code Key}, registered nodes) and checks
 * every leaf by path: a missing or extra leaf, or a shape or dtype that differs, is one
 * {@link CheckpointException} listing each problem with the file and the fix. See
 * docs/checkpoints.md; {@link CheckpointManager} keeps numbered checkpoints of a training loop.
 */
public final class Checkpoints {

  /** The JSON member with the format, step, structure and leaf paths. */
  public static final String METADATA_MEMBER = "__statelens__.json";
  /** The member name of a tree that is a single {@link Array} (NumPy's name for an unnamed array). */
  public static final String ROOT_LEAF_NAME = "arr_0";
  static final String FORMAT = "statelens.checkpoint";
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoints() {}

  /**
   * Saves the leaves of {@code tree} to {@code file} (created with its parent directories,
   * replaced atomically if it exists).
   *
   * @return {@code file}
   * @throws CheckpointException if a leaf is a traced value (save outside {@code jit}/{@code grad})
   *     or two leaves would get the same name
   * @throws IOException if the file cannot be written; the previous file is then unchanged
   */
  public static Path save(Path file, Object tree) throws IOException {
    return write(file, tree, OptionalLong.empty(), UnaryOperator.identity());
  }

  /** {@link #save(Path, Object)}, recording the training {@code step} the tree belongs to (see {@link #step}). */
  public static Path save(Path file, Object tree, long step) throws IOException {
    return write(file, tree, OptionalLong.of(step), UnaryOperator.identity());
  }

  /** The save, with the file's output stream wrapped (tests make it fail midway). */
  static Path write(Path file, Object tree, OptionalLong step, UnaryOperator<OutputStream> wrap) throws IOException {
    Objects.requireNonNull(file, "file");
    Tree.Flat flat = Tree.flatten(tree);
    List<String> paths = flat.def().paths();
    Map<String, Array> named = new LinkedHashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      String name = memberName(paths.get(i));
      if (named.put(name, flat.leaves().get(i)) != null) {
        throw new CheckpointException("Checkpoints.save: two leaves of " + flat.def() + " have the path '" + name
            + "', so the file could not tell them apart; give the registered node type distinct child names");
      }
    }
    return writeNamed(file, named, flat.def().toString(), step, wrap);
  }

  /**
   * Saves {@code arrays} under their names, like {@code np.savez(file, **arrays)}: member
   * {@code NAME.npy} for each entry, in the map's order. For arrays that are not one pytree
   * (e.g. a recorded step's leaves, by recorded path); {@link #load} reads them back.
   *
   * @throws CheckpointException if a name is empty or an array is a traced value
   */
  public static Path saveArrays(Path file, Map<String, Array> arrays) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(arrays, "arrays");
    for (String name : arrays.keySet()) {
      if (name == null || name.isEmpty()) {
        throw new CheckpointException("Checkpoints.saveArrays: an array has an empty name; NumPy could not "
            + "look it up, so give every array a name");
      }
    }
    return writeNamed(file, arrays, null, OptionalLong.empty(), UnaryOperator.identity());
  }

  private static Path writeNamed(Path file, Map<String, Array> named, String structure, OptionalLong step,
      UnaryOperator<OutputStream> wrap) throws IOException {
    List<Npz.Member> members = new ArrayList<>(named.size());
    for (Map.Entry<String, Array> e : named.entrySet()) {
      String name = e.getKey();
      Array leaf = Objects.requireNonNull(e.getValue(), () -> "the array '" + name + "'");
      if (!leaf.isConcrete()) {
        throw new CheckpointException("Checkpoints.save: the leaf '" + name + "' is a traced value (save was called "
            + "inside a jit/grad/vmap function); save the concrete arrays the transformed function returns, outside it");
      }
      Aval aval = leaf.aval();
      Object host = Backends.current().download(leaf.buffer());
      members.add(new Npz.Member(name, aval.dtype(), aval.shape(), host, aval.size()));
    }
    try {
      Npz.write(file, members, Map.of(METADATA_MEMBER, metadata(structure, List.copyOf(named.keySet()), step)), wrap);
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException("Checkpoints.save: could not write " + file + " (" + e
          + "); the file as it was before, if there was one, is unchanged", e);
    }
    return file;
  }

  private static byte[] metadata(String structure, List<String> names, OptionalLong step) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("format", FORMAT);
    json.put("version", VERSION);
    if (step.isPresent()) {
      json.put("step", step.getAsLong());
    }
    if (structure != null) {
      json.put("structure", structure);
    }
    json.putPOJO("leaves", names);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
  }

  /** The member name (without {@code .npy}) of the leaf at {@code path}. */
  static String memberName(String path) {
    return path.isEmpty() ? ROOT_LEAF_NAME : path;
  }

  /**
   * Restores a tree of {@code template}'s structure from {@code file}. The template's leaves give
   * only the expected shapes and dtypes (their values are not used): pass the state your program
   * builds before training, e.g. the freshly initialised params and optimizer state.
   *
   * @throws CheckpointException if the file is missing, corrupt or not an {@code .npz}, or if its
   *     arrays do not match the template's leaves by path, shape and dtype (one error listing
   *     every difference)
   */
  public static <T> T restore(Path file, T template) throws IOException {
    Objects.requireNonNull(file, "file");
    return restore(Npz.read(file, "Checkpoints.restore"), template);
  }

  static <T> T restore(Npz.Contents contents, T template) throws CheckpointException {
    Path file = contents.file();
    Tree.Flat flat = Tree.flatten(template);
    List<String> paths = flat.def().paths();
    List<String> problems = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < paths.size(); i++) {
      String name = memberName(paths.get(i));
      expected.add(name);
      Aval want = flat.leaves().get(i).aval();
      Npy.Header have = contents.headers().get(name);
      if (have == null) {
        problems.add("'" + name + "': the template has " + want + ", the file has no such array");
      } else if (have.dtype() != want.dtype() || !Arrays.equals(have.shape(), want.shape())) {
        problems.add("'" + name + "': the file has " + have.aval() + ", the template " + want);
      }
    }
    for (String name : contents.headers().keySet()) {
      if (!expected.contains(name)) {
        problems.add("'" + name + "': the file has " + contents.headers().get(name).aval()
            + ", the template has no leaf at this path");
      }
    }
    if (!problems.isEmpty()) {
      throw mismatch(file, flat.def(), problems);
    }
    List<Array> leaves = new ArrayList<>(paths.size());
    for (String path : paths) {
      leaves.add(toArray(contents, memberName(path)));
    }
    return flat.def().unflatten(leaves);
  }

  private static CheckpointException mismatch(Path file, TreeDef template, List<String> problems) {
    StringBuilder message = new StringBuilder("Checkpoints.restore: ").append(file)
        .append(" does not match the template ").append(template).append(" (")
        .append(problems.size()).append(problems.size() == 1 ? " difference" : " differences").append("):");
    int shown = Math.min(problems.size(), 20);
    for (String problem : problems.subList(0, shown)) {
      message.append("\n  ").append(problem);
    }
    if (shown < problems.size()) {
      message.append("\n  ... and ").append(problems.size() - shown).append(" more");
    }
    message.append("\nRestore with a template built the way the saving program built its tree (the same records, "
        + "layer sizes and optimizer), or call Checkpoints.load(file) to see the file's arrays.");
    return new CheckpointException(message.toString());
  }

  /**
   * Every array in {@code file} by member name ({@code .npy} dropped), in file order: the leaf
   * paths of a saved tree, or the names an {@code np.savez} call gave. For inspection, and for
   * files NumPy wrote. Members that are not {@code .npy} arrays (the metadata) are left out.
   *
   * @throws CheckpointException if the file is missing, corrupt or not an {@code .npz}, or holds
   *     an array of a dtype the engine does not have
   */
  public static Map<String, Array> load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Npz.Contents contents = Npz.read(file, "Checkpoints.load");
    Map<String, Array> arrays = new LinkedHashMap<>();
    for (String name : contents.headers().keySet()) {
      arrays.put(name, toArray(contents, name));
    }
    return Collections.unmodifiableMap(arrays);
  }

  /**
   * The step {@link #save(Path, Object, long)} recorded in {@code file}; empty if it was saved
   * without one or written by another program.
   */
  public static OptionalLong step(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return step(Npz.read(file, "Checkpoints.step"));
  }

  static OptionalLong step(Npz.Contents contents) throws CheckpointException {
    byte[] json = contents.others().get(METADATA_MEMBER);
    if (json == null) {
      return OptionalLong.empty();
    }
    try {
      JsonNode step = JSON.readTree(json).get("step");
      return step != null && step.canConvertToLong() ? OptionalLong.of(step.asLong()) : OptionalLong.empty();
    } catch (IOException e) {
      throw new CheckpointException("Checkpoints: the member " + METADATA_MEMBER + " of " + contents.file()
          + " is not valid JSON (" + e.getMessage() + "); the arrays may still load with Checkpoints.load", e);
    }
  }

  private static Array toArray(Npz.Contents contents, String name) {
    Npy.Header header = contents.headers().get(name);
    Aval aval = Aval.of(header.dtype(), header.shape());
    return Array.fromBuffer(Backends.current().upload(aval, contents.data(name)));
  }
}
