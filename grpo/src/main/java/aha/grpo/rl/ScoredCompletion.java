package aha.grpo.rl;

import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.verifier.Verdict;

/**
 * One sampled completion with its verdict, as GRPO reads it: {@link ProblemSampler} makes it from
 * what the sampling service returns.
 *
 * @param problemId the problem it answers
 * @param index its place in the problem's group, 0 to G-1
 * @param text the decoded assistant turn the verifier read (format tags kept, stop token dropped)
 * @param completion token ids, per-token logprobs and finish reason, as the sampler returned them
 * @param verdict the verifier's judgement of {@code text}
 * @param policyVersion the version of the weights it was sampled with: the replica's version when
 *     its request started
 * @param sampleMillis wall time of the sampler call that produced it, shared by every row of that
 *     batch
 * @param verifyMillis wall time of its scoring: decoding and verification
 * @param node the cluster node that sampled it ({@code local}: the trainer's replica); null
 *     outside a cluster
 */
public record ScoredCompletion(
    String problemId,
    int index,
    String text,
    Completion completion,
    Verdict verdict,
    long policyVersion,
    double sampleMillis,
    double verifyMillis,
    String node) {

  /** A completion sampled in this process, outside any cluster. */
  public ScoredCompletion(
      String problemId, int index, String text, Completion completion, Verdict verdict, long policyVersion,
      double sampleMillis, double verifyMillis) {
    this(problemId, index, text, completion, verdict, policyVersion, sampleMillis, verifyMillis, null);
  }

  public int[] tokens() {
    return completion.tokens();
  }

  public float[] logprobs() {
    return completion.logprobs();
  }

  public FinishReason finishReason() {
    return completion.finishReason();
  }

  public boolean correct() {
    return verdict.correct();
  }

  public double reward() {
    return verdict.reward();
  }
}
