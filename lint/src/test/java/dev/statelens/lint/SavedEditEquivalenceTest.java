package dev.statelens.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.incremental.Members;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.SourceFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A saved edit re-analyzed from what the previous analysis kept ({@link SavedEditReanalysis})
 * reports exactly what a fresh lint of the saved file reports: findings with rule, severity,
 * range, message, call chain and fixes, and notices. Checked on every golden fixture under a
 * sequence of random edits (comments, blank lines, statements, field writes, renamed locals,
 * deleted lines, edits inside lambdas), each saved and re-analyzed in turn, and on a model file
 * shaped like the benchmark's, where the edits that should reuse the previous analysis must.
 */
class SavedEditEquivalenceTest {

  @TempDir
  static Path tmp;

  private static Path engineClasses;

  @BeforeAll
  static void compileEngineStub() throws IOException, URISyntaxException {
    engineClasses = EngineStub.compile(tmp.resolve("engine-classes"));
  }

  private static LintConfig config() {
    return LintConfig.defaults().withClasspath(List.of(engineClasses));
  }

  static Stream<String> fixtures() throws IOException {
    return GoldenFixturesTest.fixtures();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void randomEditsOfAFixtureMatchAFreshLint(String name) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("edits-" + name)).resolve(name + ".java");
    String text = Files.readString(Fixtures.file(name + ".java"));
    Files.writeString(file, text);
    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file)));
    editor.update(SourceFile.read(file)); // the full analysis, which keeps its outcomes
    Random random = new Random(name.hashCode());
    int reused = 0;
    for (int i = 0; i < 12; i++) {
      Edit edit = Edit.values()[random.nextInt(Edit.values().length)];
      String edited = edit.apply(text, random);
      if (edited == null) {
        continue;
      }
      text = edited;
      saveAndCompare(editor, file, text, name + " after edit " + i + " (" + edit + ")");
      reused += editor.lastUpdateReused() ? 1 : 0;
    }
    // BrokenCode has syntax errors: always the full analysis. Elsewhere most edits reuse.
    assertTrue(name.equals("BrokenCode") || reused > 0, "no edit of " + name + " reused");
  }

  @Test
  void editsOfOneBodyOrOfCommentsReuseTheRestAndMatchAFreshLint() throws IOException {
    Path file = Files.createDirectories(tmp.resolve("model/demo")).resolve("Model.java");
    String text = modelFile(12);
    Files.writeString(file, text);
    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file)));
    editor.update(SourceFile.read(file));
    assertFalse(editor.lastUpdateReused(), "the first re-analysis has nothing to reuse");

    String[][] reusing = {
        {"// edit point", "// edit point."}, // comment only
        {"// edit point.", "// edit point\n// two lines now"}, // lines move
        {"    Array y = x.mul(3)", "    Array y = x.mul(33)"}, // helper3: step3 again
        {"      Array h = helper5(x);", "      Array h = helper5(x);\n      h = h.add(2);"},
        {"      Array h = helper6(x);", "      Array h = helper7(x);"}, // step6 now calls helper7
        {"      y = y.neg();\n    return y.mul(scale);\n  }\n\n  Function<Array, Array> step8",
            "      y = y.neg();\n      scale = 2;\n    return y.mul(scale);\n  }\n\n"
                + "  Function<Array, Array> step8"}, // a field write in helper8 (scale is already written after construction)
        {"      log.add(\"step\");", "      log.add(\"step\" + calls);"},
    };
    for (String[] edit : reusing) {
      String edited = text.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
          java.util.regex.Matcher.quoteReplacement(edit[1]));
      assertTrue(!edited.equals(text), "edit not applied: " + edit[0]);
      text = edited;
      saveAndCompare(editor, file, text, "edit " + edit[0]);
      assertTrue(editor.lastUpdateReused(),
          "re-analyzed from scratch: " + edit[0]);
    }

    String[][] full = {
        {"  private int calls;", "  private int calls;\n  private int more;"}, // a field
        {"  Array helper2(Array x) {", "  Array helper2(Array x, int k) {"}, // a signature
        {"    return y.mul(scale);\n  }", "    return y.mul(scale);\n  }\n  void extra() {}"},
    };
    for (String[] edit : full) {
      text = text.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
          java.util.regex.Matcher.quoteReplacement(edit[1]));
      saveAndCompare(editor, file, text, "edit " + edit[0]);
      assertFalse(editor.lastUpdateReused(), "outside one body, yet reused: " + edit[0]);
    }
    // and after a full analysis the next body edit reuses again
    text = text.replace("    Array y = x.mul(4)", "    Array y = x.mul(44)");
    saveAndCompare(editor, file, text, "body edit after a full analysis");
    assertTrue(editor.lastUpdateReused());
  }

  @Test
  void anotherFileChangedInBetweenMeansAFullAnalysis() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("two/demo"));
    Path file = dir.resolve("Model.java");
    Path other = dir.resolve("Other.java");
    String text = modelFile(4);
    Files.writeString(file, text);
    Files.writeString(other, "package demo;\nclass Other {\n  static int n;\n}\n");
    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file), SourceFile.read(other)));
    editor.update(SourceFile.read(file));
    Files.writeString(other, "package demo;\nclass Other {\n  static int n, m;\n}\n");
    editor.update(SourceFile.read(other));
    text = text.replace("// edit point", "// edit point.");
    Files.writeString(file, text);
    LintResult updated = editor.update(SourceFile.read(file));
    assertFalse(editor.lastUpdateReused());
    LintResult fresh = new Linter(config()).lint(
        List.of(SourceFile.read(file), SourceFile.read(other)));
    assertEquals(fresh.findings().stream().filter(f -> f.file().equals(file.toAbsolutePath()
        .normalize())).toList(), updated.findings());
  }

  /**
   * The kept binding lookup ({@code BindingEnvironment}) keeps the secondary types JDT read from
   * the package across saved edits of one body; a type declared in another file of the package
   * resolves, and stops resolving once that file drops it, as in a fresh lint of both files.
   */
  @Test
  void secondaryTypesOfThePackageFollowItsFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("secondary/demo"));
    Path file = dir.resolve("Model.java");
    Path other = dir.resolve("Other.java");
    String box = "package demo;\nimport dev.statelens.engine.Array;\nclass Other {}\n"
        + "class Box {\n  static java.util.List<Array> seen = new java.util.ArrayList<>();\n"
        + "  static Array keep(Array x) {\n    seen.add(x);\n    return x;\n  }\n}\n";
    String text = modelFile(4).replace("      Array h = helper1(x);",
        "      Array h = Box.keep(helper1(x));");
    Files.writeString(file, text);
    Files.writeString(other, box);
    Linter editor = new Linter(config());
    editor.lint(List.of(SourceFile.read(file), SourceFile.read(other)));
    editor.update(SourceFile.read(file));
    for (int k = 5; k < 8; k++) {
      text = text.replace("    Array y = x.mul(" + (k == 5 ? 2 : k - 1) + ")",
          "    Array y = x.mul(" + k + ")");
      Files.writeString(file, text);
      compareWithFresh(editor, file, other, "body edit " + k);
      assertTrue(editor.lastUpdateReused(), "body edit " + k);
    }
    Files.writeString(other, "package demo;\nclass Other {}\n"); // Box is gone
    compareWithFresh(editor, other, file, "Box removed");
    for (int k = 8; k < 10; k++) {
      text = text.replace("    Array y = x.mul(" + (k - 1) + ")", "    Array y = x.mul(" + k + ")");
      Files.writeString(file, text);
      compareWithFresh(editor, file, other, "body edit " + k + " without Box");
    }
    assertTrue(editor.lastUpdateReused());
    Files.writeString(other, box); // Box is back
    compareWithFresh(editor, other, file, "Box back");
    text = text.replace("    Array y = x.mul(9)", "    Array y = x.mul(10)");
    Files.writeString(file, text);
    compareWithFresh(editor, file, other, "body edit with Box back");
  }

  /** Updates {@code file} (saved) and compares with a fresh lint of both files. */
  private static void compareWithFresh(Linter editor, Path file, Path other, String what)
      throws IOException {
    LintResult updated = editor.update(SourceFile.read(file));
    LintResult fresh = new Linter(config()).lint(
        List.of(SourceFile.read(file), SourceFile.read(other)));
    Path normalized = file.toAbsolutePath().normalize();
    // an update reports the findings of the file's transform calls, wherever the callee is
    assertEquals(fresh.findings().stream().filter(f -> normalized.equals(f.callChain().isEmpty()
        ? f.file() : f.callChain().get(0).file())).toList(), updated.findings(), what + " (reused: " + editor.lastUpdateReused() + ", notices "
        + updated.notices() + ")");
    assertEquals(fresh.notices().stream().filter(n -> normalized.equals(n.file())).toList(),
        updated.notices().stream().filter(n -> normalized.equals(n.file())).toList(), what);
  }

  private static void saveAndCompare(Linter editor, Path file, String text, String what)
      throws IOException {
    Files.writeString(file, text);
    SourceFile saved = SourceFile.read(file);
    LintResult updated = editor.update(saved);
    LintResult fresh = new Linter(config()).lint(List.of(saved));
    assertEquals(fresh.findings(), updated.findings(), what + " (reused: "
        + editor.lastUpdateReused() + ")\n" + text);
    assertEquals(fresh.notices(), updated.notices(), what);
    assertEquals(fresh.suppressed(), updated.suppressed(), what);
    assertEquals(fresh.linesAnalyzed(), updated.linesAnalyzed(), what);
    assertEquals(ProjectIndex.build(List.of(saved)).file(saved.path()),
        editor.index().file(saved.path()), "index entry " + what);
  }

  /** A model class like the benchmark's 1,000-line file, with {@code n} helper/step pairs. */
  static String modelFile(int n) {
    StringBuilder s = new StringBuilder("""
        package demo;

        import dev.statelens.engine.Array;
        import dev.statelens.engine.Transforms;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.function.Function;

        // edit point
        public class Model {
          private Array weights = Array.scalar(1);
          private float scale = 0.5f;
          private final List<String> log = new ArrayList<>();
          private int calls;

        """);
    for (int i = 0; i < n; i++) {
      s.append("  Array helper").append(i).append("(Array x) {\n")
          .append("    Array y = x.mul(").append(i).append(").add(weights);\n")
          .append("    if (y.shape().length > 1) {\n")
          .append("      y = y.sum();\n")
          .append("    }\n")
          .append(i % 7 == 0 ? "    calls++;\n" : "      y = y.neg();\n")
          .append("    return y.mul(scale);\n")
          .append("  }\n\n")
          .append("  Function<Array, Array> step").append(i).append("() {\n")
          .append("    return Transforms.jit((Array x) -> {\n")
          .append("      Array h = helper").append(i).append("(x);\n")
          .append(i % 5 == 0 ? "      log.add(\"step\");\n" : "      h = h.add(1);\n")
          .append("      return helper").append(i).append("(h);\n")
          .append("    });\n")
          .append("  }\n\n");
    }
    s.append("  void setScale(float s) {\n    scale = s;\n  }\n}\n");
    return s.toString();
  }

  /** Edits a saved file may get; each returns the edited text, or null where it does not apply. */
  enum Edit {
    COMMENT_ON_TOP {
      @Override
      String apply(String text, Random random) {
        return "// saved again\n" + text;
      }
    },
    TRAILING_SPACES {
      @Override
      String apply(String text, Random random) {
        List<Integer> ends = new ArrayList<>();
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
          ends.add(i);
        }
        if (ends.isEmpty()) {
          return null;
        }
        int at = ends.get(random.nextInt(ends.size()));
        return text.substring(0, at) + "   " + text.substring(at);
      }
    },
    BLANK_LINE_IN_BODY {
      @Override
      String apply(String text, Random random) {
        return insertInBody(text, random, "\n");
      }
    },
    STATEMENT_IN_BODY {
      @Override
      String apply(String text, Random random) {
        return insertInBody(text, random, "\n    int unused" + random.nextInt(100) + " = 1;");
      }
    },
    FIELD_WRITE_IN_BODY {
      @Override
      String apply(String text, Random random) {
        List<String> fields = new ArrayList<>();
        parse(text).accept(new ASTVisitor() {
          @Override
          public boolean visit(FieldDeclaration field) {
            for (Object f : field.fragments()) {
              fields.add(((VariableDeclarationFragment) f).getName().getIdentifier());
            }
            return false;
          }
        });
        if (fields.isEmpty()) {
          return null;
        }
        String field = fields.get(random.nextInt(fields.size()));
        return insertInBody(text, random, "\n    this." + field + " = this." + field + ";");
      }
    },
    RENAME_LOCAL {
      @Override
      String apply(String text, Random random) {
        CompilationUnit cu = parse(text);
        Members members = Members.of(cu);
        List<VariableDeclaration> locals = new ArrayList<>();
        cu.accept(new ASTVisitor() {
          @Override
          public boolean visit(VariableDeclarationFragment v) {
            if (members.at(v) >= 0 && v.getStartPosition()
                > members.get(members.at(v)).bodyStart()) {
              locals.add(v);
            }
            return true;
          }
        });
        if (locals.isEmpty()) {
          return null;
        }
        VariableDeclaration local = locals.get(random.nextInt(locals.size()));
        Members.Member member = members.get(members.at(local));
        String old = local.getName().getIdentifier();
        List<Integer> at = new ArrayList<>();
        cu.accept(new ASTVisitor() {
          @Override
          public boolean visit(SimpleName name) {
            if (name.getIdentifier().equals(old) && name.getStartPosition() > member.bodyStart()
                && name.getStartPosition() < member.bodyEnd()) {
              at.add(name.getStartPosition());
            }
            return true;
          }
        });
        StringBuilder out = new StringBuilder(text);
        for (int i = at.size() - 1; i >= 0; i--) {
          out.replace(at.get(i), at.get(i) + old.length(), old + "Renamed");
        }
        return out.toString();
      }
    },
    DELETE_LINE_IN_BODY {
      @Override
      String apply(String text, Random random) {
        Members members = Members.of(parse(text));
        if (members.size() == 0) {
          return null;
        }
        Members.Member m = members.get(random.nextInt(members.size()));
        int from = text.indexOf('\n', m.bodyStart());
        if (from < 0 || from + 1 >= m.bodyEnd()) {
          return null;
        }
        int to = text.indexOf('\n', from + 1);
        if (to < 0 || to >= m.bodyEnd() - 1) {
          return null;
        }
        String edited = text.substring(0, from) + text.substring(to);
        // a deleted line that breaks the syntax ends reuse for the rest of the sequence
        return Stream.of(parse(edited).getProblems()).anyMatch(p -> p.isError()) ? null : edited;
      }
    },
    STATEMENT_IN_LAMBDA {
      @Override
      String apply(String text, Random random) {
        List<Integer> blocks = new ArrayList<>();
        parse(text).accept(new ASTVisitor() {
          @Override
          public boolean visit(LambdaExpression lambda) {
            if (lambda.getBody() instanceof org.eclipse.jdt.core.dom.Block block) {
              blocks.add(block.getStartPosition() + 1);
            }
            return true;
          }
        });
        if (blocks.isEmpty()) {
          return null;
        }
        int at = blocks.get(random.nextInt(blocks.size()));
        return text.substring(0, at) + "\n      int inLambda = 2;" + text.substring(at);
      }
    };

    abstract String apply(String text, Random random);

    static String insertInBody(String text, Random random, String statement) {
      Members members = Members.of(parse(text));
      if (members.size() == 0) {
        return null;
      }
      int at = members.get(random.nextInt(members.size())).bodyStart() + 1;
      return text.substring(0, at) + statement + text.substring(at);
    }

    static CompilationUnit parse(String text) {
      return JavaParsing.parseSyntax(new SourceFile(Path.of("/edit/X.java"), text));
    }
  }
}
