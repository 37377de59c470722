package aha.grpo.rl;

import aha.problems.Problem;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.Transformer;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Where {@link GrpoTrainer} gets its rollouts and sends its weights: the sampling service ({@link
 * ProblemSampler}) in a run, a fake with known completions in a test of {@link GrpoTrainer#step()}.
 * The trainer waits for each future on its own thread: GRPO here is synchronous, a step samples and
 * then learns.
 */
public interface RolloutSource {

  /**
   * Samples {@code g} completions for each problem and scores them.
   *
   * @return one group per problem, in order, each with its G completions in index order
   */
  Future<List<ScoredGroup>> sample(List<Problem> problems, int g, SamplingParams params);

  /**
   * Has every sampler take {@code policy}'s current weights as version {@code version}, between
   * requests. {@code policy} must not change until the future completes.
   *
   * @return the version, once every sampler has it
   */
  Future<Long> publishWeights(long version, Transformer policy);

  /**
   * Adds what this source knows of the step just taken to its metrics (a cluster's nodes and
   * re-dispatched items); a source in one process adds nothing.
   */
  default void putMetrics(Map<String, Double> metrics) {}
}
