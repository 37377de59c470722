package aha.grpo.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.train.PackedExamples;
import aha.grpo.train.StageListener;
import aha.grpo.train.TrainConfig;
import aha.grpo.train.Trainer;
import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.service.VertxFutures;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.sampler.tokenizer.Tokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRPO end to end on a toy task that a few steps can visibly learn: every question's answer is 7,
 * and a small model fine-tuned to answer with a uniformly random digit starts near 10% accuracy.
 * Rewarding the groups' right answers must raise it.
 */
class GrpoTrainerTest {

  @TempDir static Path dir;
  private static Tokenizer tokenizer;
  private static ChatTemplate template;
  private static List<Problem> problems;
  private static NDManager manager;

  @BeforeAll
  static void setUp() throws Exception {
    problems = new ArrayList<>();
    for (int a = 0; a <= 7; a++) {
      String question = "What is " + a + " + " + (7 - a) + "?";
      problems.add(new Problem("sum-" + a, question, "7", AnswerKind.NUMERIC, null,
          new ProblemMeta("toy", 1, a, "test")));
    }
    List<String> texts = new ArrayList<>();
    for (Problem p : problems) {
      for (int d = 0; d <= 9; d++) {
        texts.add(ChatTemplate.render(conversation(p, d)));
      }
    }
    BpeTrainer.withChatTokens(320).train(texts).save(dir.resolve("tokenizer.json"));
    tokenizer = Tokenizer.load(dir);
    template = new ChatTemplate(tokenizer);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    tokenizer.close();
    manager.close();
  }

  private static List<Message> conversation(Problem p, int digit) {
    List<Message> messages = new ArrayList<>(ChatTemplate.reasoningConversation(p.question()));
    messages.add(Message.assistant(p.question().substring(8, 13), Integer.toString(digit)));
    return messages;
  }

  /** A tiny model taught the format with a uniformly random digit as the answer. */
  private static Transformer guessingModel() {
    ModelConfig tiny = ModelConfig.tiny();
    ModelConfig config = new ModelConfig(tokenizer.vocabSize(), 32, 64, 2, 4, 2, 256,
        tiny.ropeTheta(), tiny.rmsNormEps(), false, false);
    Transformer model = new Transformer(config);
    model.initialize(manager, 3);
    List<PackedExamples.Example> examples = new ArrayList<>();
    for (Problem p : problems) {
      for (int d = 0; d <= 9; d++) {
        int[] ids = template.encode(conversation(p, d));
        examples.add(new PackedExamples.Example(ids, template.assistantMask(ids)));
      }
    }
    int longest = examples.stream().mapToInt(e -> e.ids().length).max().orElseThrow();
    TrainConfig sft = new TrainConfig(120, 16, longest, 1e-2, 10, 0.1, 0.0, 0.9, 0.95, 1.0, 0, 0, 5);
    try (Trainer trainer = new Trainer(model, sft)) {
      trainer.train(new PackedExamples(examples, 16, longest, template.endOfTextId(), 5), List.of(), "sft", StageListener.NONE);
    }
    return model;
  }

  /** 10 steps of 4 problems x 8 samples, up to 24 tokens, at 3e-3, up to 2 sampling rounds, no evaluation. */
  private static GrpoConfig toyConfig(LossType lossType, int iterations, double beta) {
    GrpoConfig d = GrpoConfig.defaults();
    return new GrpoConfig(
        10,
        new GrpoConfig.Rollout(4, 8, 24, 1.0, 0, 1.0, true, 2, 0, 256),
        new PolicyLossConfig(lossType, 0.2, 0.28, beta),
        new GrpoConfig.Reward(1.0, 0.1, ScaleRewards.GROUP, true, 0, 1.0),
        new GrpoConfig.Schedule(3e-3, 0, 1.0),
        new GrpoConfig.Optimizer(0.9, 0.99, 0.0, 1.0, iterations, 16),
        new GrpoConfig.Eval(0, 0, 0, 24),
        2,
        d.markers(),
        11);
  }

  @Test
  @Tag("slow") // about 30 s, most of it teaching the model the format
  void aFewStepsRaiseTheRewardOnAToyTask() {
    Transformer model = guessingModel();
    List<Map<String, Double>> steps = new ArrayList<>();
    List<ObjectNode> samples = new ArrayList<>();
    GrpoConfig config = toyConfig(LossType.GRPO, 1, 0);
    Vertx vertx = Vertx.vertx();
    ProblemSampler sampler = VertxFutures.await(ProblemSampler.startForTraining(vertx, config, model, template, 0));
    try (GrpoTrainer trainer = new GrpoTrainer(config, model, null, template, problems, List.of(), null, sampler)) {
      while (trainer.steps() < config.steps()) {
        GrpoTrainer.StepResult result = trainer.step();
        steps.add(result.metrics());
        samples.addAll(result.samples());
      }
    } finally {
      VertxFutures.await(sampler.close());
      VertxFutures.await(vertx.close());
    }
    assertEquals(10, steps.size());
    double first = steps.get(0).get("accuracy");
    double last = (steps.get(7).get("accuracy") + steps.get(8).get("accuracy") + steps.get(9).get("accuracy")) / 3;
    assertTrue(first < 0.4, "the guessing model starts near 10%: " + first);
    assertTrue(last > first + 0.3, "accuracy rises from " + first + " to " + last);
    // the metrics a step reports
    for (String key : List.of("reward/mean", "reward/std", "frac_reward_zero_std", "completions/mean_length",
        "completions/p90_length", "completions/clipped_ratio", "kl", "entropy", "clip_ratio/region_mean",
        "grad_norm", "lr", "policy_version", "tokens_per_s", "time/sample", "time/verify", "time/learn",
        "aha/keyword_rate", "aha/response_share", "aha/transitions")) {
      assertTrue(steps.get(9).containsKey(key), key);
    }
    assertEquals(10.0, steps.get(9).get("policy_version"));
    assertTrue(steps.get(0).get("entropy") > 0);
    // two logged groups per step, each with its G completions sampled by that step's policy
    assertEquals(20, samples.size());
    assertEquals(8, samples.get(0).get("completions").size());
    assertEquals(0, samples.get(0).get("completions").get(0).get("policy_version").asInt());
  }
}
