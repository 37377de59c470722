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
 * <p>The cos and sin tables, shape (Tmax, hs), are computed once in double precision. Dimensions: B
 * batch, h heads, T positions in this call, hs head size, Tmax {@link ModelConfig#maxPositions}.
 */
public final class Rotary implements AutoCloseable {

  private final NDArray cos; // (Tmax, hs)
  private final NDArray sin; // (Tmax, hs)
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
    cos = manager.create(cosTable, new Shape(maxPositions, hs)); // (Tmax, hs)
    sin = manager.create(sinTable, new Shape(maxPositions, hs)); // (Tmax, hs)
    NDScope.unregister(cos, sin);
  }

  /**
   * The (cos, sin) pair for positions {@code start .. start+T-1} of every row, shifted left by each
   * row's padding when {@code leftPadding} (B, 1), int64, is given: a row padded by p tokens has
   * its first real token at position 0, as HF computes position ids from the attention mask.
   * Padding slots get position 0; their outputs are masked anyway.
   *
   * @return cos and sin, each (T, hs) without padding or (B, 1, T, hs) with it
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
      return new NDList(cos.get(rows), sin.get(rows)); // (T, hs) each
    }
    NDManager manager = leftPadding.getManager();
    NDArray positions =
        manager
            .arange(start, start + length, 1, DataType.INT64, leftPadding.getDevice())
            .reshape(1, length) // (1, T)
            .sub(leftPadding) // (B, T)
            .maximum(0); // (B, T)
    NDArray c = cos.get(positions).expandDims(1); // (B, 1, T, hs)
    NDArray s = sin.get(positions).expandDims(1); // (B, 1, T, hs)
    return new NDList(c, s);
  }

  /** Rotates {@code x} (B, h, T, hs) by the angles from {@link #angles}. */
  public static NDArray apply(NDArray x, NDList angles) {
    long half = x.getShape().get(3) / 2;
    NDList halves = x.split(new long[] {half}, 3); // 2 x (B, h, T, hs/2)
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3); // (B, h, T, hs)
    return x.mul(angles.get(0)).add(rotated.mul(angles.get(1))); // (B, h, T, hs)
  }

  @Override
  public void close() {
    cos.close();
    sin.close();
  }
}
