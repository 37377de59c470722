package aha.problems;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a problem set contains: counts by kind, family and difficulty, and how long answers and
 * solutions are. Lengths are in characters (Unicode code points). Every map is ordered (kinds in
 * declaration order, families and difficulties sorted), so {@link #format()} and {@link #toMap()}
 * are deterministic.
 *
 * @param count number of problems
 * @param byKind kind wire name to count, only kinds that occur
 * @param byFamily family to count; problems without a family count under {@value #NO_FAMILY}
 * @param byDifficulty difficulty to count (0 = unknown, also for problems without meta)
 * @param byFamilyDifficulty family to (difficulty to count)
 * @param answerLength lengths of the gold answers
 * @param solutionLength lengths of the solutions, over the problems that have one
 * @param withSolution number of problems with a solution
 */
public record ProblemStats(
    int count,
    Map<String, Integer> byKind,
    Map<String, Integer> byFamily,
    Map<Integer, Integer> byDifficulty,
    Map<String, Map<Integer, Integer>> byFamilyDifficulty,
    Lengths answerLength,
    Lengths solutionLength,
    int withSolution) {

  /** The family shown for problems whose meta has none. */
  public static final String NO_FAMILY = "(none)";

  /**
   * A summary of lengths; all zero when {@code count} is 0.
   *
   * @param count how many lengths
   * @param min shortest
   * @param mean arithmetic mean
   * @param median middle value; the mean of the two middle ones for an even count
   * @param p90 90th percentile, nearest rank: the smallest length that at least 90% are at most
   * @param max longest
   */
  public record Lengths(int count, int min, double mean, double median, int p90, int max) {

    /** Summarizes {@code lengths}. */
    public static Lengths of(int[] lengths) {
      int n = lengths.length;
      if (n == 0) {
        return new Lengths(0, 0, 0, 0, 0, 0);
      }
      int[] sorted = lengths.clone();
      Arrays.sort(sorted);
      long sum = 0;
      for (int length : sorted) {
        sum += length;
      }
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
      int p90 = sorted[(int) Math.ceil(0.9 * n) - 1];
      return new Lengths(n, sorted[0], (double) sum / n, median, p90, sorted[n - 1]);
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("count", count);
      map.put("min", min);
      map.put("mean", mean);
      map.put("median", median);
      map.put("p90", p90);
      map.put("max", max);
      return map;
    }
  }

  public ProblemStats {
    byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    byFamily = Collections.unmodifiableMap(new TreeMap<>(byFamily));
    byDifficulty = Collections.unmodifiableMap(new TreeMap<>(byDifficulty));
    Map<String, Map<Integer, Integer>> grid = new TreeMap<>();
    byFamilyDifficulty.forEach(
        (family, row) -> grid.put(family, Collections.unmodifiableMap(new TreeMap<>(row))));
    byFamilyDifficulty = Collections.unmodifiableMap(grid);
  }

  /** Counts and measures {@code problems}. */
  public static ProblemStats of(List<Problem> problems) {
    Map<AnswerKind, Integer> kinds = new TreeMap<>();
    Map<String, Integer> families = new TreeMap<>();
    Map<Integer, Integer> difficulties = new TreeMap<>();
    Map<String, Map<Integer, Integer>> grid = new TreeMap<>();
    int[] answerLengths = new int[problems.size()];
    List<Integer> solutionLengths = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      Problem problem = problems.get(i);
      String family = familyOf(problem);
      int difficulty = problem.meta() == null ? 0 : problem.meta().difficulty();
      if (problem.kind() != null) {
        kinds.merge(problem.kind(), 1, Integer::sum);
      }
      families.merge(family, 1, Integer::sum);
      difficulties.merge(difficulty, 1, Integer::sum);
      grid.computeIfAbsent(family, f -> new TreeMap<>()).merge(difficulty, 1, Integer::sum);
      answerLengths[i] = length(problem.answer());
      if (problem.solution() != null) {
        solutionLengths.add(length(problem.solution()));
      }
    }
    Map<String, Integer> kindNames = new LinkedHashMap<>();
    kinds.forEach((kind, n) -> kindNames.put(kind.wireName(), n));
    return new ProblemStats(
        problems.size(),
        kindNames,
        families,
        difficulties,
        grid,
        Lengths.of(answerLengths),
        Lengths.of(solutionLengths.stream().mapToInt(Integer::intValue).toArray()),
        solutionLengths.size());
  }

  /** Fraction of problems with a reference solution; 0 for an empty set. */
  public double solutionFraction() {
    return count == 0 ? 0 : (double) withSolution / count;
  }

  /**
   * The same numbers as plain maps, lists and numbers, ready for a JSON writer; keys are strings.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count);
    map.put("byKind", byKind);
    map.put("byFamily", byFamily);
    map.put("byDifficulty", stringKeys(byDifficulty));
    Map<String, Object> grid = new LinkedHashMap<>();
    byFamilyDifficulty.forEach((family, row) -> grid.put(family, stringKeys(row)));
    map.put("byFamilyDifficulty", grid);
    map.put("answerLength", answerLength.toMap());
    map.put("solutionLength", solutionLength.toMap());
    map.put("withSolution", withSolution);
    map.put("solutionFraction", solutionFraction());
    return map;
  }

  /** A plain-text report: totals, kinds, a family × difficulty table, and length summaries. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "problems       %d\n", count));
    out.append(
        String.format(
            Locale.ROOT, "with solution  %d (%.1f%%)\n", withSolution, 100 * solutionFraction()));
    if (count == 0) {
      return out.toString();
    }

    out.append("\n");
    int kindWidth = Math.max(4, byKind.keySet().stream().mapToInt(String::length).max().orElse(0));
    out.append(String.format(Locale.ROOT, "%-" + kindWidth + "s  %6s\n", "kind", "count"));
    byKind.forEach(
        (kind, n) ->
            out.append(String.format(Locale.ROOT, "%-" + kindWidth + "s  %6d\n", kind, n)));

    out.append("\n");
    List<Integer> levels = new ArrayList<>(new TreeSet<>(byDifficulty.keySet()));
    int familyWidth =
        Math.max(6, byFamily.keySet().stream().mapToInt(String::length).max().orElse(0));
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-" + familyWidth + "s", "family"));
    for (int level : levels) {
      header.append(String.format(Locale.ROOT, "  %5s", "d" + level));
    }
    out.append(header).append(String.format(Locale.ROOT, "  %6s\n", "total"));
    byFamilyDifficulty.forEach(
        (family, row) -> {
          out.append(String.format(Locale.ROOT, "%-" + familyWidth + "s", family));
          for (int level : levels) {
            out.append(String.format(Locale.ROOT, "  %5d", row.getOrDefault(level, 0)));
          }
          out.append(String.format(Locale.ROOT, "  %6d\n", byFamily.get(family)));
        });
    out.append(String.format(Locale.ROOT, "%-" + familyWidth + "s", "total"));
    for (int level : levels) {
      out.append(String.format(Locale.ROOT, "  %5d", byDifficulty.get(level)));
    }
    out.append(String.format(Locale.ROOT, "  %6d\n", count));

    out.append("\n");
    String row = "%-14s  %6s  %6s  %8s  %8s  %6s  %6s\n";
    out.append(
        String.format(
            Locale.ROOT, row, "length (chars)", "n", "min", "mean", "median", "p90", "max"));
    appendLengths(out, "answer", answerLength);
    appendLengths(out, "solution", solutionLength);
    return out.toString();
  }

  private static void appendLengths(StringBuilder out, String name, Lengths lengths) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-14s  %6d  %6d  %8.1f  %8.1f  %6d  %6d\n",
            name,
            lengths.count(),
            lengths.min(),
            lengths.mean(),
            lengths.median(),
            lengths.p90(),
            lengths.max()));
  }

  private static String familyOf(Problem problem) {
    ProblemMeta meta = problem.meta();
    return meta == null || meta.family() == null ? NO_FAMILY : meta.family();
  }

  private static int length(String text) {
    return text == null ? 0 : text.codePointCount(0, text.length());
  }

  private static Map<String, Integer> stringKeys(Map<Integer, Integer> map) {
    Map<String, Integer> out = new LinkedHashMap<>();
    map.forEach((key, value) -> out.put(String.valueOf(key), value));
    return out;
  }
}
