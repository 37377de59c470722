package aha.grpo.rl;

import aha.grpo.corpus.ToolTraces;
import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.math.Calculator;
import java.util.List;
import java.util.Map;

/**
 * What a step's completions did with the calculator, as metrics: how often the policy calls it,
 * whether its calls parse, and how accurate responses are with a call and without one. Written
 * only for a policy that can call it (a tokenizer with the tool tags), so other runs' metrics keep
 * their keys.
 *
 * <ul>
 *   <li>{@code tools/calls_per_response}: calls opened, {@code <calc>}, per completion
 *   <li>{@code tools/responses_with_call}: the share of completions with at least one call
 *   <li>{@code tools/calls_parsed}: the share of answered calls the calculator could answer (not
 *       {@code error}); 1 when none was answered
 *   <li>{@code tools/accuracy_with_call} and {@code tools/accuracy_without_call}: the share of
 *       right completions among those with a call and among those without (0 when there are none)
 * </ul>
 */
public final class ToolMetrics {

  /** Calls opened per completion. */
  public static final String CALLS_PER_RESPONSE = "tools/calls_per_response";

  /** The share of completions with at least one call. */
  public static final String RESPONSES_WITH_CALL = "tools/responses_with_call";

  /** Accuracy of the completions with a call. */
  public static final String ACCURACY_WITH_CALL = "tools/accuracy_with_call";

  /** Accuracy of the completions without a call. */
  public static final String ACCURACY_WITHOUT_CALL = "tools/accuracy_without_call";

  private static final String ERROR_ANSWER =
      ChatTemplate.RESULT_START + Calculator.ERROR + ChatTemplate.RESULT_END;

  private ToolMetrics() {}

  static void put(Map<String, Double> metrics, List<ScoredGroup> groups) {
    long completions = 0;
    long calls = 0;
    long answered = 0;
    long errors = 0;
    long withCall = 0;
    long rightWithCall = 0;
    long rightWithout = 0;
    for (ScoredGroup group : groups) {
      for (ScoredCompletion c : group.completions()) {
        completions++;
        int opened = ToolTraces.count(c.text(), ChatTemplate.CALC_START);
        calls += opened;
        answered += ToolTraces.count(c.text(), ChatTemplate.RESULT_START);
        errors += ToolTraces.count(c.text(), ERROR_ANSWER);
        if (opened > 0) {
          withCall++;
          rightWithCall += c.correct() ? 1 : 0;
        } else {
          rightWithout += c.correct() ? 1 : 0;
        }
      }
    }
    long without = completions - withCall;
    metrics.put(CALLS_PER_RESPONSE, completions == 0 ? 0 : (double) calls / completions);
    metrics.put(RESPONSES_WITH_CALL, completions == 0 ? 0 : (double) withCall / completions);
    metrics.put("tools/calls_parsed", answered == 0 ? 1 : 1 - (double) errors / answered);
    metrics.put(ACCURACY_WITH_CALL, withCall == 0 ? 0 : (double) rightWithCall / withCall);
    metrics.put(ACCURACY_WITHOUT_CALL, without == 0 ? 0 : (double) rightWithout / without);
  }
}
