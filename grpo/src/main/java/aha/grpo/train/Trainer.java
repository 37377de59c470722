package aha.grpo.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import aha.sampler.model.MemoryEstimate;
import aha.sampler.model.NoGrad;
import aha.sampler.model.Scalars;
import aha.sampler.model.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The loop of pretraining and SFT, one method for both: the data source decides which. Each step
 * reads a {@link Batch}, computes the masked mean next-token cross-entropy, back-propagates, and
 * takes an {@link AdamW} step at the scheduled learning rate after global-norm clipping. Held-out
 * loss is measured every {@code evalEvery} steps and after the last.
 *
 * <p>Threads and memory: the calling thread owns training (libtorch allows one gradient collector
 * at a time per JVM); every step runs in its own {@link NDScope}, so native memory stays flat.
 *
 * <p>Dimensions: B rows, T tokens per row, V vocabulary.
 */
public final class Trainer implements AutoCloseable {

  /**
   * A finished run.
   *
   * @param trainLoss mean training loss over the last tenth of the steps
   * @param heldOutLoss the held-out loss after the last step (NaN without held-out data)
   * @param firstLoss the first step's training loss
   * @param steps steps taken
   * @param tokens tokens read
   * @param seconds wall time
   */
  public record Result(
      double trainLoss, double heldOutLoss, double firstLoss, int steps, long tokens, double seconds) {

    /** Mean wall time of one step. */
    public double secondsPerStep() {
      return steps > 0 ? seconds / steps : 0;
    }
  }

  private final Transformer model;
  private final TrainConfig config;
  private final NDManager manager;
  private final AdamW optimizer;

  public Trainer(Transformer model, TrainConfig config) {
    requireMemory(model, config);
    this.model = model;
    this.config = config;
    this.manager = NDManager.newBaseManager(model.device());
    List<Parameter> parameters = new ArrayList<>();
    for (Pair<String, Parameter> pair : model.getParameters()) {
      parameters.add(pair.getValue());
    }
    this.optimizer = new AdamW(parameters, config.optimizer(), manager);
  }

  /**
   * Refuses a stage whose training step would need more memory than the machine has now
   * ({@link MemoryEstimate}), before anything of its size is allocated: an allocation failure
   * inside libtorch would read as an internal error, and a step that swaps would never end.
   *
   * @throws IllegalArgumentException saying what the step needs, what is available, and what to lower
   */
  public static void requireMemory(Transformer model, TrainConfig config) {
    MemoryEstimate.requireFits(
        String.format(
            Locale.ROOT, "a training step of %,d x %,d tokens", config.batchSize(), config.seqLen()),
        MemoryEstimate.trainingBytes(model.config(), config.batchSize(), config.seqLen()),
        "its batch_size or seq_len");
  }

  /**
   * Trains for {@code config.steps()} steps on batches from {@code train}.
   *
   * @param heldOut fixed batches for the held-out loss; may be empty
   * @param stage what the listener is told the steps are ({@code pretrain}, {@code sft})
   * @param listener told about each step: its {@code loss}, {@code lr}, {@code grad_norm}, {@code
   *     tokens_per_s} and, when one was measured after it, {@code held_out_loss}
   */
  public Result train(Supplier<Batch> train, List<Batch> heldOut, String stage, StageListener listener) {
    LrSchedule schedule = config.schedule();
    long start = System.nanoTime();
    long tokens = 0;
    double firstLoss = Double.NaN;
    double tailSum = 0;
    int tailCount = 0;
    int tailFrom = config.steps() - Math.max(1, config.steps() / 10);
    double heldOutLoss = Double.NaN;
    for (int step = 0; step < config.steps(); step++) {
      Batch batch = train.get();
      double loss = forwardBackward(batch);
      double lr = schedule.at(step);
      // outside the step's scope: the optimizer runs its own
      double gradNorm = optimizer.step(lr);
      tokens += (long) batch.rows() * batch.length();
      if (step == 0) {
        firstLoss = loss;
      }
      if (step >= tailFrom) {
        tailSum += loss;
        tailCount++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("loss", loss);
      figures.put("lr", lr);
      figures.put("grad_norm", gradNorm);
      figures.put("tokens_per_s", seconds > 0 ? tokens / seconds : 0);
      boolean last = step == config.steps() - 1;
      boolean due = config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0;
      if (!heldOut.isEmpty() && (last || due)) {
        heldOutLoss = heldOutLoss(heldOut);
        figures.put("held_out_loss", heldOutLoss);
      }
      listener.onStep(stage, step + 1, figures);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(tailSum / tailCount, heldOutLoss, firstLoss, config.steps(), tokens, seconds);
  }

  /** One forward and backward pass; gradients accumulate on the parameters. */
  private double forwardBackward(Batch batch) {
    try (NDScope ignored = new NDScope();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = loss(model, manager, batch); // ()
      Autograd.backward(collector, loss);
      return loss.getFloat();
    }
  }

  /** The mean held-out loss over {@code batches}, weighted by their counted tokens. */
  public double heldOutLoss(List<Batch> batches) {
    double sum = 0;
    long count = 0;
    for (Batch batch : batches) {
      int counted = batch.lossTokens();
      if (counted == 0) {
        continue;
      }
      try (NDScope ignored = new NDScope()) {
        double loss = NoGrad.call(() -> (double) loss(model, manager, batch).getFloat());
        sum += loss * counted;
        count += counted;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /**
   * The masked mean next-token cross-entropy of {@code model} on {@code batch}: minus the mean, over
   * counted positions, of the log-probability of the target token.
   */
  public static NDArray loss(Transformer model, NDManager manager, Batch batch) {
    Shape shape = new Shape(batch.rows(), batch.length());
    NDArray inputs = manager.create(batch.inputs(), shape); // (B, T)
    NDArray targets = manager.create(batch.targets(), shape); // (B, T)
    NDArray mask = manager.create(batch.mask(), shape); // (B, T)
    NDArray logProbs;
    // log-softmax's backward reads its output: the logits are freed before backward
    try (NDArray logits = model.forward(inputs, (int[]) null)) { // (B, T, V)
      logProbs = logits.logSoftmax(-1); // (B, T, V)
    }
    NDArray picked = logProbs.gather(targets.expandDims(-1), -1).squeeze(-1); // (B, T)
    float counted = Math.max(1, batch.lossTokens());
    return Scalars.div(picked.mul(mask).sum(), -counted); // ()
  }

  /** Steps the optimizer has taken. */
  public int optimizerSteps() {
    return optimizer.steps();
  }

  @Override
  public void close() {
    manager.close();
  }
}
