package aha.grpo.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one evaluation. Rates are fractions in [0, 1]; NaN where not measured (no greedy
 * pass, or no samples).
 *
 * @param problems problems evaluated
 * @param samples sampled completions per problem (n)
 * @param passAt1Greedy share of problems whose greedy completion is correct
 * @param passAt1 mean over problems of c/n
 * @param passAtK unbiased pass@k for each requested k
 * @param majAtK majority-vote accuracy over the first k samples for each requested k
 * @param truncated share of all completions (greedy and sampled) cut at the token limit
 * @param meanLength mean completion length over all completions, in tokens the policy wrote (a
 *     tool's injected answers are not counted)
 * @param byFamily the same pass@1 figures per problem family
 * @param protocol how the figures were measured (samples, temperature, token limit, seed)
 */
public record EvalReport(
    int problems,
    int samples,
    double passAt1Greedy,
    double passAt1,
    Map<Integer, Double> passAtK,
    Map<Integer, Double> majAtK,
    double truncated,
    double meanLength,
    Map<String, FamilyFigures> byFamily,
    EvalConfig protocol) {

  /** pass@1 figures of one family. */
  public record FamilyFigures(int problems, double passAt1Greedy, double passAt1) {}

  /** A table for people. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d problems; %s%n", problems, protocol.describe()));
    row(out, "pass@1 (greedy)", passAt1Greedy);
    row(out, "pass@1 (sampled)", passAt1);
    // pass@1 from n samples is the sampled pass@1 row above
    passAtK.forEach((k, value) -> {
      if (k != 1) {
        row(out, "pass@" + k, value);
      }
    });
    majAtK.forEach((k, value) -> row(out, "maj@" + k, value));
    row(out, "truncated", truncated);
    out.append(String.format(Locale.ROOT, "  %-18s %8.1f tokens%n", "mean length", meanLength));
    if (byFamily.size() > 1) {
      out.append(String.format(Locale.ROOT, "%n  %-16s %8s %10s %10s%n", "family", "problems", "greedy", "sampled"));
      byFamily.forEach(
          (family, figures) ->
              out.append(
                  String.format(
                      Locale.ROOT,
                      "  %-16s %8d %10s %10s%n",
                      family,
                      figures.problems(),
                      percent(figures.passAt1Greedy()),
                      percent(figures.passAt1()))));
    }
    return out.toString();
  }

  /**
   * One line for a log: "greedy pass@1 30.5%, sampled pass@1 20.4%, pass@8 45.3% (256 problems;
   * greedy + 8 samples at temperature 0.8, at most 256 new tokens, seed 1)".
   */
  public String headline() {
    List<String> figures = new ArrayList<>();
    if (!Double.isNaN(passAt1Greedy)) {
      figures.add("greedy pass@1 " + percent(passAt1Greedy));
    }
    if (!Double.isNaN(passAt1)) {
      figures.add("sampled pass@1 " + percent(passAt1));
    }
    passAtK.forEach((k, value) -> {
      if (k != 1) {
        figures.add("pass@" + k + " " + percent(value));
      }
    });
    return String.join(", ", figures) + String.format(Locale.ROOT, " (%d problems; %s)", problems, protocol.describe());
  }

  /** The report as JSON, keys as in docs/run-format.md ({@code pass@1}, {@code maj@8}, …). */
  public String toJson(long step) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode node = mapper.createObjectNode();
    node.put("step", step);
    node.put("problems", problems);
    node.put("samples", samples);
    ObjectNode how = node.putObject("protocol");
    how.put("greedy", protocol.greedy());
    how.put("temperature", protocol.temperature());
    how.put("top_p", protocol.topP());
    how.put("max_new_tokens", protocol.maxNewTokens());
    how.put("seed", protocol.seed());
    how.put("text", protocol.describe());
    put(node, "pass@1_greedy", passAt1Greedy);
    put(node, "pass@1", passAt1);
    passAtK.forEach((k, value) -> put(node, "pass@" + k, value));
    majAtK.forEach((k, value) -> put(node, "maj@" + k, value));
    put(node, "truncated", truncated);
    put(node, "mean_length", meanLength);
    ObjectNode families = node.putObject("by_family");
    byFamily.forEach(
        (family, figures) -> {
          ObjectNode f = families.putObject(family);
          f.put("problems", figures.problems());
          put(f, "pass@1_greedy", figures.passAt1Greedy());
          put(f, "pass@1", figures.passAt1());
        });
    try {
      return mapper.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(ObjectNode node, String key, double value) {
    if (Double.isNaN(value)) {
      node.putNull(key);
    } else {
      node.put(key, value);
    }
  }

  private static void row(StringBuilder out, String name, double value) {
    out.append(String.format(Locale.ROOT, "  %-18s %8s%n", name, percent(value)));
  }

  /** A rate as people read it: {@code 19.1%}, or {@code -} where it was not measured (NaN). */
  public static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * value);
  }
}
