package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.plugin.lint.LintMarkers;
import dev.statelens.test.support.TestJavaProjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.IProblemRequestor;
import org.eclipse.jdt.core.WorkingCopyOwner;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.core.compiler.IProblem;
import org.eclipse.jdt.core.dom.AST;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** As-you-type findings: JDT's reconcile reports StateLens problems for the unsaved buffer. */
class ReconcileTest {

  private IJavaProject project;

  @AfterEach
  void tearDown() throws Exception {
    TestJavaProjects.delete(project);
  }

  /** Reconciles {@code text} as the unsaved content of Counter.java and returns StateLens's problems. */
  private List<CategorizedProblem> reconcile(String text) throws Exception {
    ICompilationUnit unit = project.findType("demo.Counter").getCompilationUnit();
    List<CategorizedProblem> problems = new ArrayList<>();
    IProblemRequestor requestor = new IProblemRequestor() {
      @Override public void acceptProblem(IProblem p) {
        if (p instanceof CategorizedProblem c && LintMarkers.PROBLEM.equals(c.getMarkerType())) {
          problems.add(c);
        }
      }
      @Override public void beginReporting() { problems.clear(); }
      @Override public void endReporting() { }
      @Override public boolean isActive() { return true; }
    };
    WorkingCopyOwner owner = new WorkingCopyOwner() {
      @Override public IProblemRequestor getProblemRequestor(ICompilationUnit workingCopy) {
        return requestor;
      }
    };
    ICompilationUnit copy = unit.getWorkingCopy(owner, null);
    try {
      copy.getBuffer().setContents(text);
      copy.reconcile(AST.getJLSLatest(), true, owner, null);
    } finally {
      copy.discardWorkingCopy();
    }
    return problems;
  }

  @Test
  void typingAFieldWriteReportsSl001BeforeSaving() throws Exception {
    String pure = TestProjects.COUNTER.replace("n = n.add(1);\n    return n;", "return n.add(1);");
    project = TestProjects.create("reconcile",
        Map.of("demo/Counter.java", pure, "demo/Main.java", TestProjects.MAIN));

    assertEquals(List.of(), reconcile(pure));

    List<CategorizedProblem> problems = reconcile(TestProjects.COUNTER);
    assertEquals(1, problems.size(), problems.toString());
    CategorizedProblem p = problems.get(0);
    assertEquals(LintMarkers.problemId(dev.statelens.lint.Rule.SL001), p.getID());
    assertEquals(9, p.getSourceLineNumber());
    assertTrue(p.isWarning());
    assertTrue(p.getMessage().startsWith("[SL001] "), p.getMessage());
    assertEquals("n = n.add(1)", TestProjects.COUNTER.substring(p.getSourceStart(), p.getSourceEnd() + 1));
    assertEquals(List.of(), TestProjects.lintMarkers(project.getProject()),
        "reconcile reports problems, it does not create markers");
  }

  @Test
  void callChainIsInTheMessageWhenTheWriteIsReachedThroughACall() throws Exception {
    String viaHelper = """
        package demo;

        import dev.statelens.engine.Array;

        public class Counter {
          Array n = Array.scalar(0);

          public Array count() {
            return bump();
          }

          Array bump() {
            n = n.add(1);
            return n;
          }
        }
        """;
    project = TestProjects.create("reconcile-chain",
        Map.of("demo/Counter.java", viaHelper, "demo/Main.java", TestProjects.MAIN));
    List<CategorizedProblem> problems = reconcile(viaHelper);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).getMessage().contains("call chain"), problems.get(0).getMessage());
  }
}
