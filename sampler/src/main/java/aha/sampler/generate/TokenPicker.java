package aha.sampler.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Picks the next token of every row of a batch from its logits, on the device, and the
 * log-probability of each pick: greedy, or sampling at a temperature with optional top-k and top-p.
 * Only the picks leave the device, (B) ids and (B) log-probabilities, never the (B, V) logits.
 *
 * <p>Sampling is by inverse CDF, because DJL's PyTorch engine has no {@code randomMultinomial}:
 * each row draws one uniform number u per step from its own seeded Java stream, and the pick is the
 * first token whose cumulative probability exceeds u times the total. One number per row (not one
 * per vocabulary entry, as Gumbel-max needs) keeps the host-to-device traffic at B floats per step,
 * and a Java stream, unlike libtorch's global generator, is not disturbed by other threads. Row b's
 * stream depends only on the seed and b, so a row's draws do not depend on how many rows there are.
 *
 * <p>The rules, in the order they apply (as in HuggingFace's warpers):
 *
 * <ul>
 *   <li>temperature T divides the logits; T = 0 is greedy: the most likely token, ties to the
 *       lowest id, and top-k and top-p are ignored;
 *   <li>top-k keeps exactly the k most likely tokens (among tokens tied at the k-th probability,
 *       which ones stay is libtorch's choice);
 *   <li>top-p keeps, of what top-k left (renormalised), the smallest run of most likely tokens
 *       whose probability reaches p: a token stays when the tokens more likely than it hold less
 *       than p.
 * </ul>
 *
 * <p>The log-probability reported is log-softmax(logits / T) of the picked token (T = 1 when
 * greedy), not renormalised by top-k or top-p, so that a trainer recomputes it from a plain forward
 * pass (see {@link Completion}).
 *
 * <p>Dimensions: B rows, V vocabulary, K the most likely tokens looked at when truncating (top-k's
 * k; for top-p alone {@link #NUCLEUS_CANDIDATES} or V). Not thread-safe; one instance serves one
 * batch from its first step to its last.
 */
public final class TokenPicker {

  /** The last column of a (B, N) array, kept two-dimensional: (B, 1). */
  private static final NDIndex LAST_COLUMN = new NDIndex(":, -1:");

  private static final int[] LAST_AXIS = {-1};

  /** Tokens that top-p without top-k looks at before it sorts the whole vocabulary. */
  static final int NUCLEUS_CANDIDATES = 64;

  /** Uniform draws are multiples of 2^-23 below 1, so u times a float total stays below it. */
  private static final int UNIFORM_STEPS = 1 << 23;

  private static final float UNIFORM_SCALE = 0x1p-23f;

  /** The largest uniform number drawn, 1 - 2^-23. */
  static final float LARGEST_UNIFORM = (UNIFORM_STEPS - 1) * UNIFORM_SCALE;

  private final SamplingParams params;
  private SplittableRandom[] streams;
  private float[] uniforms;

  /**
   * A picker for batches of {@code rows} rows.
   *
   * @param params temperature, top-k, top-p and the seed of the rows' random streams
   * @param rows B, the rows of every logits array given to {@link #pick}
   */
  public TokenPicker(SamplingParams params, int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("rows must be positive, got " + rows);
    }
    this.params = params;
    this.streams = new SplittableRandom[rows];
    this.uniforms = new float[rows];
    SplittableRandom root = new SplittableRandom(params.seed());
    for (int b = 0; b < rows; b++) {
      streams[b] = root.split();
    }
  }

  /**
   * Keeps only the given rows, in that order, each with its stream where it stands: later picks
   * take (B', V) logits, and row r's k-th pick still uses its k-th number, so dropping finished
   * rows does not change the draws of the others.
   *
   * @param rows indices of the rows to keep, each in [0, B), at least one
   */
  public void keepRows(int[] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("keep at least one row");
    }
    SplittableRandom[] kept = new SplittableRandom[rows.length];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = streams[rows[i]];
    }
    streams = kept;
    uniforms = new float[rows.length];
  }

  /**
   * Device arrays of one step's picks, owned by the NDScope (or manager) that was open when they
   * were made.
   *
   * @param ids the picked token of each row, (B) int64
   * @param logprobs log-softmax(logits / T) of each picked token, (B) float32
   */
  public record Picks(NDArray ids, NDArray logprobs) {}

  /** B, the rows this picker draws for. */
  public int rows() {
    return streams.length;
  }

  /**
   * Picks one token per row. When sampling, every row's stream advances by one draw, so row b's
   * k-th pick always uses its k-th number.
   *
   * @param logits next-token logits (B, V), float32
   */
  public Picks pick(NDArray logits) {
    if (params.isGreedy()) {
      return pick(logits, null);
    }
    for (int b = 0; b < streams.length; b++) {
      uniforms[b] = streams[b].nextInt(UNIFORM_STEPS) * UNIFORM_SCALE;
    }
    return pick(logits, uniforms);
  }

  /**
   * {@link #pick(NDArray)} with given uniform numbers, one per row in [0, {@link
   * #LARGEST_UNIFORM}], so that tests can reach the ends of the range; null when greedy.
   */
  Picks pick(NDArray logits, float[] rowUniforms) {
    Shape shape = logits.getShape();
    if (shape.dimension() != 2 || shape.get(0) != streams.length) {
      throw new IllegalArgumentException(
          "logits " + shape + " do not match (B, V) with B = " + streams.length);
    }
    if (params.isGreedy()) {
      NDArray ids = logits.argMax(-1); // (B), the first maximum: ties go to the lowest id
      // log-softmax is monotone (rounding too), so the argmax's log-probability is the rows'
      // largest: taken, not searched for again (libtorch's max over (16, 2048) cost 26 us)
      NDArray logprobs =
          logits.logSoftmax(-1).gather(ids.expandDims(-1), -1).squeeze(-1); // (B)
      return new Picks(ids, logprobs);
    }

    double temperature = params.temperature();
    NDArray scaled = temperature == 1 ? logits : logits.div(temperature); // (B, V)
    NDArray logprobs = scaled.logSoftmax(-1); // (B, V)
    NDArray u = logits.getManager().create(rowUniforms, new Shape(streams.length, 1)); // (B, 1)
    long v = shape.get(1);
    int keep = params.topK() == 0 ? (int) v : (int) Math.min(params.topK(), v);

    NDArray ids;
    if (keep == v && params.topP() >= 1) {
      // nothing truncated: sample straight from the probabilities, in id order
      ids = firstAbove(logprobs.exp(), u); // (B)
    } else {
      // most likely first, so that top-k is a prefix and top-p a shorter one
      NDList top = mostLikely(logprobs, keep); // (B, K) log-probabilities, (B, K) ids
      NDArray probs =
          params.topK() == 0
              ? top.get(0).exp() // (B, K), the full distribution: nothing to renormalise
              : top.get(0).softmax(-1); // (B, K), renormalised over the top k
      if (params.topP() < 1) {
        NDArray before = probs.cumSum(1).sub(probs); // (B, K) mass of the more likely tokens
        probs = probs.mul(before.lt(params.topP())); // (B, K), zero past the nucleus
      }
      NDArray position = firstAbove(probs, u); // (B), a rank among the K
      ids = top.get(1).gather(position.expandDims(1), 1).squeeze(1); // (B)
    }
    NDArray chosen = logprobs.gather(ids.expandDims(1), 1).squeeze(1); // (B)
    return new Picks(ids, chosen);
  }

  /**
   * The {@code keep} most likely tokens of each row, most likely first: (log-probabilities, ids),
   * each (B, K). Top-p alone needs them sorted only as far as its nucleus reaches, and a full sort
   * of the vocabulary costs about as much as a decode step on a CPU: so it looks at the {@link
   * #NUCLEUS_CANDIDATES} most likely first (K = C), and sorts everything (K = V) only when some
   * row's candidates hold less than p, which one number copied to the host tells.
   */
  private NDList mostLikely(NDArray logprobs, int keep) {
    if (params.topK() == 0 && keep > NUCLEUS_CANDIDATES) {
      NDList candidates = logprobs.topK(NUCLEUS_CANDIDATES, -1, true, true); // (B, C) each
      // the same exp and cumSum as the nucleus mask then computes, so both agree to the bit
      NDArray mass = candidates.get(0).exp().cumSum(1).get(LAST_COLUMN); // (B, 1)
      if (mass.min().getFloat() >= params.topP()) {
        return candidates; // every row's nucleus lies inside its candidates
      }
    }
    return logprobs.topK(keep, -1, true, true); // (B, K) each
  }

  /**
   * Inverse CDF: for each row the first column whose running sum of {@code weights} exceeds u times
   * the row's total. A column of weight 0 is never picked: its running sum equals the one before.
   *
   * @param weights unnormalised probabilities (B, N), non-negative
   * @param u one uniform number in [0, 1) per row, (B, 1)
   * @return column indices (B), int64
   */
  private static NDArray firstAbove(NDArray weights, NDArray u) {
    NDArray cdf = weights.cumSum(1); // (B, N)
    NDArray threshold = cdf.get(LAST_COLUMN).mul(u); // (B, 1), below the total as u < 1
    NDArray below = cdf.lte(threshold).sum(LAST_AXIS); // (B), columns at or under the threshold
    // only a rounding quirk in cumSum could count every column; never index past the end
    return below.minimum(weights.getShape().get(1) - 1); // (B)
  }
}
