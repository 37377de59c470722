package aha.verifier;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput of {@link Verifier} on one thread, for {@code aha bench verify}.
 *
 * <p>The cases are deterministic for a seed: plain integer answers in the shapes models write them
 * (boxed, in an answer block, GSM8K {@code ####}, "the final answer is"), then decimals, fractions,
 * expressions, sets, tuples, intervals, equations, choices, countdown, and hostile inputs (power
 * towers, huge literals, deep nesting, unclosed boxes, hedged answers, a 100k-character response).
 * About one case in eight is wrong on purpose, so the wrong path is timed too.
 *
 * <p>The run warms up on all cases, then counts verdicts for a fixed time on the plain-numeric
 * subset and on the whole mixed set. The slowest case is the one whose best of three single
 * verdicts is the largest: a best-of reading keeps a GC pause or a JIT compilation from blaming an
 * innocent case. Each case also states the verdict it expects; a benchmark that measures broken
 * verdicts measures nothing, so mismatches are counted and shown.
 */
public final class VerifierBenchmark {
  /** The throughput aimed for on plain numeric answers. */
  public static final double TARGET_PLAIN_VERDICTS_PER_SECOND = 50_000;

  private static final int SLOWEST_REPEATS = 3;

  private final VerifierConfig config;
  private final Verifier verifier;
  private final long seed;
  private final Duration warmup;
  private final Duration measure;
  private final List<Case> cases;

  /**
   * One benchmark input.
   *
   * @param name a short label, unique within the set
   * @param plainNumeric part of the plain-numeric subset
   * @param expectedCorrect the verdict a correct verifier gives
   */
  public record Case(
      String name,
      String response,
      String gold,
      AnswerKind kind,
      boolean expectedCorrect,
      boolean plainNumeric) {}

  /**
   * What was measured.
   *
   * @param seed the seed the cases were built from
   * @param plainCases size of the plain-numeric subset
   * @param plainVerdictsPerSecond verdicts per second on that subset
   * @param mixedCases size of the whole set
   * @param mixedVerdictsPerSecond verdicts per second on the whole set
   * @param slowestCase name of the case with the largest best-of-three verdict time
   * @param slowestVerdictNanos that time
   * @param unexpectedVerdicts cases whose verdict differed from the expected one
   * @param firstUnexpected the first such case with its verdict's reason, or null
   * @param mostWork the most steps of work one verdict took ({@link Verdict#work()})
   * @param mostWorkCase the case that took them
   * @param guardFirings verdicts stopped by the wall-clock guard rather than the work budget:
   *     0 unless a loop does far more work than it counts
   */
  public record Result(
      long seed,
      int plainCases,
      double plainVerdictsPerSecond,
      int mixedCases,
      double mixedVerdictsPerSecond,
      String slowestCase,
      long slowestVerdictNanos,
      int unexpectedVerdicts,
      String firstUnexpected,
      long mostWork,
      String mostWorkCase,
      int guardFirings) {

    /** A table for people. */
    public String format() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "verifier benchmark: 1 thread, seed %d%n", seed));
      out.append(
          String.format(
              Locale.ROOT, "  %-14s %6s %14s %14s%n", "subset", "cases", "verdicts/s", "target"));
      out.append(
          String.format(
              Locale.ROOT,
              "  %-14s %6d %,14.0f %,14.0f  %s%n",
              "plain numeric",
              plainCases,
              plainVerdictsPerSecond,
              TARGET_PLAIN_VERDICTS_PER_SECOND,
              plainVerdictsPerSecond >= TARGET_PLAIN_VERDICTS_PER_SECOND ? "met" : "MISSED"));
      out.append(
          String.format(
              Locale.ROOT,
              "  %-14s %6d %,14.0f %14s%n",
              "mixed",
              mixedCases,
              mixedVerdictsPerSecond,
              "-"));
      out.append(
          String.format(
              Locale.ROOT,
              "  slowest case: %s, %,d ns (best of %d)%n",
              slowestCase,
              slowestVerdictNanos,
              SLOWEST_REPEATS));
      out.append(
          String.format(
              Locale.ROOT,
              "  most work: %s, %,d steps of a budget of %,d%n",
              mostWorkCase,
              mostWork,
              Limits.DEFAULT_MAX_WORK));
      out.append(
          String.format(
              Locale.ROOT, "  wall-clock guard fired: %d of %d verdicts%n", guardFirings, mixedCases));
      out.append(
          String.format(
              Locale.ROOT, "  unexpected verdicts: %d of %d%n", unexpectedVerdicts, mixedCases));
      if (firstUnexpected != null) {
        out.append("  first unexpected: ").append(firstUnexpected).append(System.lineSeparator());
      }
      return out.toString();
    }

    /** The same figures as one JSON object. */
    public String toJson() {
      return "{\"seed\":"
          + seed
          + ",\"plainCases\":"
          + plainCases
          + ",\"plainVerdictsPerSecond\":"
          + jsonNumber(plainVerdictsPerSecond)
          + ",\"targetPlainVerdictsPerSecond\":"
          + jsonNumber(TARGET_PLAIN_VERDICTS_PER_SECOND)
          + ",\"mixedCases\":"
          + mixedCases
          + ",\"mixedVerdictsPerSecond\":"
          + jsonNumber(mixedVerdictsPerSecond)
          + ",\"slowestCase\":"
          + jsonString(slowestCase)
          + ",\"slowestVerdictNanos\":"
          + slowestVerdictNanos
          + ",\"unexpectedVerdicts\":"
          + unexpectedVerdicts
          + ",\"firstUnexpected\":"
          + jsonString(firstUnexpected)
          + ",\"mostWork\":"
          + mostWork
          + ",\"mostWorkCase\":"
          + jsonString(mostWorkCase)
          + ",\"workBudget\":"
          + Limits.DEFAULT_MAX_WORK
          + ",\"guardFirings\":"
          + guardFirings
          + "}";
    }
  }

  /**
   * A benchmark of a verifier with {@code config} on the cases for {@code seed}.
   *
   * @throws IllegalArgumentException when a duration is negative, or measure is zero
   */
  public VerifierBenchmark(VerifierConfig config, long seed, Duration warmup, Duration measure) {
    if (warmup.isNegative() || measure.isNegative() || measure.isZero()) {
      throw new IllegalArgumentException(
          "warmup must be >= 0 and measure > 0, got " + warmup + " and " + measure);
    }
    this.config = config;
    this.verifier = new Verifier(config);
    this.seed = seed;
    this.warmup = warmup;
    this.measure = measure;
    this.cases = buildCases(seed);
  }

  public VerifierConfig config() {
    return config;
  }

  public List<Case> cases() {
    return cases;
  }

  /** Warms up, measures, and returns the figures. */
  public Result run() {
    List<Case> plain = cases.stream().filter(Case::plainNumeric).toList();
    double sink = 0;

    sink += repeatFor(cases, warmup.toNanos())[1];
    double[] plainRun = repeatFor(plain, measure.toNanos());
    double[] mixedRun = repeatFor(cases, measure.toNanos());
    sink += plainRun[1] + mixedRun[1];

    String slowestCase = null;
    long slowestNanos = -1;
    int unexpected = 0;
    String firstUnexpected = null;
    long mostWork = -1;
    String mostWorkCase = null;
    int guardFirings = 0;
    for (Case c : cases) {
      long best = Long.MAX_VALUE;
      Verdict verdict = null;
      for (int repeat = 0; repeat < SLOWEST_REPEATS; repeat++) {
        long start = System.nanoTime();
        verdict = verifier.verify(c.response(), c.gold(), c.kind());
        best = Math.min(best, System.nanoTime() - start);
      }
      sink += verdict.reward();
      if (verdict.work() > mostWork) {
        mostWork = verdict.work();
        mostWorkCase = c.name();
      }
      if (Budget.WALL_CLOCK_GUARD.equals(verdict.reason())) {
        guardFirings++;
      }
      if (best > slowestNanos) {
        slowestNanos = best;
        slowestCase = c.name();
      }
      if (verdict.correct() != c.expectedCorrect()) {
        unexpected++;
        if (firstUnexpected == null) {
          firstUnexpected = c.name() + ": " + verdict.reason();
        }
      }
    }
    if (Double.isNaN(sink)) {
      // never true; reading the sink keeps the JIT from dropping the verdicts as dead code
      throw new AssertionError();
    }
    return new Result(
        seed,
        plain.size(),
        plainRun[0],
        cases.size(),
        mixedRun[0],
        slowestCase,
        slowestNanos,
        unexpected,
        firstUnexpected,
        mostWork,
        mostWorkCase,
        guardFirings);
  }

  /**
   * Verifies {@code subset} round after round for {@code nanos}; returns {verdicts/s, reward sum}.
   */
  private double[] repeatFor(List<Case> subset, long nanos) {
    long start = System.nanoTime();
    long verdicts = 0;
    double rewardSum = 0;
    long elapsed;
    do {
      for (Case c : subset) {
        rewardSum += verifier.verify(c.response(), c.gold(), c.kind()).reward();
      }
      verdicts += subset.size();
      elapsed = System.nanoTime() - start;
    } while (elapsed < nanos);
    return new double[] {verdicts * 1e9 / elapsed, rewardSum};
  }

  // ---------------------------------------------------------------- cases

  /** The deterministic case set for {@code seed}. */
  public static List<Case> buildCases(long seed) {
    Random random = new Random(seed);
    List<Case> cases = new ArrayList<>();
    addPlainIntegers(cases, random, 64);
    addMixed(cases);
    addHostile(cases);
    return List.copyOf(cases);
  }

  private static void addPlainIntegers(List<Case> cases, Random random, int count) {
    for (int i = 0; i < count; i++) {
      int a = random.nextInt(1000);
      int b = random.nextInt(1000);
      int sum = a + b;
      boolean wrong = i % 8 == 7;
      int written = wrong ? sum + 1 + random.nextInt(9) : sum;
      String response =
          switch (i % 4) {
            case 0 ->
                "We add "
                    + a
                    + " and "
                    + b
                    + ". "
                    + a
                    + " + "
                    + b
                    + " = "
                    + sum
                    + ".\nThe answer is \\boxed{"
                    + written
                    + "}.";
            case 1 ->
                "<think>\n"
                    + a
                    + " + "
                    + b
                    + " = "
                    + sum
                    + ", let me check: "
                    + sum
                    + " - "
                    + b
                    + " = "
                    + a
                    + ".\n</think>\n<answer>\\boxed{"
                    + written
                    + "}</answer>";
            case 2 ->
                "She has "
                    + a
                    + " apples and buys "
                    + b
                    + " more, so "
                    + a
                    + " + "
                    + b
                    + " = <<"
                    + a
                    + "+"
                    + b
                    + "="
                    + sum
                    + ">>"
                    + sum
                    + ".\n#### "
                    + written;
            default ->
                a + " plus " + b + " makes " + sum + ". The final answer is $" + written + "$.";
          };
      cases.add(
          new Case(
              "plain-" + i, response, Integer.toString(sum), AnswerKind.NUMERIC, !wrong, true));
    }
  }

  private static void addMixed(List<Case> cases) {
    mixed(cases, "decimal", "\\boxed{2.50}", "2.5", AnswerKind.NUMERIC, true);
    mixed(cases, "decimal-half", "\\boxed{0.5}", "\\frac{1}{2}", AnswerKind.NUMERIC, true);
    mixed(cases, "decimal-wrong", "\\boxed{0.33}", "\\frac{1}{3}", AnswerKind.NUMERIC, false);
    mixed(cases, "fraction", "\\boxed{\\frac{3}{4}}", "0.75", AnswerKind.NUMERIC, true);
    mixed(cases, "fraction-dfrac", "\\boxed{\\dfrac{6}{8}}", "\\frac34", AnswerKind.NUMERIC, true);
    mixed(cases, "fraction-negative", "\\boxed{-\\frac{1}{3}}", "-1/3", AnswerKind.NUMERIC, true);
    mixed(
        cases, "expression-sqrt", "\\boxed{2\\sqrt{3}}", "2\\sqrt{3}", AnswerKind.EXPRESSION, true);
    mixed(
        cases,
        "expression-sqrt12",
        "\\boxed{\\sqrt{12}}",
        "2\\sqrt{3}",
        AnswerKind.EXPRESSION,
        true);
    mixed(cases, "expression-square", "\\boxed{x^2+2x+1}", "(x+1)^2", AnswerKind.EXPRESSION, true);
    mixed(cases, "expression-wrong", "\\boxed{x^2+1}", "(x+1)^2", AnswerKind.EXPRESSION, false);
    mixed(
        cases, "expression-pi", "\\boxed{\\pi/2}", "\\frac{\\pi}{2}", AnswerKind.EXPRESSION, true);
    mixed(cases, "set", "\\boxed{\\{3, 1, 2\\}}", "\\{1, 2, 3\\}", AnswerKind.SET, true);
    mixed(cases, "set-wrong", "\\boxed{\\{1, 2\\}}", "\\{1, 2, 3\\}", AnswerKind.SET, false);
    mixed(cases, "tuple", "\\boxed{(1, 2)}", "(1,2)", AnswerKind.TUPLE, true);
    mixed(cases, "tuple-wrong", "\\boxed{(2, 1)}", "(1,2)", AnswerKind.TUPLE, false);
    mixed(cases, "interval", "\\boxed{[0, 1)}", "[0,1)", AnswerKind.INTERVAL, true);
    mixed(cases, "interval-wrong", "\\boxed{(0, 1)}", "[0,1)", AnswerKind.INTERVAL, false);
    mixed(cases, "equation", "\\boxed{y = 2x + 1}", "y=2x+1", AnswerKind.EQUATION, true);
    mixed(cases, "choice", "\\boxed{B}", "B", AnswerKind.CHOICE, true);
    mixed(cases, "choice-wrong", "\\boxed{C}", "B", AnswerKind.CHOICE, false);
    countdown(cases, "countdown", "(25+3)*4", "112 from [3, 4, 25]", true);
    countdown(cases, "countdown-wrong", "25*4+3", "112 from [3, 4, 25]", false);
    countdown(cases, "countdown-product", "2*3*4", "24 from [2, 3, 4]", true);
    countdown(cases, "countdown-four", "(7-3)*(5+1)", "24 from [1, 3, 5, 7]", true);
    countdown(cases, "countdown-reuse", "5*5-1", "24 from [1, 3, 5, 7]", false);
  }

  private static void addHostile(List<Case> cases) {
    mixed(cases, "hostile-power-tower", "\\boxed{9^{9^{9^{9}}}}", "1", AnswerKind.NUMERIC, false);
    mixed(
        cases,
        "hostile-huge-literal",
        "\\boxed{" + "9".repeat(5_000) + "}",
        "9",
        AnswerKind.NUMERIC,
        false);
    mixed(cases, "hostile-factorial", "\\boxed{100000!}", "1", AnswerKind.NUMERIC, false);
    mixed(
        cases,
        "hostile-deep-nesting",
        "\\boxed{" + "(".repeat(500) + "1" + ")".repeat(500) + "}",
        "1",
        AnswerKind.NUMERIC,
        false);
    mixed(cases, "hostile-unclosed", "\\boxed{5", "5", AnswerKind.NUMERIC, false);
    mixed(cases, "hostile-hedge", "\\boxed{2} or \\boxed{3}", "2", AnswerKind.NUMERIC, false);
    mixed(
        cases,
        "hostile-every-digit",
        "\\boxed{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}",
        "7",
        AnswerKind.NUMERIC,
        false);
    StringBuilder rambling = new StringBuilder(110_000);
    while (rambling.length() < 100_000) {
      rambling.append("Let me think about this again, carefully. ");
    }
    cases.add(
        new Case(
            "long-response", rambling + "\n\nThe answer is \\boxed{42}.", "42", AnswerKind.NUMERIC, true, false));
  }

  private static void mixed(
      List<Case> cases, String name, String boxed, String gold, AnswerKind kind, boolean expected) {
    String response =
        "Working through the problem step by step, we get\n\nso the answer is " + boxed + ".";
    cases.add(new Case(name, response, gold, kind, expected, false));
  }

  private static void countdown(
      List<Case> cases, String name, String expression, String gold, boolean expected) {
    String response =
        "<think>\nTry combining the numbers: "
            + expression
            + ".\n</think>\n<answer>"
            + expression
            + "</answer>";
    cases.add(new Case(name, response, gold, AnswerKind.COUNTDOWN, expected, false));
  }

  // ---------------------------------------------------------------- JSON

  private static String jsonNumber(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "null";
  }

  private static String jsonString(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
