package aha.grpo.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import aha.sampler.model.Scalars;
import aha.sampler.model.Transformer;
import java.util.List;

/**
 * Log-probabilities of completion tokens under a model, from one full forward pass over prompt +
 * completion, as the policy loss needs them.
 *
 * <p>Layout: each sequence (prompt then completion) is left-padded to the batch's longest, so every
 * row ends in the last column. Then the completion tokens of every row are the last columns too,
 * and the completion-side tensors are right-aligned: (B, L) with L the longest completion, row b's
 * c_b tokens in the last c_b columns and the mask 0 before them. Old log-probs from the sampler
 * must be laid out the same way ({@link #rightAligned}).
 *
 * <p>Dimensions: B sequences, T = longest prompt + completion, L longest completion, V vocabulary.
 */
public final class TokenLogprobs {

  private TokenLogprobs() {}

  /**
   * What a forward pass gives.
   *
   * @param logprobs log softmax(logits / temperature) at each completion token, (B, L), with
   *     gradient when computed under a GradientCollector
   * @param mask 1 at the completion tokens the policy wrote, (B, L): 0 at padding and at tokens
   *     the environment wrote (a tool's answer), which are context, not actions
   * @param entropy the masked mean entropy of the next-token distributions, a metric (no gradient)
   */
  public record Result(NDArray logprobs, NDArray mask, double entropy) {}

  /**
   * Runs {@code model} over each prompt + completion.
   *
   * @param temperature the sampling temperature, so that the values match the sampler's (use 1
   *     for greedy samples)
   */
  public static Result compute(
      Transformer model,
      NDManager manager,
      List<int[]> prompts,
      List<int[]> completions,
      double temperature) {
    return compute(model, manager, prompts, completions, null, temperature);
  }

  /**
   * {@link #compute(Transformer, NDManager, List, List, double)} with the tokens the environment
   * wrote into each completion ({@code injected}, one flag per token, or null for none): they are
   * read as context but left out of the mask, so out of every loss, the KL and the entropy.
   */
  public static Result compute(
      Transformer model,
      NDManager manager,
      List<int[]> prompts,
      List<int[]> completions,
      List<boolean[]> injected,
      double temperature) {
    int batch = prompts.size();
    if (completions.size() != batch) {
      throw new IllegalArgumentException(
          prompts.size() + " prompts but " + completions.size() + " completions");
    }
    int longest = 0;
    int longestCompletion = 1;
    for (int b = 0; b < batch; b++) {
      longest = Math.max(longest, prompts.get(b).length + completions.get(b).length);
      longestCompletion = Math.max(longestCompletion, completions.get(b).length);
    }
    long[] tokens = new long[batch * longest];
    int[] leftPadding = new int[batch];
    for (int b = 0; b < batch; b++) {
      int[] prompt = prompts.get(b);
      int[] completion = completions.get(b);
      int padding = longest - prompt.length - completion.length;
      leftPadding[b] = padding;
      int at = b * longest + padding;
      for (int token : prompt) {
        tokens[at++] = token;
      }
      for (int token : completion) {
        tokens[at++] = token;
      }
    }
    NDArray all = manager.create(tokens, new Shape(batch, longest)); // (B, T)
    NDArray inputs = all.get(new NDIndex(":, :-1")); // (B, T-1)
    NDArray targets = all.get(new NDIndex(":, {}:", longest - longestCompletion)); // (B, L)
    NDArray logits = model.forward(inputs, leftPadding); // (B, T-1, V)
    // position t predicts token t+1, so the last L positions predict the last L tokens
    NDArray completionLogits =
        logits.get(new NDIndex(":, {}:", longest - 1 - longestCompletion)); // (B, L, V)
    if (temperature != 1) {
      completionLogits = Scalars.div(completionLogits, temperature); // (B, L, V)
    }
    NDArray logSoftmax = completionLogits.logSoftmax(-1); // (B, L, V)
    // log-softmax's backward reads its output: the logits (and their scaled copy) are freed now
    completionLogits.close();
    logits.close();
    NDArray picked =
        logSoftmax.gather(targets.expandDims(-1), -1).squeeze(-1); // (B, L)

    float[] policyTokens = rightAligned(completions, longestCompletion);
    if (injected != null) {
      for (int b = 0; b < batch; b++) {
        boolean[] written = injected.get(b);
        int offset = b * longestCompletion + longestCompletion - completions.get(b).length;
        for (int j = 0; written != null && j < written.length; j++) {
          if (written[j]) {
            policyTokens[offset + j] = 0;
          }
        }
      }
    }
    NDArray mask = manager.create(policyTokens, new Shape(batch, longestCompletion)); // (B, L)
    NDArray detached = logSoftmax.stopGradient(); // (B, L, V)
    NDArray tokenEntropy;
    try (NDArray probs = detached.exp(); // (B, L, V)
        NDArray weighted = probs.mul(detached)) { // (B, L, V)
      tokenEntropy = weighted.sum(new int[] {-1}).neg(); // (B, L)
    }
    double realTokens = Math.max(1, mask.sum().getFloat());
    double entropy = tokenEntropy.mul(mask).sum().getFloat() / realTokens;
    return new Result(picked, mask, entropy);
  }

  /** A mask row per completion, right-aligned in {@code width} columns. */
  static float[] rightAligned(List<int[]> completions, int width) {
    float[] mask = new float[completions.size() * width];
    for (int b = 0; b < completions.size(); b++) {
      int length = completions.get(b).length;
      for (int j = width - length; j < width; j++) {
        mask[b * width + j] = 1;
      }
    }
    return mask;
  }

  /**
   * Per-token values of each completion (such as the sampler's log-probs) laid out right-aligned
   * as (B, L), zeros before each row's values.
   */
  public static NDArray rightAligned(NDManager manager, List<float[]> values, int width) {
    float[] out = new float[values.size() * width];
    for (int b = 0; b < values.size(); b++) {
      float[] row = values.get(b);
      System.arraycopy(row, 0, out, b * width + width - row.length, row.length);
    }
    return manager.create(out, new Shape(values.size(), width)).toType(DataType.FLOAT32, false); // (B, L)
  }
}
