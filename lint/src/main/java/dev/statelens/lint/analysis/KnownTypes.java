package dev.statelens.lint.analysis;

import java.util.Map;
import java.util.Set;

/**
 * What the analyzer knows about JDK and engine types without bindings: which simple names
 * implicitly mean {@code java.lang} types, and the usual subtypes of the mutable container
 * types, so that name-based matching still recognizes {@code ArrayList} as a {@code Collection}.
 */
public final class KnownTypes {

  public static final String ARRAY = "dev.statelens.engine.Array";

  private KnownTypes() {}

  private static final Set<String> JAVA_LANG = Set.of(
      "Object", "String", "System", "Math", "StrictMath", "StringBuilder", "StringBuffer",
      "Integer", "Long", "Double", "Float", "Boolean", "Short", "Byte", "Character", "Number",
      "Thread", "Runtime", "ProcessBuilder", "Appendable", "Iterable", "Runnable", "Class",
      "Exception", "RuntimeException", "Error", "Throwable", "Record", "Enum", "Void",
      "IllegalArgumentException", "IllegalStateException", "UnsupportedOperationException");

  private static final Map<String, Set<String>> SUBTYPES = Map.ofEntries(
      Map.entry("java.util.Collection", Set.of("Collection", "List", "ArrayList", "LinkedList",
          "Set", "HashSet", "LinkedHashSet", "TreeSet", "SortedSet", "NavigableSet", "Queue",
          "Deque", "ArrayDeque", "PriorityQueue", "Stack", "Vector", "CopyOnWriteArrayList",
          "CopyOnWriteArraySet", "ConcurrentLinkedQueue", "ConcurrentLinkedDeque",
          "LinkedBlockingQueue", "ArrayBlockingQueue", "BlockingQueue", "EnumSet",
          "SequencedCollection", "SequencedSet")),
      Map.entry("java.util.Map", Set.of("Map", "HashMap", "LinkedHashMap", "TreeMap",
          "SortedMap", "NavigableMap", "ConcurrentMap", "ConcurrentHashMap",
          "ConcurrentSkipListMap", "EnumMap", "IdentityHashMap", "WeakHashMap", "Hashtable",
          "Properties", "SequencedMap")),
      Map.entry("java.util.Iterator", Set.of("Iterator", "ListIterator")),
      Map.entry("java.lang.Appendable", Set.of("Appendable", "StringBuilder", "StringBuffer",
          "Writer", "StringWriter", "PrintWriter", "PrintStream", "BufferedWriter")),
      Map.entry("java.util.BitSet", Set.of("BitSet")),
      Map.entry("java.util.random.RandomGenerator", Set.of("RandomGenerator", "SecureRandom",
          "ThreadLocalRandom", "SplittableRandom")),
      Map.entry("java.util.Random", Set.of("SecureRandom", "ThreadLocalRandom")),
      Map.entry("java.util.logging.Logger", Set.of()),
      Map.entry("java.io.OutputStream", Set.of("OutputStream", "FileOutputStream",
          "BufferedOutputStream", "PrintStream", "DataOutputStream", "ObjectOutputStream")),
      Map.entry("java.io.Writer", Set.of("Writer", "FileWriter", "BufferedWriter",
          "PrintWriter", "OutputStreamWriter")),
      Map.entry("java.io.InputStream", Set.of("InputStream", "FileInputStream",
          "BufferedInputStream", "DataInputStream", "ObjectInputStream")),
      Map.entry("java.io.Reader", Set.of("Reader", "FileReader", "BufferedReader",
          "InputStreamReader")));

  /** Simple names of JDK types that extend or implement {@code qualified} (incl. itself). */
  public static Set<String> knownSubtypes(String qualified) {
    return SUBTYPES.getOrDefault(qualified, Set.of());
  }

  /** A {@code java.lang} type usable without import. */
  public static boolean isJavaLang(String simpleName) {
    return JAVA_LANG.contains(simpleName);
  }

  public static boolean isJdkName(String qualifiedName) {
    return qualifiedName.startsWith("java.") || qualifiedName.startsWith("javax.");
  }
}
