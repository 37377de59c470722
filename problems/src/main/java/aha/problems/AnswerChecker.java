package aha.problems;

/**
 * What problem-set lint needs from an answer verifier. The {@code problems} module cannot depend on
 * {@code verifier} (the arrow points the other way), so the verifier supplies an implementation and
 * the CLI passes it in.
 */
public interface AnswerChecker {

  /**
   * Checks that a gold answer can be read as its kind.
   *
   * @return null when it parses, else a one-line reason
   */
  String goldProblem(String gold, AnswerKind kind);

  /**
   * Checks that a reference solution's final answer verifies against the gold answer.
   *
   * @return null when it does, else a one-line reason
   */
  String solutionProblem(String solution, String gold, AnswerKind kind);
}
