package aha.grpo.rl;

import aha.problems.Problem;
import aha.sampler.generate.SamplingParams;
import aha.sampler.cluster.ClusterDispatcher;
import aha.sampler.model.Transformer;
import aha.sampler.service.PolicyReplica;
import aha.sampler.service.Prompt;
import aha.sampler.service.SampledCompletion;
import aha.sampler.service.SampledGroup;
import aha.sampler.service.SamplerFactory;
import aha.sampler.service.SamplingService;
import aha.sampler.service.SamplingServiceConfig;
import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.Verifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Problems in, verified groups out: the sampling service with the lab's prompt (the default system
 * prompt, then the question, in the chat template) and the {@link VerifierScorer}. The trainer
 * samples through it ({@link RolloutSource}), and so does {@code aha sample}. The caller owns the
 * Vert.x instance it runs on and closes this before it.
 */
public final class ProblemSampler implements RolloutSource {

  /** The most completions the sampler decodes together in one batch during GRPO. */
  public static final int MAX_TRAINING_BATCH_ROWS = 256;

  private final SamplingService<PolicyReplica, Problem, VerifierScorer.Read> service;
  private final ChatTemplate template;
  /** Null in one process; else it deals each request over the service and the cluster's nodes. */
  private final ClusterDispatcher<Problem, VerifierScorer.Read> cluster;
  private long redispatchedBefore; // the cluster's count at the last putMetrics

  private ProblemSampler(
      SamplingService<PolicyReplica, Problem, VerifierScorer.Read> service,
      ChatTemplate template,
      ClusterDispatcher<Problem, VerifierScorer.Read> cluster) {
    this.service = service;
    this.template = template;
    this.cluster = cluster;
  }

  /** Starts the service's replicas, each made by {@code replicas}, on {@code vertx}. */
  public static Future<ProblemSampler> start(
      Vertx vertx,
      SamplingServiceConfig config,
      ChatTemplate template,
      Verifier verifier,
      SamplerFactory<PolicyReplica> replicas) {
    return SamplingService.<PolicyReplica, Problem, VerifierScorer.Read>start(
            vertx, config, new VerifierScorer(template, verifier), replicas)
        .map(service -> new ProblemSampler(service, template, null));
  }

  /**
   * The sampler of a GRPO run: one replica holding a copy of {@code policy}, whose weights are
   * version {@code initialVersion} (the steps already taken), and one batch per request up to 256
   * rows: on two cores the nano model decodes 256 rows at about 1.3x the tokens per second of 128
   * ({@code aha bench sample}).
   */
  public static Future<ProblemSampler> startForTraining(
      Vertx vertx, GrpoConfig config, Transformer policy, ChatTemplate template, long initialVersion) {
    return startForTraining(vertx, config, policy, template, initialVersion, config.rollout().batchRows());
  }

  /**
   * As {@link #startForTraining(Vertx, GrpoConfig, Transformer, ChatTemplate, long)}, with at most
   * {@code maxBatchRows} rows a sampler call: a request of more rows is decoded in several batches,
   * each verified while the next decodes ({@code aha bench grpo --batch-rows} measures the trade).
   */
  public static Future<ProblemSampler> startForTraining(
      Vertx vertx, GrpoConfig config, Transformer policy, ChatTemplate template, long initialVersion,
      int maxBatchRows) {
    SamplingServiceConfig serviceConfig =
        SamplingServiceConfig.defaults()
            .withName("grpo")
            .withMaxBatchRows(
                Math.min(maxBatchRows, config.rollout().problemsSampledPerRound() * config.rollout().groupSize()))
            .withMaxPromptTokens(policy.config().maxPositions())
            .withInitialPolicyVersion(initialVersion);
    return start(
        vertx,
        serviceConfig,
        template,
        new Verifier(config.reward().verifier()),
        replica -> PolicyReplica.copyOf(policy, template));
  }

  /**
   * The sampler of a GRPO run in a cluster: the local replica of {@link #startForTraining} and every
   * sampler node that announces itself on {@code vertx}'s (clustered) event bus, items of {@code
   * grpo.rollout.batch_rows} rows dealt over them. The same config gives the same completions as
   * {@link #startForTraining}, on any number of nodes.
   *
   * @param tokenizerJson the policy's tokenizer, which nodes load with the model
   * @param members the cluster's member ids now; a node whose member is gone is dropped
   */
  public static Future<ProblemSampler> startClustered(
      Vertx vertx, GrpoConfig config, Transformer policy, ChatTemplate template, long initialVersion,
      Path tokenizerJson, Supplier<? extends Collection<String>> members, ClusterDispatcher.Options options) {
    return startForTraining(vertx, config, policy, template, initialVersion)
        .compose(alone -> ClusterDispatcher.start(
                vertx, alone.service, alone.scorer(config), policy, tokenizerJson, members, options)
            .map(cluster -> new ProblemSampler(alone.service, template, cluster))
            .recover(failure -> alone.close().transform(ignored -> Future.failedFuture(failure))));
  }

  private VerifierScorer scorer(GrpoConfig config) {
    return new VerifierScorer(template, new Verifier(config.reward().verifier()));
  }

  /** The cluster's nodes, the local replica first; empty in one process. */
  public List<ClusterDispatcher.NodeStatus> nodes() {
    return cluster == null ? List.of() : cluster.nodes();
  }

  public SamplingServiceConfig config() {
    return service.config();
  }

  @Override
  public Future<List<ScoredGroup>> sample(List<Problem> problems, int g, SamplingParams params) {
    List<Prompt<Problem>> prompts = new ArrayList<>(problems.size());
    for (Problem problem : problems) {
      int[] tokens = template.encodePrompt(ChatTemplate.reasoningConversation(problem.question()));
      if (tokens.length > service.config().maxPromptTokens()) {
        return Future.failedFuture(
            new IllegalArgumentException(
                "problem "
                    + problem.id()
                    + ": its prompt is "
                    + tokens.length
                    + " tokens; the model takes at most "
                    + service.config().maxPromptTokens()));
      }
      prompts.add(new Prompt<>(problem, tokens));
    }
    Future<List<SampledGroup<Problem, VerifierScorer.Read>>> groups =
        cluster != null ? cluster.sample(prompts, g, params) : service.sample(prompts, g, params);
    return groups.map(ProblemSampler::scored);
  }

  @Override
  public Future<Long> publishWeights(long version, Transformer policy) {
    if (cluster != null) {
      return cluster.publishWeights(version, policy);
    }
    return service.publishWeights(version, replica -> replica.copyWeightsFrom(policy));
  }

  /** In a cluster: {@code rollout/nodes} (the local replica and the live nodes) and {@code rollout/redispatched} this step. */
  @Override
  public void putMetrics(Map<String, Double> metrics) {
    if (cluster != null) {
      long redispatched = cluster.redispatched();
      metrics.put("rollout/nodes", (double) cluster.liveNodes());
      metrics.put("rollout/redispatched", (double) (redispatched - redispatchedBefore));
      redispatchedBefore = redispatched;
    }
  }

  /** Lets the requests in flight finish, then stops the replicas (not the Vert.x instance). */
  public Future<Void> close() {
    return cluster != null ? cluster.close() : service.close();
  }

  private static List<ScoredGroup> scored(List<SampledGroup<Problem, VerifierScorer.Read>> groups) {
    List<ScoredGroup> out = new ArrayList<>(groups.size());
    for (SampledGroup<Problem, VerifierScorer.Read> group : groups) {
      List<ScoredCompletion> completions = new ArrayList<>(group.size());
      for (SampledCompletion<VerifierScorer.Read> c : group.completions()) {
        completions.add(
            new ScoredCompletion(
                group.key().id(),
                c.index(),
                c.score().text(),
                c.completion(),
                c.score().verdict(),
                c.policyVersion(),
                c.sampleMillis(),
                c.scoreMillis(),
                c.node()));
      }
      out.add(new ScoredGroup(group.key(), group.promptTokens(), completions));
    }
    return out;
  }
}
