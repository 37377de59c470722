package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated responses through {@link Verifier#verify}: no exception may escape, and every
 * verdict must come back close to its deadline.
 *
 * <p>Inputs are real responses (the benchmark's cases) with 1 to 8 mutations each: inserted,
 * deleted or duplicated braces, backslashes, digits, dollars, tags, box commands, blank lines;
 * deleted and duplicated spans; truncation; now and then a blow-up to a quarter million characters.
 * One in ten inputs is random text over the same alphabet. The run is seeded ({@code
 * -Daha.fuzz.seed=N} to replay another one) and bounded: {@value #MAX_CASES} cases or {@value
 * #MAX_SECONDS} s, whichever comes first.
 *
 * <p>Timing: a verdict is bounded by its work budget (steps, the same on any machine); the
 * assertion is {@value #MAX_VERDICT_MILLIS} ms of wall time per verdict, far above what the budget
 * allows once the JIT is warm, to absorb a GC pause, JIT compilation of a newly hot path or the
 * test runner sharing the CPU. A verdict whose work the budget does not count (an unchecked loop, an
 * exponent evaluated without a cap) blows past it. The wall-clock guard must never fire.
 * The first {@value #WARM_UP_CASES} verdicts warm the JIT and are not timed.
 */
class VerifierFuzzTest {
  private static final long DEFAULT_SEED = 20_251_107L;
  private static final int MAX_CASES = 5_000;
  private static final int MAX_SECONDS = 20;
  private static final int WARM_UP_CASES = 200;
  private static final long MAX_VERDICT_MILLIS = 250;

  private static final String[] FRAGMENTS = {
    "{",
    "}",
    "{",
    "}",
    "\\",
    "\\\\",
    "$",
    "0",
    "1",
    "7",
    "9",
    "-",
    ".",
    ",",
    "^",
    "/",
    "(",
    ")",
    "[",
    "]",
    "\\{",
    "\\}",
    "\\boxed{",
    "\\boxed ",
    "\\fbox{",
    "\\frac{",
    "\\sqrt{",
    "<think>",
    "</think>",
    "<answer>",
    "</answer>",
    "####",
    "\n\n",
    "\n",
    " ",
    "the answer is ",
    "x",
    "=",
    "!",
    "9^{9^{9}}",
    "99999999999999999999"
  };

  private static final String[][] GOLDS = {
    {"1234", "numeric"},
    {"\\frac{1}{2}", "numeric"},
    {"2.5", "numeric"},
    {"-7", "numeric"},
    {"2\\sqrt{3}", "expression"},
    {"(x+1)^2", "expression"},
    {"\\{1, 2, 3\\}", "set"},
    {"(1,2)", "tuple"},
    {"[0,1)", "interval"},
    {"y=2x+1", "equation"},
    {"B", "choice"},
    {"112 from [3, 4, 25]", "countdown"},
    {"24 from [1, 3, 5, 7]", "countdown"},
    {"42", null}
  };

  /** One fuzzed verdict that broke a rule. */
  private record Failure(String rule, String response, String gold, String detail) {
    @Override
    public String toString() {
      String shown = response.length() > 300 ? response.substring(0, 300) + "…" : response;
      return rule + " (" + detail + ") gold=" + gold + " response=" + shown.replace("\n", "\\n");
    }
  }

  private static final List<Failure> escapes = new ArrayList<>();
  private static final List<Failure> slow = new ArrayList<>();
  private static final List<Failure> internalErrors = new ArrayList<>();
  private static int casesRun;
  private static long seed;

  @BeforeAll
  static void fuzz() {
    seed = Long.getLong("aha.fuzz.seed", DEFAULT_SEED);
    Random random = new Random(seed);
    Verifier verifier = new Verifier(VerifierConfig.defaults());
    List<String> seeds = new ArrayList<>();
    for (VerifierBenchmark.Case c : VerifierBenchmark.buildCases(seed)) {
      if (c.response().length() < 10_000) {
        seeds.add(c.response());
      }
    }

    long stopAt = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
    for (int i = 0; i < WARM_UP_CASES + MAX_CASES && System.nanoTime() < stopAt; i++) {
      String response =
          random.nextInt(10) == 0
              ? randomText(random)
              : mutate(seeds.get(random.nextInt(seeds.size())), random);
      String[] gold = GOLDS[random.nextInt(GOLDS.length)];
      AnswerKind kind = gold[1] == null ? null : AnswerKind.fromWire(gold[1]);

      long start = System.nanoTime();
      Verdict verdict;
      try {
        verdict = verifier.verify(response, gold[0], kind);
      } catch (Throwable e) {
        escapes.add(new Failure("exception escaped", response, gold[0], e.toString()));
        continue;
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (i < WARM_UP_CASES) {
        continue;
      }
      casesRun++;
      if (verdict == null || verdict.reason() == null || !Double.isFinite(verdict.reward())) {
        escapes.add(new Failure("malformed verdict", response, gold[0], String.valueOf(verdict)));
      } else if (verdict.reason().startsWith("internal error")) {
        internalErrors.add(new Failure("internal error", response, gold[0], verdict.reason()));
      }
      if (millis >= MAX_VERDICT_MILLIS || Budget.WALL_CLOCK_GUARD.equals(verdict.reason())) {
        slow.add(new Failure("slow verdict", response, gold[0], millis + " ms"));
      }
    }
  }

  @Test
  void noExceptionEscapesAndEveryVerdictIsWellFormed() {
    assertTrue(casesRun > 100, "only " + casesRun + " cases ran");
    assertTrue(escapes.isEmpty(), report(escapes));
  }

  @Test
  void everyVerdictReturnsCloseToItsDeadline() {
    assertTrue(slow.isEmpty(), report(slow));
  }

  /** Needs the real comparator: it promises to throw nothing but budget exceptions. */
  @Test
  void theComparatorNeverFailsInternally() {
    assertTrue(internalErrors.isEmpty(), report(internalErrors));
  }

  private static String report(List<Failure> failures) {
    StringBuilder out =
        new StringBuilder()
            .append(failures.size())
            .append(" of ")
            .append(casesRun)
            .append(" cases, seed ")
            .append(seed)
            .append(":");
    failures.stream().limit(5).forEach(f -> out.append("\n  ").append(f));
    return out.toString();
  }

  private static String randomText(Random random) {
    StringBuilder out = new StringBuilder();
    int pieces = 1 + random.nextInt(60);
    for (int i = 0; i < pieces; i++) {
      out.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
    }
    return out.toString();
  }

  private static String mutate(String original, Random random) {
    StringBuilder text = new StringBuilder(original);
    int mutations = 1 + random.nextInt(8);
    for (int m = 0; m < mutations; m++) {
      int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
      switch (random.nextInt(7)) {
        case 0, 1, 2 -> text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 3 -> {
          int end = Math.min(text.length(), at + 1 + random.nextInt(6));
          text.delete(Math.min(at, end), end);
        }
        case 4 -> {
          int end = Math.min(text.length(), at + 1 + random.nextInt(20));
          text.insert(at, text.substring(Math.min(at, end), end));
        }
        case 5 -> text.setLength(Math.min(text.length(), at));
        default -> {
          if (random.nextInt(20) == 0 && text.length() > 0) {
            // blow up: a quarter million characters, past the extraction cap
            String piece = text.toString();
            while (text.length() < 250_000) {
              text.append(piece);
            }
          } else {
            text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
          }
        }
      }
    }
    return text.toString();
  }
}
