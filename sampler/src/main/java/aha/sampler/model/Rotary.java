package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in HuggingFace Llama's "rotate_half" convention: dimension i of a head
 * is paired with dimension i + hs/2 (not with its neighbour, as in the original paper), so that
 * checkpoints trained by HF load unchanged.
 *
 * <p>The cos and sin tables, shape (Tmax, hs), are computed once in double precision. rotate_half
 * itself is one matmul by a constant signed permutation matrix rather than split, negate and
 * concatenate: one native call instead of three, and exact, as every output sums one input times
 * plus or minus one and zeros. Dimensions: B batch, T positions in this call, h heads, hs head
 * size, Tmax {@link ModelConfig#maxPositions}.
 */
public final class Rotary implements AutoCloseable {

  private final NDArray cos; // (Tmax, hs)
  private final NDArray sin; // (Tmax, hs)
  private final NDArray rotateHalf; // (hs, hs): x @ rotateHalf = cat(-x[hs/2:], x[:hs/2])
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
    NDScope.unregister(cos, sin, rotateHalf);
  }

  /**
   * The cos and sin for positions {@code start .. start+T-1} of every row, shifted left by each
   * row's padding when {@code leftPadding} (B, 1), int64, is given: a row padded by p tokens has
   * its first real token at position 0, as HF computes position ids from the attention mask.
   * Padding slots get position 0; their outputs are masked anyway.
   *
   * @return cos and sin, each (T, 1, hs) without padding or (B, T, 1, hs) with it, to broadcast
   *     over the heads of token-major (B, T, h, hs) queries and keys; then the rotate_half matrix
   *     (hs, hs), which {@link #apply} needs too and which belongs to this object: don't close the
   *     list
   */
  public NDList angles(int start, int length, NDArray leftPadding) {
    if (start + length > maxPositions) {
      throw new IllegalArgumentException(
          "positions up to "
              + (start + length)
              + " exceed maxPositions "
              + maxPositions
              + " of the model config");
    }
    if (leftPadding == null) {
      NDIndex rows = new NDIndex("{}:{}", start, start + length);
      NDArray c = cos.get(rows).reshape(length, 1, -1); // (T, 1, hs)
      NDArray s = sin.get(rows).reshape(length, 1, -1); // (T, 1, hs)
      return new NDList(c, s, rotateHalf);
    }
    NDManager manager = leftPadding.getManager();
    NDArray positions =
        manager
            .arange(start, start + length, 1, DataType.INT64, leftPadding.getDevice())
            .reshape(1, length) // (1, T)
            .sub(leftPadding) // (B, T)
            .maximum(0); // (B, T)
    NDArray c = cos.get(positions).expandDims(2); // (B, T, 1, hs)
    NDArray s = sin.get(positions).expandDims(2); // (B, T, 1, hs)
    return new NDList(c, s, rotateHalf);
  }

  /** Rotates {@code x} (B, T, h, hs), token-major, by the angles from {@link #angles}. */
  public static NDArray apply(NDArray x, NDList angles) {
    NDArray rotated = x.matMul(angles.get(2)); // (B, T, h, hs)
    return x.mul(angles.get(0)).add(rotated.mul(angles.get(1))); // (B, T, h, hs)
  }

  @Override
  public void close() {
    cos.close();
    sin.close();
    rotateHalf.close();
  }
}
