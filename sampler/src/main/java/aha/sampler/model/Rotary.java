package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in HuggingFace Llama's "rotate_half" convention: dimension i of a head
 * is paired with dimension i + hs/2 (not with its neighbour, as in the original paper), so that
 * checkpoints trained by HF load unchanged.
 *
 * <p>The cos and sin tables, shape (Tmax, hs), are computed once in double precision. rotate_half
 * itself is one matmul by a constant signed permutation matrix rather than split, negate and
 * concatenate: one native call instead of three, and exact, as every output sums one input times
 * plus or minus one and zeros.
 *
 * <p>A decode step (one position per row) goes further: the whole rotation of a position is one
 * (hs, hs) matrix, {@code diag(cos) + rotateHalf diag(sin)}, built once per step and shared by
 * every layer, so each layer rotates its queries and keys with one matmul instead of a matmul, two
 * broadcast multiplies and an add (measured on micro at batch 64: 4 native calls and about 120 us
 * per layer down to 1 call and about 50 us). Each output still sums two products and zeros, so it
 * agrees with the elementwise form to rounding.
 *
 * <p>Dimensions: B batch, T positions in this call, h heads, hs head size, Tmax {@link
 * ModelConfig#maxPositions}.
 */
public final class Rotary implements AutoCloseable {

  private final NDArray cos; // (Tmax, hs)
  private final NDArray sin; // (Tmax, hs)
  private final NDArray rotateHalf; // (hs, hs): x @ rotateHalf = cat(-x[hs/2:], x[:hs/2])
  private final NDArray identity; // (hs, hs)
  private final int maxPositions;

  /** Builds the tables for {@code config} on {@code manager}'s device; they outlive any NDScope. */
  public Rotary(ModelConfig config, NDManager manager) {
    int hs = config.headSize();
    int half = hs / 2;
    maxPositions = config.maxPositions();
    float[] cosTable = new float[maxPositions * hs];
    float[] sinTable = new float[maxPositions * hs];
    for (int p = 0; p < maxPositions; p++) {
      for (int i = 0; i < half; i++) {
        double invFreq = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / hs);
        double angle = p * invFreq;
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        // the same frequency serves both halves of the head
        cosTable[p * hs + i] = c;
        cosTable[p * hs + i + half] = c;
        sinTable[p * hs + i] = s;
        sinTable[p * hs + i + half] = s;
      }
    }
    // output i < hs/2 takes -x[i + hs/2], output i >= hs/2 takes x[i - hs/2]
    float[] rotation = new float[hs * hs];
    for (int i = 0; i < half; i++) {
      rotation[(i + half) * hs + i] = -1f;
      rotation[i * hs + i + half] = 1f;
    }
    cos = manager.create(cosTable, new Shape(maxPositions, hs)); // (Tmax, hs)
    sin = manager.create(sinTable, new Shape(maxPositions, hs)); // (Tmax, hs)
    rotateHalf = manager.create(rotation, new Shape(hs, hs)); // (hs, hs)
    identity = manager.eye(hs); // (hs, hs)
    NDScope.unregister(cos, sin, rotateHalf, identity);
  }

  /**
   * The rotation for positions {@code start .. start+T-1} of every row, shifted left by each row's
   * padding when {@code leftPadding} (B) is given: a row padded by p tokens has its first real
   * token at position 0, as HF computes position ids from the attention mask. Padding slots get
   * position 0; their outputs are masked anyway. The positions are worked out on the host and
   * copied over as one array (a decode step would otherwise spend five native calls on them).
   * Compute it once per forward pass and give it to every layer's {@link #apply}.
   *
   * @param manager where the position array is made
   *
   * @return for T = 1, one rotation matrix: (hs, hs) without padding, (B, 1, hs, hs) with it; for T
   *     &gt; 1, cos and sin, each (T, 1, hs) without padding or (B, T, 1, hs) with it, to broadcast
   *     over the heads of token-major (B, T, h, hs) queries and keys, then the rotate_half matrix
   *     (hs, hs), which belongs to this object: don't close the list
   */
  public NDList angles(NDManager manager, int start, int length, int[] leftPadding) {
    if (start + length > maxPositions) {
      throw new IllegalArgumentException(
          "positions up to "
              + (start + length)
              + " exceed maxPositions "
              + maxPositions
              + " of the model config");
    }
    NDArray c;
    NDArray s;
    if (leftPadding == null) {
      NDIndex rows = new NDIndex("{}:{}", start, start + length);
      c = cos.get(rows); // (T, hs)
      s = sin.get(rows); // (T, hs)
      if (length == 1) {
        // one position for every row: one matrix, broadcast over batch and heads
        return new NDList(identity.mul(c).add(rotateHalf.mul(s))); // (hs, hs)
      }
      return new NDList(c.reshape(length, 1, -1), s.reshape(length, 1, -1), rotateHalf);
    }
    long[] shifted = new long[leftPadding.length * length];
    for (int r = 0; r < leftPadding.length; r++) {
      for (int i = 0; i < length; i++) {
        shifted[r * length + i] = Math.max(start + i - leftPadding[r], 0);
      }
    }
    NDArray positions = manager.create(shifted, new Shape(leftPadding.length, length)); // (B, T)
    c = cos.get(positions); // (B, T, hs)
    s = sin.get(positions); // (B, T, hs)
    if (length == 1) {
      // a position per row: the T axis of 1 broadcasts over the matrix rows
      NDArray rotation = identity.mul(c).add(rotateHalf.mul(s)); // (B, hs, hs)
      return new NDList(rotation.expandDims(1)); // (B, 1, hs, hs), one per row of (B, 1, h, hs)
    }
    return new NDList(c.expandDims(2), s.expandDims(2), rotateHalf); // (B, T, 1, hs) twice
  }

  /** Rotates {@code x} (B, T, h, hs), token-major, by the angles from {@link #angles}. */
  public static NDArray apply(NDArray x, NDList angles) {
    if (angles.size() == 1) {
      // one position per row (T = 1): every head times the matrix of its row, or of all rows
      return x.matMul(angles.get(0)); // (B, 1, h, hs)
    }
    // products by constant tables keep only the table for backward, and an add keeps nothing, so
    // each term is freed as soon as it is used (see Attention on training memory)
    NDArray sinTerm;
    try (NDArray rotated = x.matMul(angles.get(2))) { // (B, T, h, hs)
      sinTerm = rotated.mul(angles.get(1)); // (B, T, h, hs)
    }
    try (NDArray cosTerm = x.mul(angles.get(0))) { // (B, T, h, hs)
      return cosTerm.add(sinTerm); // (B, T, h, hs)
    } finally {
      sinTerm.close();
    }
  }

  @Override
  public void close() {
    cos.close();
    sin.close();
    rotateHalf.close();
    identity.close();
  }
}
