package aha.grpo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.ProblemMeta;
import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import aha.sampler.tokenizer.BpeTrainer;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Tokenizer;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
  @TempDir static Path dir;
  private static Tokenizer tokenizer;
  private static ChatTemplate template;

  @BeforeAll
  static void train() throws IOException {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      corpus.add(
          ChatTemplate.render(ChatTemplate.reasoningConversation("What is " + i + " + " + (i * 7 % 13) + "?"))
              + ChatTemplate.assistantContent(i + " plus " + (i % 9) + " is " + (2 * i), String.valueOf(i))
              + ChatTemplate.END_OF_TEXT);
    }
    Path file = dir.resolve("tokenizer.json");
    BpeTrainer.withChatTokens(400).train(corpus).save(file);
    tokenizer = Tokenizer.load(file);
    template = new ChatTemplate(tokenizer);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void passAtKMatchesTheClosedForm() {
    assertEquals(0.5, PassAtK.passAtK(2, 1, 1), 1e-12);
    assertEquals(1 - 21.0 / 252, PassAtK.passAtK(10, 3, 5), 1e-12); // 1 − C(7,5)/C(10,5)
    assertEquals(1.0, PassAtK.passAtK(4, 2, 3), 1e-12);
    assertEquals(0.0, PassAtK.passAtK(4, 0, 4), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> PassAtK.passAtK(4, 5, 1));
  }

  @Test
  void majorityVoteTakesTheMostFrequentAnswerTiesToTheFirst() {
    assertTrue(PassAtK.majorityCorrect(List.of("4", "5", "4"), List.of(true, false, true), 3));
    assertTrue(!PassAtK.majorityCorrect(List.of("5", "4", "5"), List.of(false, true, false), 3));
    assertTrue(!PassAtK.majorityCorrect(Arrays.asList("5", "4"), List.of(false, true), 2)); // tie
    assertTrue(PassAtK.majorityCorrect(Arrays.asList(null, null, "4"), List.of(false, false, true), 3));
  }

  /**
   * Two problems, 4 samples each. "2+2": greedy right, samples right, wrong, right, truncated. "3+3":
   * greedy wrong, samples wrong ×3 and right once.
   */
  @Test
  void reportsEveryFigureFromScriptedCompletions() {
    Problem add = problem("p1", "What is 2 + 2?", "4", "addition");
    Problem six = problem("p2", "What is 3 + 3?", "6", "multiplication");
    Map<String, List<String>> script = new HashMap<>();
    script.put("What is 2 + 2?", Arrays.asList("4", "4", "5", "4", null));
    script.put("What is 3 + 3?", List.of("7", "7", "7", "6", "7"));
    ScriptedSampler sampler = new ScriptedSampler(script);

    EvalConfig config = new EvalConfig(4, List.of(1, 4), true, 1.0, 1.0, 64, 3, 1);
    EvalReport report =
        new Evaluator(sampler, template, new Verifier(VerifierConfig.defaults()))
            .evaluate(List.of(add, six), config, null);

    assertEquals(0.5, report.passAt1Greedy(), 1e-12);
    assertEquals((2.0 / 4 + 1.0 / 4) / 2, report.passAt1(), 1e-12);
    assertEquals(report.passAt1(), report.passAtK().get(1), 1e-12);
    assertEquals(1.0, report.passAtK().get(4), 1e-12);
    // maj@4: "4" wins 2–1 for p1 (right); "7" wins 3–1 for p2 (wrong)
    assertEquals(0.5, report.majAtK().get(4), 1e-12);
    assertEquals(1.0 / 10, report.truncated(), 1e-12);
    assertEquals(2, report.byFamily().size());
    assertEquals(1.0, report.byFamily().get("addition").passAt1Greedy(), 1e-12);
    assertTrue(report.format().contains("maj@4"), report.format());
    assertTrue(report.toJson(3).contains("\"pass@4\""), report.toJson(3));
    // every figure is printed with how it was measured
    String how = "greedy + 4 samples at temperature 1, at most 64 new tokens, seed 1";
    assertTrue(report.format().startsWith("2 problems; " + how + "\n"), report.format());
    assertEquals(
        "greedy pass@1 50.0%, sampled pass@1 37.5%, pass@4 100.0% (2 problems; " + how + ")", report.headline());
    assertTrue(report.toJson(3).contains("\"text\" : \"" + how + "\""), report.toJson(3));
  }

  @Test
  void theProtocolSaysHowFiguresWereMeasured() {
    assertEquals("greedy + 8 samples at temperature 0.8, at most 256 new tokens, seed 1", EvalConfig.defaults().describe());
    EvalConfig greedyOnly = EvalConfig.protocol(0, 0.8, 128, 3);
    assertEquals(List.of(), greedyOnly.ks());
    assertEquals("greedy, at most 128 new tokens, seed 3", greedyOnly.describe());
    assertEquals(
        "4 samples at temperature 1.2, top-p 0.9, at most 64 new tokens, seed 2",
        new EvalConfig(4, List.of(1, 4), false, 1.2, 0.9, 64, 8, 2).describe());
    assertEquals(List.of(1, 8), EvalConfig.protocol(8, 0.8, 256, 1).ks());
  }

  /**
   * Calibration's view of the samples: per problem, the verdict of each sample in order, even
   * where a batch of 3 rows holds samples of both problems; and the same samples' share of correct
   * ones is what evaluate reports as sampled pass@1.
   */
  @Test
  void sampledVerdictsArePerProblemInSampleOrder() {
    Problem add = problem("p1", "What is 2 + 2?", "4", "addition");
    Problem six = problem("p2", "What is 3 + 3?", "6", "multiplication");
    Map<String, List<String>> script = new HashMap<>();
    script.put("What is 2 + 2?", Arrays.asList("4", "5", "4", null));
    script.put("What is 3 + 3?", List.of("7", "6", "7", "7"));
    Verifier verifier = new Verifier(VerifierConfig.defaults());
    EvalConfig config = new EvalConfig(4, List.of(1), false, 1.0, 1.0, 64, 3, 1);

    List<List<Boolean>> verdicts =
        new Evaluator(new ScriptedSampler(script), template, verifier)
            .sampledVerdicts(List.of(add, six), config, null);
    assertEquals(List.of(List.of(true, false, true, false), List.of(false, true, false, false)), verdicts);

    EvalReport report =
        new Evaluator(new ScriptedSampler(script), template, verifier)
            .evaluate(List.of(add, six), config, null);
    assertEquals((2.0 / 4 + 1.0 / 4) / 2, report.passAt1(), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () -> new Evaluator(new ScriptedSampler(script), template, verifier)
            .sampledVerdicts(List.of(add), new EvalConfig(0, List.of(), true, 1.0, 1.0, 64, 3, 1), null));
  }

  private static Problem problem(String id, String question, String answer, String family) {
    return new Problem(id, question, answer, AnswerKind.NUMERIC, null, new ProblemMeta(family, 1, 1L, "test"));
  }

  /**
   * Answers each prompt from a script: the first entry for the greedy call, then one per sample,
   * in order; null is a truncated completion without an answer.
   */
  private static final class ScriptedSampler implements CompletionSampler {
    private final Map<String, List<String>> script;
    private final Map<String, Integer> served = new HashMap<>();

    ScriptedSampler(Map<String, List<String>> script) {
      this.script = script;
    }

    @Override
    public List<Completion> sample(List<int[]> prompts, SamplingParams params) {
      List<Completion> out = new ArrayList<>();
      for (int[] prompt : prompts) {
        String text = tokenizer.decode(prompt);
        String question =
            script.keySet().stream().filter(text::contains).findFirst().orElseThrow();
        int index = served.merge(question, 1, Integer::sum) - 1;
        String answer = script.get(question).get(index);
        if (answer == null) {
          int[] ids = tokenizer.encode("<think>thinking and thinking");
          out.add(new Completion(ids, new float[ids.length], FinishReason.LENGTH));
        } else {
          int[] ids =
              tokenizer.encode(ChatTemplate.assistantContent("working", answer) + ChatTemplate.IM_END);
          out.add(new Completion(ids, new float[ids.length], FinishReason.STOP));
        }
      }
      return out;
    }
  }
}
