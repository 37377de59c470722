package aha.grpo.train;

import aha.sampler.model.HostValues;
import aha.sampler.model.NoGrad;
import aha.sampler.settings.Fields;
import aha.sampler.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), after clipping all gradients together
 * by their global L2 norm, as PyTorch's {@code clip_grad_norm_} then {@code AdamW.step()} do. For
 * each parameter p with gradient g at step t (1-based):
 *
 * <pre>
 *   m = b1 m + (1 - b1) g
 *   v = b2 v + (1 - b2) g²
 *   p = p - lr wd p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * Weight decay applies to matrices only (embeddings and projections), not to the norms' gains or
 * biases. DJL's own Adam couples the decay into the gradient and clips element by element; this
 * class exists for those two differences.
 *
 * <p>The moments live on the manager given to the constructor; each {@link #step} runs in its own
 * {@link NDScope} with gradient recording off, and leaves every gradient zeroed for the next
 * backward pass.
 */
public final class AdamW {

  /**
   * The optimizer's settings.
   *
   * @param beta1 decay of the first-moment average
   * @param beta2 decay of the second-moment average
   * @param eps added to the root of the second moment
   * @param weightDecay decoupled decay per unit learning rate, for matrices
   * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it (0:
   *     no clipping)
   */
  public record Settings(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
    /** The ε the stages use: small enough not to matter unless the second moment is near 0. */
    public static final double EPS = 1e-8;

    /** Refuses a bad value naming the setting it comes from, as the stages' configs spell it. */
    public Settings {
      Fields.belowOne("beta1", beta1);
      Fields.belowOne("beta2", beta2);
      Fields.positive("eps", eps);
      Fields.nonNegative("weight_decay", weightDecay);
      Fields.nonNegative("clip_norm", clipNorm);
    }

    /** The usual LLM settings: betas (0.9, 0.95), eps 1e-8, decay 0.1, clipping at norm 1. */
    public static Settings defaults() {
      return new Settings(0.9, 0.95, 1e-8, 0.1, 1.0);
    }
  }

  private final List<Parameter> parameters;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final boolean[] decays;
  private final Settings settings;
  private int t;
  private int skipped;

  /**
   * An optimizer over {@code parameters}, whose arrays must be allocated and attached to gradients.
   *
   * @param manager owns the moment estimates; it must outlive the optimizer's use
   */
  public AdamW(List<Parameter> parameters, Settings settings, NDManager manager) {
    this.parameters = List.copyOf(parameters);
    this.settings = settings;
    this.decays = new boolean[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      NDArray p = parameters.get(i).getArray();
      NDArray m = manager.zeros(p.getShape(), p.getDataType(), p.getDevice()); // like p
      NDArray v = manager.zeros(p.getShape(), p.getDataType(), p.getDevice()); // like p
      NDScope.unregister(m, v);
      firstMoments.add(m);
      secondMoments.add(v);
      decays[i] = p.getShape().dimension() >= 2;
    }
  }

  /** Steps taken so far. */
  public int steps() {
    return t;
  }

  /** Steps skipped because the gradient norm was not finite. */
  public int skippedSteps() {
    return skipped;
  }

  /**
   * Clips the gradients by their global norm, updates every parameter at learning rate {@code lr}
   * and zeroes the gradients. A gradient whose norm is NaN or infinite (an overflow in one backward
   * pass) is dropped instead: the parameters, the moments and the step count stay as they were, so
   * one bad batch cannot poison the moment estimates for the rest of the run.
   *
   * @return the global gradient norm before clipping, NaN or infinite when the step was skipped
   */
  public double step(double lr) {
    try (NDScope ignored = new NDScope()) {
      return NoGrad.call(() -> update(lr));
    }
  }

  private double update(double lr) {
    List<NDArray> gradients = new ArrayList<>(parameters.size());
    for (Parameter parameter : parameters) {
      gradients.add(parameter.getArray().getGradient()); // like p
    }
    double norm = globalNorm(gradients);
    if (!Double.isFinite(norm)) {
      skipped++;
      parameters.forEach(parameter -> Autograd.zeroGrad(parameter.getArray()));
      return norm;
    }
    t++;
    float scale = clipScale(norm, settings.clipNorm());
    float b1 = (float) settings.beta1();
    float b2 = (float) settings.beta2();
    double correction1 = 1 - Math.pow(settings.beta1(), t);
    double correction2 = 1 - Math.pow(settings.beta2(), t);
    for (int i = 0; i < parameters.size(); i++) {
      NDArray p = parameters.get(i).getArray(); // like p
      NDArray g = scale == 1f ? gradients.get(i) : Scalars.mul(gradients.get(i), scale); // like p
      NDArray m = Scalars.muli(firstMoments.get(i), b1).addi(Scalars.mul(g, 1 - b1)); // like p
      NDArray v = Scalars.muli(secondMoments.get(i), b2).addi(Scalars.muli(g.square(), 1 - b2)); // like p
      NDArray denominator = Scalars.addi(Scalars.div(v, correction2).sqrt(), settings.eps()); // like p
      if (decays[i] && settings.weightDecay() > 0) {
        Scalars.muli(p, 1 - lr * settings.weightDecay());
      }
      p.subi(Scalars.muli(m.div(denominator), lr / correction1));
      Autograd.zeroGrad(p);
    }
    return norm;
  }

  /**
   * The L2 norm of all gradients taken as one vector, computed on the device with one copy to the
   * host.
   */
  public static double globalNorm(List<NDArray> gradients) {
    if (gradients.isEmpty()) {
      return 0;
    }
    NDList squares = new NDList(gradients.size());
    for (NDArray g : gradients) {
      squares.add(g.square().sum()); // ()
    }
    NDArray total = NDArrays.stack(squares).sum(); // ()
    return Math.sqrt(total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
  }

  /**
   * The factor that brings a global norm down to {@code maxNorm}: {@code maxNorm / (norm + 1e-6)}
   * when the norm exceeds it (PyTorch's formula), else 1. A clip norm of 0 never clips.
   */
  public static float clipScale(double norm, double maxNorm) {
    if (maxNorm <= 0 || norm <= maxNorm) {
      return 1f;
    }
    return (float) (maxNorm / (norm + 1e-6));
  }

  /**
   * Scales {@code gradients} in place so that their global norm is at most {@code maxNorm}.
   *
   * @return the norm before clipping
   */
  public static double clipByGlobalNorm(List<NDArray> gradients, double maxNorm) {
    double norm = globalNorm(gradients);
    float scale = clipScale(norm, maxNorm);
    if (scale != 1f) {
      NoGrad.call(
          () -> {
            gradients.forEach(g -> Scalars.muli(g, scale));
            return null;
          });
    }
    return norm;
  }

  /**
   * What a checkpoint keeps of the optimizer: the steps taken and each parameter's two moment
   * estimates, in parameter order, as host copies.
   */
  public record State(int steps, List<float[]> firstMoments, List<float[]> secondMoments) {
    public State {
      firstMoments = List.copyOf(firstMoments);
      secondMoments = List.copyOf(secondMoments);
      if (firstMoments.size() != secondMoments.size()) {
        throw new IllegalArgumentException("moment lists differ in length");
      }
    }
  }

  /** A host copy of the optimizer's state. */
  public State state() {
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      first.add(firstMoments.get(i).toFloatArray());
      second.add(secondMoments.get(i).toFloatArray());
    }
    return new State(t, first, second);
  }

  /**
   * Continues from a saved {@link #state()} of an optimizer over parameters of the same shapes.
   *
   * @throws IllegalArgumentException naming the first parameter whose moments do not fit
   */
  public void restore(State state) {
    if (state.firstMoments().size() != parameters.size()) {
      throw new IllegalArgumentException(
          "optimizer state has " + state.firstMoments().size() + " parameters, the model " + parameters.size());
    }
    NoGrad.call(
        () -> {
          for (int i = 0; i < parameters.size(); i++) {
            long size = firstMoments.get(i).size();
            if (state.firstMoments().get(i).length != size || state.secondMoments().get(i).length != size) {
              throw new IllegalArgumentException(
                  "optimizer state of parameter " + parameters.get(i).getName() + " has the wrong size");
            }
            HostValues.copyInto(firstMoments.get(i), state.firstMoments().get(i));
            HostValues.copyInto(secondMoments.get(i), state.secondMoments().get(i));
          }
          return null;
        });
    t = state.steps();
  }
}
