package aha.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.LintReport.Finding;
import aha.problems.LintReport.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemLinterTest {

  @TempDir Path dir;

  /**
   * A verifier stand-in: a gold containing "??" does not parse; a solution verifies when its last
   * line is "#### " + gold; a gold "boom" makes the checker throw.
   */
  static final AnswerChecker FAKE =
      new AnswerChecker() {
        @Override
        public String goldProblem(String gold, AnswerKind kind) {
          if (gold.equals("boom")) {
            throw new IllegalStateException("kaput");
          }
          return gold.contains("??") ? "unexpected '?'" : null;
        }

        @Override
        public String solutionProblem(String solution, String gold, AnswerKind kind) {
          String[] lines = solution.split("\n");
          String last = lines[lines.length - 1];
          return last.equals("#### " + gold) ? null : "final answer '" + last + "' is not " + gold;
        }
      };

  static Problem p(String id, String question, String answer, String solution) {
    return new Problem(id, question, answer, AnswerKind.NUMERIC, solution, null);
  }

  static List<String> formatted(LintReport report) {
    return report.findings().stream().map(Finding::format).toList();
  }

  @Test
  void aCleanSetHasNoFindings() {
    LintReport report =
        ProblemLinter.lint(
            Path.of("ok.jsonl"),
            List.of(p("a", "1+1?", "2", "1+1=2\n#### 2"), p("b", "2+2?", "4", null)),
            FAKE);
    assertEquals(List.of(), report.findings());
    assertEquals("no findings\n", report.format());
  }

  @Test
  void findsEverythingInOnePass() {
    Path file = Path.of("test.jsonl");
    List<Problem> problems =
        List.of(
            p("p-1", "What is 2+2?", "4", "2+2=4\n#### 4"),
            p("p-2", "what is   2+2? ", "4", null), // duplicate, same gold: warning
            p("p-3", "WHAT IS 2+2?", "5", null), // duplicate, other gold: error
            p("p-4", "   ", "1", null),
            p("p-5", "Parse me", "3??", "#### 3??"), // gold fails; solution then not checked
            p("p-6", "Check me", "6", "3+3=7\n#### 7"),
            p("p-1", "Another", "1", null),
            new Problem(
                "p-8", "Hard", "8", AnswerKind.NUMERIC, null, new ProblemMeta("f", 6, 0, null)),
            p("p-9", "Explode", "boom", null),
            p("p-10", "Spaces", " 10", null));
    LintReport report = ProblemLinter.lint(file, problems, FAKE);
    assertEquals(
        List.of(
            "test.jsonl:2 [p-2] question: warning: duplicate question (same as line 1 [p-1])",
            "test.jsonl:3 [p-3] question: same question as line 1 [p-1] but a different answer:"
                + " \"5\" vs \"4\"",
            "test.jsonl:4 [p-4] question: empty after trimming whitespace",
            "test.jsonl:5 [p-5] answer: does not parse as numeric: unexpected '?'",
            "test.jsonl:6 [p-6] solution: final answer does not verify: final answer '#### 7' is"
                + " not 6",
            "test.jsonl:7 [p-1] id: duplicate id (first at line 1)",
            "test.jsonl:8 [p-8] meta.difficulty: 6 out of range (expected 0..5)",
            "test.jsonl:9 [p-9] answer: does not parse as numeric: checker failed:"
                + " java.lang.IllegalStateException: kaput",
            "test.jsonl:10 [p-10] answer: warning: leading or trailing whitespace"),
        formatted(report));
    assertEquals(7, report.errorCount());
    assertEquals(2, report.warningCount());
    assertTrue(report.format().endsWith("7 errors, 2 warnings\n"), report.format());
  }

  @Test
  void withoutACheckerOnlyStructuralChecksRun() {
    LintReport report =
        ProblemLinter.lint(Path.of("x.jsonl"), List.of(p("a", "q", "3??", "#### 9")), null);
    assertEquals(List.of(), report.findings());
  }

  @Test
  void lintFileReportsReadErrorsAndContentFindingsByLine() throws IOException {
    Path file = dir.resolve("set.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"question\":\"Q one\",\"answer\":\"1\",\"kind\":\"numeric\"}",
            "{\"id\":\"b\",\"question\":\"Q two\",\"answer\":\"2\",\"kind\":\"numerc\"}",
            "{oops",
            "{\"id\":\"c\",\"question\":\"q   ONE\",\"answer\":\"1\",\"kind\":\"numeric\"}",
            "{\"id\":\"a\",\"question\":\"Q three\",\"answer\":\"3\",\"kind\":\"numeric\"}",
            "{\"id\":\"d\",\"question\":\"Q four\",\"answer\":\"4??\",\"kind\":\"numeric\"}"));
    LintReport report = ProblemLinter.lintFile(file, FAKE);
    List<Integer> lines = report.findings().stream().map(Finding::line).toList();
    assertEquals(List.of(2, 3, 4, 5, 6), lines);
    List<String> text = formatted(report);
    assertTrue(text.get(0).startsWith(file + ":2 kind: unknown kind 'numerc'"), text.get(0));
    assertTrue(text.get(1).startsWith(file + ":3: malformed JSON"), text.get(1));
    assertEquals(
        file + ":4 [c] question: warning: duplicate question (same as line 1 [a])", text.get(2));
    assertEquals(file + ":5 id: duplicate id \"a\" (first at line 1)", text.get(3));
    assertEquals(file + ":6 [d] answer: does not parse as numeric: unexpected '?'", text.get(4));
    assertEquals(4, report.errorCount());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "same question, other id  | t-9 | What is 6*7?   | ERROR   | question | leaks from train:"
            + " same question as train.jsonl:2 [t-2]",
        "normalized question      | t-9 | WHAT IS  6*7?  | ERROR   | question | leaks from train:"
            + " same question as train.jsonl:2 [t-2]",
        "same id, other question  | t-1 | What is 1+1?   | WARNING | id       | also used in"
            + " train.jsonl:1 for a different question",
      })
  void leakageBetweenTrainAndTest(
      String name, String id, String question, Severity severity, String field, String message) {
    List<Problem> train =
        List.of(p("t-1", "What is 5+5?", "10", null), p("t-2", "What is 6*7?", "42", null));
    List<Problem> test =
        List.of(p("fresh", "What is 9-1?", "8", null), p(id, question, "42", null));
    LintReport report =
        ProblemLinter.lintLeakage(Path.of("train.jsonl"), train, Path.of("test.jsonl"), test);
    assertEquals(
        List.of(new Finding(Path.of("test.jsonl"), 2, id, field, message, severity)),
        report.findings());
  }

  @Test
  void leakageFromFilesUsesTheirLineNumbers() throws IOException {
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    Files.writeString(
        train, "\n\n{\"id\":\"a\",\"question\":\"Q\",\"answer\":\"1\",\"kind\":\"numeric\"}\n");
    Files.writeString(
        test, "\n{\"id\":\"b\",\"question\":\" q \",\"answer\":\"1\",\"kind\":\"numeric\"}\n");
    LintReport report =
        ProblemLinter.lintLeakage(ProblemSets.readAll(train), ProblemSets.readAll(test));
    assertEquals(
        List.of(test + ":2 [b] question: leaks from train: same question as " + train + ":3 [a]"),
        formatted(report));
  }

  @Test
  void normalizeQuestion() {
    assertEquals("what is 2+2?", ProblemLinter.normalizeQuestion("  What\tis\n 2+2? "));
    assertEquals("x2 = 4", ProblemLinter.normalizeQuestion("ｘ２ = 4")); // NFKC folds full-width
  }
}
