package aha.sampler.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much memory a batch will need, estimated from the model's shape before anything is
 * allocated, so that a request too big for the machine is refused with a message that says what it
 * needs and what there is, instead of ending in an allocation failure deep in libtorch or in the
 * kernel killing the process.
 *
 * <p>The estimates are upper-bound sketches of the largest tensors alive at a step's peak, in
 * float32, not a ledger: a generation batch holds its KV cache plus the prefill's attention scores,
 * MLP activations and logits; a training step holds what backward reads of every layer (the
 * attention weights, the layer's activations), the logits and their log-softmax, and the
 * parameters with their gradients and AdamW moments. Checked against a measurement: the micro
 * training step at 32 x 256 estimates 2.0 GB and peaked at 2.47 GB RSS, about 0.4 GB of which is
 * the JVM and libtorch before the first step.
 *
 * <p>Dimensions: B rows, T tokens per row (prompt, or prompt and new tokens), C width, I the MLP's
 * inner width, V vocabulary, L layers, nh query heads.
 */
public final class MemoryEstimate {

  private static final long FLOAT = 4;
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private MemoryEstimate() {}

  /**
   * Bytes a generation batch needs at its peak: the KV cache of {@code rows} rows of {@code
   * capacity} slots, and the prefill of {@code promptTokens} tokens a row.
   */
  public static long generationBytes(ModelConfig c, long rows, long promptTokens, long capacity) {
    long cache = 2 * c.numLayers() * rows * c.kvSize() * capacity * FLOAT; // keys and values
    long tokens = rows * promptTokens;
    long scores = 2 * rows * c.numHeads() * promptTokens * promptTokens * FLOAT; // and the softmax
    long mlp = 3 * tokens * c.intermediateSize() * FLOAT; // gate_up (2I) and the product
    long hidden = 6 * tokens * c.hiddenSize() * FLOAT; // residual, norms, q/k/v, attention output
    long logits = 2 * rows * c.vocabSize() * FLOAT; // the last position's, and the picker's
    return cache + scores + mlp + hidden + logits;
  }

  /** Bytes a training step of {@code batch} rows of {@code seqLen} tokens needs at its peak. */
  public static long trainingBytes(ModelConfig c, long batch, long seqLen) {
    long tokens = batch * seqLen;
    // the softmax output backward keeps, and the masked scores beside it while it is computed
    long attention = 2 * batch * c.numHeads() * seqLen * seqLen * FLOAT;
    long perLayer = attention + tokens * (8L * c.hiddenSize() + 4L * c.intermediateSize()) * FLOAT;
    long logits = 3 * tokens * c.vocabSize() * FLOAT; // logits, log-softmax, its gradient
    long optimizer = 4 * c.parameterCount() * FLOAT; // weights, gradients, two moments
    return c.numLayers() * perLayer + logits + optimizer;
  }

  /**
   * Memory this process could still take: Linux's MemAvailable, or -1 where it cannot tell (then
   * nothing is refused).
   */
  public static long availableBytes() {
    try {
      for (String line : Files.readAllLines(MEMINFO)) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024; // the line counts kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return -1;
  }

  /**
   * Refuses {@code what} when it needs more than the memory available now.
   *
   * @param what the request, for the message: "a generation batch of 100,000 rows"
   * @param lever what the user can lower: "--batch-rows"
   * @throws IllegalArgumentException naming the request, both figures and the lever
   */
  public static void requireFits(String what, long needed, String lever) {
    requireFits(what, needed, availableBytes(), lever);
  }

  /** {@link #requireFits(String, long, String)} against {@code available} bytes (-1: unknown). */
  static void requireFits(String what, long needed, long available, String lever) {
    if (available >= 0 && needed > available) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s needs about %s of memory and %s is available; lower %s",
              what,
              gigabytes(needed),
              gigabytes(available),
              lever));
    }
  }

  /** {@code bytes} for people: "2.1 GB". */
  static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%,.1f GB", bytes / 1e9);
  }
}
