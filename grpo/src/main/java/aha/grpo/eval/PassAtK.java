package aha.grpo.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sample-based accuracy estimators of code and math evaluation. */
public final class PassAtK {

  private PassAtK() {}

  /**
   * The unbiased estimate of pass@k from n samples of which c are correct: the chance that at least
   * one of k samples drawn without replacement is correct, 1 − C(n−c, k) / C(n, k), computed as a
   * product to stay exact for large n (Chen et al., 2021).
   *
   * @throws IllegalArgumentException unless 0 ≤ c ≤ n and 1 ≤ k ≤ n
   */
  public static double passAtK(int n, int c, int k) {
    if (c < 0 || c > n || k < 1 || k > n) {
      throw new IllegalArgumentException("need 0 <= c <= n and 1 <= k <= n, got n=" + n + " c=" + c + " k=" + k);
    }
    if (n - c < k) {
      return 1.0;
    }
    double allWrong = 1.0;
    for (int i = n - c + 1; i <= n; i++) {
      allWrong *= 1.0 - (double) k / i;
    }
    return 1.0 - allWrong;
  }

  /**
   * Majority vote over the first k samples: the most frequent answer (answers compared by their
   * {@code key}, ties to the one seen first; samples without an answer do not vote) decides.
   *
   * @param answers each sample's answer key, or null when it gave none
   * @param correct whether each sample is correct
   * @return whether the voted answer is correct; false when no sample answered
   */
  public static boolean majorityCorrect(List<String> answers, List<Boolean> correct, int k) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    Map<String, Boolean> isCorrect = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(k, answers.size()); i++) {
      String answer = answers.get(i);
      if (answer == null) {
        continue;
      }
      votes.merge(answer, 1, Integer::sum);
      // equal keys are equivalent answers; a correct sample marks the key correct
      isCorrect.merge(answer, correct.get(i), Boolean::logicalOr);
    }
    String winner = null;
    int best = 0;
    for (Map.Entry<String, Integer> entry : votes.entrySet()) {
      if (entry.getValue() > best) {
        winner = entry.getKey();
        best = entry.getValue();
      }
    }
    return winner != null && isCorrect.get(winner);
  }
}
