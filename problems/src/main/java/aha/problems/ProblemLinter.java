package aha.problems;

import aha.problems.LintReport.Finding;
import aha.problems.LintReport.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Finds what is wrong with a problem set, all of it at once, so that an author fixes a file in one
 * pass rather than one error per run.
 *
 * <p>Checks on one file ({@link #lint}):
 *
 * <ul>
 *   <li>read errors (bad JSON, missing or mistyped fields, unknown fields, duplicate ids), when
 *       linting a {@link ProblemSets.ReadResult};
 *   <li>schema beyond what reading checks: blank question, empty answer, missing kind, difficulty
 *       outside 0..5, duplicate ids (for problems that did not come from a file);
 *   <li>duplicate questions after normalization ({@link #normalizeQuestion}): a warning when the
 *       golds are the same text, an error when they differ (two golds for one question);
 *   <li>the gold answer parses as its kind ({@link AnswerChecker#goldProblem});
 *   <li>the reference solution's final answer verifies against the gold ({@link
 *       AnswerChecker#solutionProblem}); skipped when the gold itself does not parse.
 * </ul>
 *
 * <p>Across a train and a test file ({@link #lintLeakage}): a test question that is also a train
 * question is an error; a test id also used in train for a different question is a warning (the
 * problems differ, but per-problem results keyed by id would mix).
 */
public final class ProblemLinter {

  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private ProblemLinter() {}

  /** Reads {@code file} leniently and lints everything in it, read errors included. */
  public static LintReport lintFile(Path file, AnswerChecker checker) throws IOException {
    return lint(ProblemSets.readAll(file), checker);
  }

  /**
   * Lints what was read from a file: its read errors, then every check on its valid lines, with the
   * lines they were read from.
   *
   * @param checker the verifier's checks; null skips the gold and solution checks
   */
  public static LintReport lint(ProblemSets.ReadResult read, AnswerChecker checker) {
    List<Finding> findings = new ArrayList<>();
    for (ProblemSetException error : read.errors()) {
      findings.add(
          new Finding(
              error.file(), error.line(), null, error.field(), error.reason(), Severity.ERROR));
    }
    findings.addAll(check(read.file(), read.entries(), checker));
    findings.sort(Comparator.comparingInt(Finding::line));
    return new LintReport(findings);
  }

  /**
   * Lints problems held in memory as if they were the lines of {@code file}: problem {@code i} is
   * reported at line {@code i + 1}, which is where {@link ProblemSets#write} puts it.
   *
   * @param checker the verifier's checks; null skips the gold and solution checks
   */
  public static LintReport lint(Path file, List<Problem> problems, AnswerChecker checker) {
    return new LintReport(check(file, numbered(problems), checker));
  }

  /** Leakage between a train and a test set, both read from files (valid lines only). */
  public static LintReport lintLeakage(ProblemSets.ReadResult train, ProblemSets.ReadResult test) {
    return leakage(train.file(), train.entries(), test.file(), test.entries());
  }

  /**
   * Leakage between a train and a test set held in memory; problem {@code i} is reported at line
   * {@code i + 1}. Findings are on the test file's lines and name the train line they collide with.
   */
  public static LintReport lintLeakage(
      Path train, List<Problem> trainProblems, Path test, List<Problem> testProblems) {
    return leakage(train, numbered(trainProblems), test, numbered(testProblems));
  }

  /**
   * The form in which two questions count as the same: Unicode NFKC, lower case, runs of whitespace
   * made one space, ends trimmed. "What is 2+2?" and "what is 2+2?" are the same question.
   */
  public static String normalizeQuestion(String question) {
    String text = Normalizer.normalize(question, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return WHITESPACE.matcher(text).replaceAll(" ").strip();
  }

  // ---- one file ---------------------------------------------------------------------------------

  private static List<Finding> check(
      Path file, List<ProblemSets.Entry> entries, AnswerChecker checker) {
    List<Finding> findings = new ArrayList<>();
    Map<String, ProblemSets.Entry> byId = new HashMap<>();
    Map<String, ProblemSets.Entry> byQuestion = new HashMap<>();
    for (ProblemSets.Entry entry : entries) {
      Problem p = entry.problem();
      Reporter report = new Reporter(findings, file, entry.line(), p.id());

      if (p.id() == null || p.id().isEmpty()) {
        report.error("id", "missing");
      } else {
        ProblemSets.Entry first = byId.putIfAbsent(p.id(), entry);
        if (first != null) {
          report.error("id", "duplicate id (first at line " + first.line() + ")");
        }
      }

      boolean questionOk = p.question() != null && !p.question().isBlank();
      if (!questionOk) {
        report.error("question", "empty after trimming whitespace");
      } else {
        ProblemSets.Entry first = byQuestion.putIfAbsent(normalizeQuestion(p.question()), entry);
        if (first != null) {
          Problem other = first.problem();
          if (Objects.equals(other.answer(), p.answer())) {
            report.warning(
                "question",
                "duplicate question (same as line " + first.line() + " " + tag(other) + ")");
          } else {
            report.error(
                "question",
                "same question as line "
                    + first.line()
                    + " "
                    + tag(other)
                    + " but a different answer: \""
                    + p.answer()
                    + "\" vs \""
                    + other.answer()
                    + "\"");
          }
        }
      }

      boolean answerOk = p.answer() != null && !p.answer().isBlank();
      if (!answerOk) {
        report.error("answer", "empty");
      } else if (!p.answer().equals(p.answer().strip())) {
        report.warning("answer", "leading or trailing whitespace");
      }
      if (p.kind() == null) {
        report.error("kind", "missing (expected one of " + AnswerKind.acceptedNames() + ")");
      }
      if (p.meta() != null
          && (p.meta().difficulty() < 0 || p.meta().difficulty() > ProblemSets.MAX_DIFFICULTY)) {
        report.error(
            "meta.difficulty",
            p.meta().difficulty()
                + " out of range (expected 0.."
                + ProblemSets.MAX_DIFFICULTY
                + ")");
      }
      if (p.solution() != null && p.solution().isBlank()) {
        report.warning("solution", "blank; omit the field instead");
      }

      if (checker != null && answerOk && p.kind() != null) {
        String goldProblem = ask(() -> checker.goldProblem(p.answer(), p.kind()));
        if (goldProblem != null) {
          report.error("answer", "does not parse as " + p.kind().wireName() + ": " + goldProblem);
        } else if (p.solution() != null && !p.solution().isBlank()) {
          String solutionProblem =
              ask(() -> checker.solutionProblem(p.solution(), p.answer(), p.kind()));
          if (solutionProblem != null) {
            report.error("solution", "final answer does not verify: " + solutionProblem);
          }
        }
      }
    }
    return findings;
  }

  /** Calls the checker; a checker that throws is itself a finding, not the end of lint. */
  private static String ask(Supplier<String> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return "checker failed: " + e;
    }
  }

  // ---- train vs test
  // ------------------------------------------------------------------------------

  private static LintReport leakage(
      Path trainFile, List<ProblemSets.Entry> train, Path testFile, List<ProblemSets.Entry> test) {
    Map<String, ProblemSets.Entry> trainByQuestion = new HashMap<>();
    Map<String, ProblemSets.Entry> trainById = new HashMap<>();
    for (ProblemSets.Entry entry : train) {
      Problem p = entry.problem();
      if (p.question() != null) {
        trainByQuestion.putIfAbsent(normalizeQuestion(p.question()), entry);
      }
      if (p.id() != null) {
        trainById.putIfAbsent(p.id(), entry);
      }
    }
    List<Finding> findings = new ArrayList<>();
    for (ProblemSets.Entry entry : test) {
      Problem p = entry.problem();
      Reporter report = new Reporter(findings, testFile, entry.line(), p.id());
      ProblemSets.Entry sameQuestion =
          p.question() == null ? null : trainByQuestion.get(normalizeQuestion(p.question()));
      if (sameQuestion != null) {
        report.error(
            "question",
            "leaks from train: same question as "
                + trainFile
                + ":"
                + sameQuestion.line()
                + " "
                + tag(sameQuestion.problem()));
        continue;
      }
      ProblemSets.Entry sameId = p.id() == null ? null : trainById.get(p.id());
      if (sameId != null) {
        report.warning(
            "id", "also used in " + trainFile + ":" + sameId.line() + " for a different question");
      }
    }
    return new LintReport(findings);
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  private static List<ProblemSets.Entry> numbered(List<Problem> problems) {
    List<ProblemSets.Entry> entries = new ArrayList<>(problems.size());
    for (int i = 0; i < problems.size(); i++) {
      entries.add(new ProblemSets.Entry(i + 1, problems.get(i)));
    }
    return entries;
  }

  private static String tag(Problem problem) {
    return "[" + problem.id() + "]";
  }

  /** Adds findings for one line of one file. */
  private record Reporter(List<Finding> findings, Path file, int line, String id) {
    void error(String field, String message) {
      findings.add(new Finding(file, line, id, field, message, Severity.ERROR));
    }

    void warning(String field, String message) {
      findings.add(new Finding(file, line, id, field, message, Severity.WARNING));
    }
  }
}
