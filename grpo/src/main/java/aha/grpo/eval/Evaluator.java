package aha.grpo.eval;

import aha.problems.Problem;
import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.SamplingParams;
import aha.sampler.tokenizer.ChatTemplate;
import aha.verifier.Verdict;
import aha.verifier.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Evaluates a policy on problems: one greedy completion each (pass@1 greedy) and n sampled ones
 * (pass@1, pass@k, maj@k), every completion judged by the verifier. Majority votes group answers
 * by their extracted text with spaces removed and case folded, so "x = 2" and "x=2" vote together
 * but "1/2" and "0.5" do not.
 */
public final class Evaluator {

  private final CompletionSampler sampler;
  private final ChatTemplate template;
  private final Verifier verifier;

  public Evaluator(CompletionSampler sampler, ChatTemplate template, Verifier verifier) {
    this.sampler = sampler;
    this.template = template;
    this.verifier = verifier;
  }

  /** One judged completion; {@code length} counts the tokens the policy wrote, not a tool's answers. */
  private record Judged(boolean correct, String answerKey, int length, boolean truncated) {}

  /**
   * Runs the evaluation.
   *
   * @param progress told how many completions each finished batch held; may be null
   */
  public EvalReport evaluate(List<Problem> problems, EvalConfig config, IntConsumer progress) {
    List<int[]> prompts = prompts(problems);
    List<Judged> greedy = new ArrayList<>();
    if (config.greedy()) {
      greedy = run(problems, prompts, 1, SamplingParams.greedy(config.maxNewTokens()), config, progress);
    }
    List<Judged> sampled = new ArrayList<>();
    if (config.samples() > 0) {
      sampled = sample(problems, prompts, config, progress);
    }
    return report(problems, config, greedy, sampled);
  }

  /**
   * Only the sampled completions of {@link #evaluate}, each judged: element p holds whether each of
   * problem p's n = {@code config.samples()} completions is correct, in sample order. They are the
   * very completions {@code evaluate} draws for the same config (the greedy pass has seeds of its
   * own), so their mean share of correct ones is its sampled pass@1. The greedy flag and the ks
   * are ignored.
   *
   * @param progress told how many completions each finished batch held; may be null
   */
  public List<List<Boolean>> sampledVerdicts(List<Problem> problems, EvalConfig config, IntConsumer progress) {
    if (config.samples() == 0) {
      throw new IllegalArgumentException("no samples to judge: samples is 0");
    }
    List<Judged> judged = sample(problems, prompts(problems), config, progress);
    int n = config.samples();
    List<List<Boolean>> verdicts = new ArrayList<>(problems.size());
    for (int p = 0; p < problems.size(); p++) {
      verdicts.add(judged.subList(p * n, (p + 1) * n).stream().map(Judged::correct).toList());
    }
    return verdicts;
  }

  private List<int[]> prompts(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems to evaluate");
    }
    List<int[]> prompts = new ArrayList<>(problems.size());
    for (Problem problem : problems) {
      prompts.add(template.encodePrompt(ChatTemplate.reasoningConversation(problem.question())));
    }
    return prompts;
  }

  /** The n sampled completions per problem, judged, problem after problem. */
  private List<Judged> sample(
      List<Problem> problems, List<int[]> prompts, EvalConfig config, IntConsumer progress) {
    SamplingParams params =
        new SamplingParams(config.temperature(), 0, config.topP(), config.maxNewTokens(), config.seed());
    return run(problems, prompts, config.samples(), params, config, progress);
  }

  /** Generates {@code copies} completions per problem in batches and judges them, in order. */
  private List<Judged> run(
      List<Problem> problems,
      List<int[]> prompts,
      int copies,
      SamplingParams params,
      EvalConfig config,
      IntConsumer progress) {
    List<Integer> rowProblem = new ArrayList<>();
    for (int p = 0; p < problems.size(); p++) {
      for (int c = 0; c < copies; c++) {
        rowProblem.add(p);
      }
    }
    List<Judged> judged = new ArrayList<>(rowProblem.size());
    for (int start = 0, batch = 0; start < rowProblem.size(); start += config.batchRows(), batch++) {
      List<Integer> rows = rowProblem.subList(start, Math.min(rowProblem.size(), start + config.batchRows()));
      List<int[]> batchPrompts = new ArrayList<>(rows.size());
      rows.forEach(p -> batchPrompts.add(prompts.get(p)));
      // a distinct, reproducible seed per batch: the same config gives the same report
      List<Completion> completions = sampler.sample(batchPrompts, params.withSeed(params.seed() * 1_000_003L + batch));
      for (int i = 0; i < rows.size(); i++) {
        Problem problem = problems.get(rows.get(i));
        Completion completion = completions.get(i);
        Verdict verdict =
            verifier.verify(template.completionText(completion.tokens()), problem.answer(), problem.kind());
        String key =
            verdict.extracted() == null
                ? null
                : verdict.extracted().replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        judged.add(new Judged(verdict.correct(), key, completion.policyTokens(), completion.truncated()));
      }
      if (progress != null) {
        progress.accept(rows.size());
      }
    }
    return judged;
  }

  private static EvalReport report(
      List<Problem> problems, EvalConfig config, List<Judged> greedy, List<Judged> sampled) {
    int n = config.samples();
    int count = problems.size();
    double greedyCorrect = 0;
    double passAt1Sum = 0;
    Map<Integer, Double> passAtK = new TreeMap<>();
    Map<Integer, Double> majAtK = new TreeMap<>();
    config.ks().forEach(k -> {
      passAtK.put(k, 0.0);
      majAtK.put(k, 0.0);
    });
    Map<String, double[]> family = new TreeMap<>(); // problems, greedy correct, pass@1 sum
    for (int p = 0; p < count; p++) {
      String name = problems.get(p).meta() == null || problems.get(p).meta().family() == null
          ? "(none)" : problems.get(p).meta().family();
      double[] figures = family.computeIfAbsent(name, f -> new double[3]);
      figures[0]++;
      if (!greedy.isEmpty() && greedy.get(p).correct()) {
        greedyCorrect++;
        figures[1]++;
      }
      if (n > 0) {
        List<Judged> mine = sampled.subList(p * n, (p + 1) * n);
        int c = (int) mine.stream().filter(Judged::correct).count();
        passAt1Sum += (double) c / n;
        figures[2] += (double) c / n;
        List<String> answers = mine.stream().map(Judged::answerKey).toList();
        List<Boolean> correct = mine.stream().map(Judged::correct).toList();
        for (int k : config.ks()) {
          passAtK.merge(k, PassAtK.passAtK(n, c, k), Double::sum);
          majAtK.merge(k, PassAtK.majorityCorrect(answers, correct, k) ? 1.0 : 0.0, Double::sum);
        }
      }
    }
    passAtK.replaceAll((k, sum) -> sum / count);
    majAtK.replaceAll((k, sum) -> sum / count);
    List<Judged> all = new ArrayList<>(greedy);
    all.addAll(sampled);
    double truncated = all.stream().filter(Judged::truncated).count() / (double) all.size();
    double meanLength = all.stream().mapToInt(Judged::length).average().orElse(Double.NaN);
    Map<String, EvalReport.FamilyFigures> byFamily = new LinkedHashMap<>();
    family.forEach(
        (name, f) ->
            byFamily.put(
                name,
                new EvalReport.FamilyFigures(
                    (int) f[0],
                    greedy.isEmpty() ? Double.NaN : f[1] / f[0],
                    n == 0 ? Double.NaN : f[2] / f[0])));
    return new EvalReport(
        count,
        n,
        greedy.isEmpty() ? Double.NaN : greedyCorrect / count,
        n == 0 ? Double.NaN : passAt1Sum / count,
        passAtK,
        majAtK,
        truncated,
        meanLength,
        byFamily,
        config);
  }
}
