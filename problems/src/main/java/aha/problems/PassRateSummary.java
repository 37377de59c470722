package aha.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the pass rates of a calibrated problem set spread: per family, how many problems were never
 * solved (rate 0), solved sometimes, and always solved (rate 1), with the mean rate; and the ids of
 * the never and always ones, which give GRPO no signal at the calibrated model (see {@link
 * PassRateBand}).
 *
 * @param byFamily one row per family in name order; problems without a family under "(none)"
 * @param total the row of all problems
 * @param never the ids of the problems no sample solved, in file order
 * @param always the ids of the problems every sample solved, in file order
 */
public record PassRateSummary(
    Map<String, Row> byFamily, Row total, List<String> never, List<String> always) {

  /**
   * The counts of one family.
   *
   * @param problems problems in the family
   * @param never of them, solved by no sample
   * @param between of them, solved by some samples but not all
   * @param always of them, solved by every sample
   * @param meanRate the mean pass rate; the sampled pass@1 that {@code aha eval} reports
   */
  public record Row(int problems, int never, int between, int always, double meanRate) {}

  /**
   * Summarises the pass rates of {@code problems}.
   *
   * @throws IllegalArgumentException when a problem has no pass rate
   */
  public static PassRateSummary of(List<Problem> problems) {
    Map<String, List<PassRate>> rates = new TreeMap<>();
    List<PassRate> all = new ArrayList<>();
    List<String> never = new ArrayList<>();
    List<String> always = new ArrayList<>();
    for (Problem problem : problems) {
      ProblemMeta meta = problem.meta();
      if (meta == null || meta.passRate() == null) {
        throw new IllegalArgumentException("problem \"" + problem.id() + "\" has no pass rate");
      }
      PassRate rate = meta.passRate();
      String family = meta.family() == null ? "(none)" : meta.family();
      rates.computeIfAbsent(family, f -> new ArrayList<>()).add(rate);
      all.add(rate);
      if (rate.never()) {
        never.add(problem.id());
      } else if (rate.always()) {
        always.add(problem.id());
      }
    }
    Map<String, Row> byFamily = new TreeMap<>();
    rates.forEach((family, list) -> byFamily.put(family, row(list)));
    return new PassRateSummary(byFamily, row(all), List.copyOf(never), List.copyOf(always));
  }

  private static Row row(List<PassRate> rates) {
    int never = (int) rates.stream().filter(PassRate::never).count();
    int always = (int) rates.stream().filter(PassRate::always).count();
    double mean = rates.stream().mapToDouble(PassRate::rate).average().orElse(Double.NaN);
    return new Row(rates.size(), never, rates.size() - never - always, always, mean);
  }

  /**
   * A table for people, then the never and always solved ids, at most {@code listed} of each.
   */
  public String format(int listed) {
    StringBuilder out = new StringBuilder();
    String header = "  %-16s %8s %8s %8s %8s %10s%n";
    String line = "  %-16s %8d %8d %8d %8d %9.1f%%%n";
    out.append(String.format(Locale.ROOT, header, "family", "problems", "never", "between", "always", "mean rate"));
    byFamily.forEach((family, row) -> append(out, line, family, row));
    if (byFamily.size() > 1) {
      append(out, line, "all", total);
    }
    ids(out, "never solved", never, listed);
    ids(out, "always solved", always, listed);
    return out.toString();
  }

  private static void append(StringBuilder out, String line, String name, Row row) {
    out.append(
        String.format(
            Locale.ROOT,
            line,
            name,
            row.problems(),
            row.never(),
            row.between(),
            row.always(),
            100 * row.meanRate()));
  }

  private static void ids(StringBuilder out, String what, List<String> ids, int listed) {
    if (ids.isEmpty()) {
      return;
    }
    out.append(what).append(" (").append(ids.size()).append("): ");
    out.append(String.join(", ", ids.subList(0, Math.min(listed, ids.size()))));
    if (ids.size() > listed) {
      out.append(", ... and ").append(ids.size() - listed).append(" more");
    }
    out.append('\n');
  }
}
