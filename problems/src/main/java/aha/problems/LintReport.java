package aha.problems;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The findings of {@link ProblemLinter}, in the order a reader should fix them (by file, then
 * line).
 *
 * @param findings every finding, errors and warnings
 */
public record LintReport(List<LintReport.Finding> findings) {

  /** An error makes a problem set unfit to train or evaluate on; a warning is worth a look. */
  public enum Severity {
    ERROR,
    WARNING
  }

  /**
   * One thing wrong with one problem (or one line of a file).
   *
   * @param file the problem-set file
   * @param line 1-based line; 0 when unknown
   * @param id the problem's id; null when the line could not be read
   * @param field the field at fault ({@code "answer"}, {@code "meta.difficulty"}); null for the
   *     whole line
   * @param message what is wrong, one line
   * @param severity error or warning
   */
  public record Finding(
      Path file, int line, String id, String field, String message, Severity severity) {

    /**
     * One line, compiler style: {@code test.jsonl:12 [p-12] answer: does not parse: ...}; warnings
     * say so after the field: {@code ... question: warning: ...}.
     */
    public String format() {
      StringBuilder text = new StringBuilder(String.valueOf(file));
      if (line > 0) {
        text.append(':').append(line);
      }
      if (id != null) {
        text.append(" [").append(id).append(']');
      }
      if (field != null) {
        text.append(' ').append(field);
      }
      text.append(": ");
      if (severity == Severity.WARNING) {
        text.append("warning: ");
      }
      return text.append(message).toString();
    }
  }

  public LintReport {
    findings = List.copyOf(findings);
  }

  /** This report's findings followed by {@code other}'s. */
  public LintReport plus(LintReport other) {
    List<Finding> all = new ArrayList<>(findings);
    all.addAll(other.findings);
    return new LintReport(all);
  }

  /** Number of findings with severity error. */
  public int errorCount() {
    return (int) findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
  }

  /** Number of findings with severity warning. */
  public int warningCount() {
    return (int) findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
  }

  /** True when some finding is an error. */
  public boolean hasErrors() {
    return errorCount() > 0;
  }

  /** One finding per line, then a summary line such as {@code 2 errors, 1 warning}. */
  public String format() {
    StringBuilder text = new StringBuilder();
    for (Finding finding : findings) {
      text.append(finding.format()).append('\n');
    }
    return text.append(summary()).append('\n').toString();
  }

  /** {@code 2 errors, 1 warning}, or {@code no findings}. */
  public String summary() {
    if (findings.isEmpty()) {
      return "no findings";
    }
    int errors = errorCount();
    int warnings = warningCount();
    return errors
        + (errors == 1 ? " error, " : " errors, ")
        + warnings
        + (warnings == 1 ? " warning" : " warnings");
  }
}
