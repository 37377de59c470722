package aha.grpo.rl;

import aha.problems.Problem;
import aha.sampler.generate.Completion;
import aha.sampler.service.CompletionScorer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.Verdict;
import aha.verifier.Verifier;

/**
 * The lab's scorer for the sampling service: decodes a completion with the chat template (format
 * tags kept, the closing stop token dropped) and has the verifier judge its final answer against
 * the problem's. Thread-safe, as the tokenizer and the verifier are.
 */
public final class VerifierScorer implements CompletionScorer<Problem, VerifierScorer.Read> {

  /** What the scorer made of a completion: the text it read and the verifier's verdict. */
  public record Read(String text, Verdict verdict) {}

  private final ChatTemplate template;
  private final Verifier verifier;

  public VerifierScorer(ChatTemplate template, Verifier verifier) {
    this.template = template;
    this.verifier = verifier;
  }

  /**
   * A completion that does not decode (a token the tokenizer lacks, which a padded vocabulary
   * allows) is scored wrong rather than failing its request.
   */
  @Override
  public Read score(Problem problem, Completion completion) {
    String text;
    try {
      text = template.completionText(completion.tokens());
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Read("", new Verdict(false, 0, false, null, "undecodable: " + reason));
    }
    return new Read(text, verifier.verify(text, problem.answer(), problem.kind()));
  }
}
