package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * Normal(0, std) weights drawn in Java from a seed, so that the same seed gives the same model on
 * every engine and device (the engine's own generator differs between CPU and GPU).
 */
record NormalInit(float std, long seed) implements Initializer {

  NormalInit(float std) {
    this(std, 0);
  }

  NormalInit withSeed(long newSeed) {
    return new NormalInit(std, newSeed);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian(random) * std);
    }
    NDArray array = manager.create(values, shape);
    return dataType == DataType.FLOAT32 ? array : array.toType(dataType, false);
  }

  /** Box-Muller; SplittableRandom has no nextGaussian before Java 17's RandomGenerator default. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble(); // (0, 1]
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }
}
