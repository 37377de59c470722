package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.train.Autograd;
import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verdict;
import ai.djl.ndarray.NDManager;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link GrpoTrainer#step()} through a fake {@link RolloutSource} whose completions are known: which
 * groups dynamic sampling keeps, the overlong penalty, the masking of truncated completions, what
 * is published and the metrics, in well under a second a step.
 */
class GrpoStepTest {

  @TempDir static Path dir;
  private static Tokenizer tokenizer;
  private static ChatTemplate template;
  private static NDManager manager;
  private static final List<Problem> PROBLEMS = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int a = 0; a < 8; a++) {
      Problem problem =
          new Problem("p" + a, "What is " + a + " + 1?", Integer.toString(a + 1), AnswerKind.NUMERIC, null,
              new ProblemMeta("toy", 1, a, "test"));
      PROBLEMS.add(problem);
      List<Message> messages = new ArrayList<>(ChatTemplate.reasoningConversation(problem.question()));
      messages.add(Message.assistant("wait, let me check " + a, Integer.toString(a + 1)));
      texts.add(ChatTemplate.render(messages));
    }
    BpeTrainer.withChatTokens(300).train(texts).save(dir.resolve("tokenizer.json"));
    tokenizer = Tokenizer.load(dir);
    template = new ChatTemplate(tokenizer);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  /** What one completion of the script is: right or wrong, how long, cut at the limit or not. */
  private record Outcome(boolean correct, int length, boolean truncated) {
    static Outcome right(int length) {
      return new Outcome(true, length, false);
    }

    static Outcome wrong(int length) {
      return new Outcome(false, length, false);
    }
  }

  /** The outcome of completion {@code j} of the {@code index}-th problem of sampling call {@code call}. */
  @FunctionalInterface
  private interface Script {
    Outcome outcome(int call, int index, int j);
  }

  /** A rollout source with scripted completions; it records what the trainer asked and published. */
  private static final class ScriptedRollouts implements RolloutSource {
    final Script script;
    final List<List<Problem>> asked = new ArrayList<>();
    final List<SamplingParams> params = new ArrayList<>();
    final List<Long> published = new ArrayList<>();
    long version;

    ScriptedRollouts(Script script) {
      this.script = script;
    }

    @Override
    public Future<List<ScoredGroup>> sample(List<Problem> problems, int g, SamplingParams params) {
      int call = asked.size();
      asked.add(problems);
      this.params.add(params);
      List<ScoredGroup> groups = new ArrayList<>();
      for (int i = 0; i < problems.size(); i++) {
        Problem problem = problems.get(i);
        int[] prompt = template.encodePrompt(ChatTemplate.reasoningConversation(problem.question()));
        List<ScoredCompletion> completions = new ArrayList<>();
        for (int j = 0; j < g; j++) {
          Outcome outcome = script.outcome(call, i, j);
          int[] tokens = new int[outcome.length()];
          Arrays.fill(tokens, 40 + j); // any ids of the vocabulary
          Completion completion =
              new Completion(
                  tokens, new float[tokens.length], outcome.truncated() ? FinishReason.LENGTH : FinishReason.STOP);
          String answer = outcome.correct() ? problem.answer() : "0";
          String text = "<think>wait, let me check</think><answer>" + answer + "</answer>";
          Verdict verdict =
              new Verdict(outcome.correct(), outcome.correct() ? 1.1 : 0.1, true, answer, outcome.correct() ? "correct" : "wrong");
          completions.add(new ScoredCompletion(problem.id(), j, text, completion, verdict, version, 1, 0.1));
        }
        groups.add(new ScoredGroup(problem, prompt, completions));
      }
      return Future.succeededFuture(groups);
    }

    @Override
    public Future<Long> publishWeights(long newVersion, Transformer policy) {
      published.add(newVersion);
      version = newVersion;
      return Future.succeededFuture(newVersion);
    }
  }

  /** 3 steps of 2 problems × 4 completions, up to 16 tokens; each test changes what it is about. */
  private static GrpoConfig config() {
    GrpoConfig d = GrpoConfig.defaults();
    return new GrpoConfig(
        3,
        new GrpoConfig.Rollout(2, 4, 16, 1.0, 0, 1.0, true, 3, 2, 256),
        new PolicyLossConfig(LossType.DAPO, 0.2, 0.28, 0.0),
        new GrpoConfig.Reward(1.0, 0.1, ScaleRewards.GROUP, true, 0, 1.0),
        new GrpoConfig.Schedule(1e-2, 0, 1.0),
        new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 8),
        new GrpoConfig.Eval(0, 0, 0, 16),
        1,
        d.markers(),
        5);
  }

  private static Transformer tinyModel() {
    return tinyModel(3);
  }

  private static Transformer tinyModel(long seed) {
    ModelConfig tiny = ModelConfig.tiny();
    Transformer model =
        new Transformer(
            new ModelConfig(tokenizer.vocabSize(), 32, 64, 1, 4, 2, 128, tiny.ropeTheta(), tiny.rmsNormEps(), false, false));
    model.initialize(manager, seed);
    return model;
  }

  private static GrpoTrainer trainer(GrpoConfig config, Transformer model, RolloutSource rollouts) {
    return new GrpoTrainer(config, model, null, template, PROBLEMS, List.of(), null, rollouts);
  }

  private static float[] firstWeights(Transformer model) {
    return model.hfTensor(model.hfTensorNames().get(0)).clone();
  }

  @Test
  void dynamicSamplingDropsGroupsWhoseRewardsAllAgreeAndSamplesAgain() {
    // call 0: one group all right, one all wrong; call 1: the first mixed, the second all wrong;
    // call 2: both mixed. The step needs 2 informative groups: it takes call 1's first and call 2's first.
    ScriptedRollouts rollouts =
        new ScriptedRollouts(
            (call, index, j) -> {
              boolean mixed = call == 2 || (call == 1 && index == 0);
              boolean right = mixed ? j < 2 : call == 0 && index == 0;
              return right ? Outcome.right(6) : Outcome.wrong(8);
            });
    try (GrpoTrainer trainer = trainer(config(), tinyModel(), rollouts)) {
      GrpoTrainer.StepResult result = trainer.step();
      Map<String, Double> m = result.metrics();

      assertEquals(3, rollouts.asked.size(), "three sampling requests until two groups inform");
      assertEquals(6.0, m.get("groups/sampled"));
      assertEquals(2.0, m.get("groups/learnt"));
      assertEquals(3.0 / 6, m.get("frac_reward_zero_std"), 1e-12);
      // right: 4 + 0, 2 + 0, 2 + 2 of 24
      assertEquals(10.0 / 24, m.get("accuracy"), 1e-12);
      assertEquals((10 * 6 + 14 * 8) / 24.0, m.get("completions/mean_length"), 1e-12);
      assertEquals(1.0, m.get("policy_version"));
      assertEquals(List.of(1L), rollouts.published);
      assertTrue(m.get("grad_norm") > 0, m.toString());
      // each request asks for problems_per_round new problems with a seed of its own
      assertEquals(6, new HashSet<>(rollouts.asked.stream().flatMap(List::stream).toList()).size());
      assertEquals(3, rollouts.params.stream().map(SamplingParams::seed).distinct().count());
      assertEquals(16, rollouts.params.get(0).maxNewTokens());
      // the sample log holds log_samples groups, with the step's version
      assertEquals(1, result.samples().size());
      assertEquals(4, result.samples().get(0).get("completions").size());
    }
  }

  @Test
  void withoutDynamicSamplingOneRequestIsLearntFromWhole() {
    GrpoConfig d = config();
    GrpoConfig config = d.withRollout(d.rollout().withDynamicSampling(false, 3).withProblems(2, 0));
    ScriptedRollouts rollouts = new ScriptedRollouts((call, index, j) -> index == 0 ? Outcome.right(5) : Outcome.wrong(5));
    try (GrpoTrainer trainer = trainer(config, tinyModel(), rollouts)) {
      Map<String, Double> m = trainer.step().metrics();
      assertEquals(1, rollouts.asked.size());
      assertEquals(2.0, m.get("groups/learnt"), "uninformative groups are kept without dynamic sampling");
      assertEquals(1.0, m.get("frac_reward_zero_std"));
      // every advantage is 0, so the policy gradient is too
      assertEquals(0.0, m.get("grad_norm"), 1e-12);
    }
  }

  @Test
  void theOverlongPenaltyMakesAllRightGroupsInformative() {
    // every completion right, lengths 4, 12, 16 and 4 of at most 16, the last 8 tokens a buffer:
    // rewards 1.1, 1.1 - 0.5, 1.1 - 1.0, 1.1
    GrpoConfig d = config();
    GrpoConfig config = d.withReward(d.reward().withOverlong(8, 1.0).withMaskTruncated(false));
    int[] lengths = {4, 12, 16, 4};
    ScriptedRollouts rollouts = new ScriptedRollouts((call, index, j) -> Outcome.right(lengths[j]));
    try (GrpoTrainer trainer = trainer(config, tinyModel(), rollouts)) {
      Map<String, Double> m = trainer.step().metrics();
      assertEquals(1.0, m.get("accuracy"));
      assertEquals((1.1 + 0.6 + 0.1 + 1.1) / 4, m.get("reward/mean"), 1e-12);
      assertEquals(0.0, m.get("frac_reward_zero_std"));
      assertEquals(2.0, m.get("groups/learnt"));
      assertEquals(1, rollouts.asked.size(), "the first request informs");
    }
  }

  @Test
  void truncatedCompletionsAreLeftOutOfTheLoss() {
    // mixed groups whose every completion hit the token limit
    Script allTruncated = (call, index, j) -> new Outcome(j % 2 == 0, 16, true);

    Transformer masked = tinyModel();
    float[] before = firstWeights(masked);
    ScriptedRollouts rollouts = new ScriptedRollouts(allTruncated);
    try (GrpoTrainer trainer = trainer(config(), masked, rollouts)) {
      Map<String, Double> m = trainer.step().metrics();
      assertEquals(2.0, m.get("groups/learnt"));
      assertEquals(1.0, m.get("completions/clipped_ratio"));
      assertEquals(0.0, m.get("grad_norm"), 1e-12, "no token is in the loss");
      assertEquals(0.0, m.get("entropy"), 1e-12);
    }
    assertArrayEquals(before, firstWeights(masked), "nothing learnt from masked completions");

    GrpoConfig d = config();
    Transformer unmasked = tinyModel();
    try (GrpoTrainer trainer =
        trainer(d.withReward(d.reward().withMaskTruncated(false)), unmasked, new ScriptedRollouts(allTruncated))) {
      Map<String, Double> m = trainer.step().metrics();
      assertTrue(m.get("grad_norm") > 0, m.toString());
      assertTrue(m.get("entropy") > 0, m.toString());
    }
    assertNotEquals(Arrays.toString(before), Arrays.toString(firstWeights(unmasked)));
  }

  @Test
  void eachStepPublishesItsVersionAndSamplesWithAFreshSeed() {
    ScriptedRollouts rollouts = new ScriptedRollouts((call, index, j) -> j == 0 ? Outcome.right(3) : Outcome.wrong(3));
    try (GrpoTrainer trainer = trainer(config(), tinyModel(), rollouts)) {
      List<String> keys = null;
      for (int step = 1; step <= 3; step++) {
        GrpoTrainer.StepResult result = trainer.step();
        assertEquals(step, result.step());
        assertEquals(step, trainer.steps());
        // the completions were sampled by the weights published after the step before
        assertEquals(step - 1, result.samples().get(0).get("completions").get(0).get("policy_version").asLong());
        if (keys == null) {
          keys = List.copyOf(result.metrics().keySet());
        }
        assertEquals(keys, List.copyOf(result.metrics().keySet()), "every step reports the same keys, in order");
      }
      assertEquals(List.of(1L, 2L, 3L), rollouts.published);
      assertEquals(3, rollouts.params.stream().map(SamplingParams::seed).distinct().count());
      assertEquals(3, trainer.progress().step());
      assertEquals(6, trainer.progress().problemCursor());
      assertTrue(keys.containsAll(List.of("reward/mean", "accuracy", "kl", "entropy", "grad_norm", "lr",
          "groups/learnt", "time/sample", "time/learn", "aha/keyword_rate", "aha/transitions")), keys.toString());
    }
  }

  /**
   * The paths of the loss that the smoke run of the GC stress test (runs module) never takes: a
   * temperature below 1, two updates per batch (π_old from the host), a KL term against a
   * reference model and three micro-batches, under each loss type. A forced collection before every
   * backward pass frees any tensor over Java memory whose handle was closed too early, and the
   * allocator writes its free-list links into that memory at once: the gradients, so the metrics and
   * the weights after the step, must still be the same bits as without it.
   */
  @ParameterizedTest
  @EnumSource(LossType.class)
  void everyLossPathLearnsTheSameWithACollectionBeforeEachBackward(LossType type) {
    GrpoConfig d = config();
    GrpoConfig config =
        d.withRollout(new GrpoConfig.Rollout(2, 4, 16, 0.7, 0, 1.0, false, 1, 2, 256))
            .withLoss(new PolicyLossConfig(type, 0.2, 0.28, 0.04))
            .withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 2, 3));
    Script mixed = (call, index, j) -> j < 2 ? Outcome.right(6 + j) : Outcome.wrong(9 + index);

    Transformer plain = tinyModel();
    Map<String, Double> plainMetrics = learnOneStep(config, plain, mixed);
    Transformer churned = tinyModel();
    Map<String, Double> churnedMetrics;
    System.setProperty(Autograd.GC_BEFORE_BACKWARD, "true");
    try {
      churnedMetrics = learnOneStep(config, churned, mixed);
    } finally {
      System.clearProperty(Autograd.GC_BEFORE_BACKWARD);
    }

    assertTrue(plainMetrics.get("grad_norm") > 0 && plainMetrics.get("kl") > 0, plainMetrics.toString());
    for (Map.Entry<String, Double> e : plainMetrics.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("time/") || key.equals("tokens_per_s")) {
        continue; // wall-clock figures
      }
      // doubles compared through their bits: equal, not merely close
      assertEquals(
          Double.doubleToLongBits(e.getValue()),
          Double.doubleToLongBits(churnedMetrics.get(key)),
          key + ": " + e.getValue() + " vs " + churnedMetrics.get(key));
    }
    for (String name : plain.hfTensorNames()) {
      assertArrayEquals(plain.hfTensor(name), churned.hfTensor(name), name);
    }
  }

  /**
   * Micro-batches take the rows shortest first (a micro-batch pads to its longest row), which must
   * not change what a step learns: split into micro-batches of 3 or taken whole, rows of many
   * lengths give the same weights and figures, to float rounding.
   */
  @Test
  void howTheRowsAreSplitIntoMicroBatchesDoesNotChangeWhatIsLearnt() {
    GrpoConfig d = config();
    GrpoConfig.Rollout rollout = new GrpoConfig.Rollout(2, 4, 16, 0.7, 0, 1.0, false, 1, 2, 256);
    Script varied = (call, index, j) -> j % 2 == 0 ? Outcome.right(3 + 4 * j) : Outcome.wrong(14 - 3 * j + index);
    Transformer split = tinyModel();
    Map<String, Double> splitMetrics =
        learnOneStep(d.withRollout(rollout).withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 3)), split, varied);
    Transformer whole = tinyModel();
    Map<String, Double> wholeMetrics =
        learnOneStep(d.withRollout(rollout).withOptimizer(new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, 1, 8)), whole, varied);

    assertTrue(splitMetrics.get("grad_norm") > 0, splitMetrics.toString());
    for (String key : List.of("grad_norm", "kl", "entropy", "clip_ratio/region_mean")) {
      assertEquals(wholeMetrics.get(key), splitMetrics.get(key), 1e-5 * Math.max(1, Math.abs(wholeMetrics.get(key))), key);
    }
    for (String name : whole.hfTensorNames()) {
      assertArrayEquals(whole.hfTensor(name), split.hfTensor(name), 1e-5f, name);
    }
  }

  /** One step of {@code model}, its KL term against a reference model of other weights. */
  private static Map<String, Double> learnOneStep(GrpoConfig config, Transformer model, Script script) {
    try (GrpoTrainer trainer =
        new GrpoTrainer(config, model, tinyModel(4), template, PROBLEMS, List.of(), null, new ScriptedRollouts(script))) {
      return trainer.step().metrics();
    }
  }
}
