package aha.grpo.corpus;

import aha.problems.Problem;
import aha.problems.gen.WrittenArithmetic;
import aha.verifier.Verifier;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a generated problem's solution into a {@link Trace}, written tersely or carefully ({@link
 * Routes}), with or without a self-check, so that the base model has reflection for RL to amplify.
 *
 * <p>A self-check recomputes the <em>key step</em>: the last step line that ends in the final
 * result (the answer, or for countdown the target). When a terse trace's key step is a multi-digit
 * operation written in one line, the check works it out again the careful way, an independent route: "x =
 * 726 - 348 = 388" / "Wait, let me check that carefully." / the subtraction column by column /
 * "726 - 348 = 378. I made a mistake: it is 378, not 388." A check that restated the same one-line
 * computation would carry no information for a small model: the same faulty function run twice.
 * Other key steps are restated. Two kinds:
 *
 * <ul>
 *   <li><b>confirm</b>: after the last step, an opener, the key step restated, and a confirmation:
 *       "Wait, let me check: 200 - 126 = 74. Yes, that is right."
 *   <li><b>slip</b>: the key step is written with a wrong result (off by 1, 2 or 10, or by a digit),
 *       then the very next line restates it correctly and corrects it, and the solution goes on
 *       from the right value: "Change: 200 - 126 = 75" / "Wait, let me recheck that step: 200 - 126
 *       = 74. I made a mistake: it is 74, not 75." A slip is kept only when the verifier judges the
 *       wrong value wrong, so every slip is really a mistake; the final answer is always right.
 * </ul>
 *
 * <p>With {@link CheckedSteps#EVERY}, a terse trace checks any step, not only the key one: each
 * step with a multi-digit operation is checked on its own draw, a confirmation or a caught slip
 * after that step, so a trace may hold several checks. A slip whose result does not end its line
 * ("6 + 19 = 26" of "6 + 19 = 25, so 25 - 48") is cut after the slip, and once corrected the step is
 * written again in full. Multi-step problems mostly go wrong before their last step, where a
 * key-step check cannot reach.
 *
 * <p>The phrasings ({@link #OPENERS}, {@link #CONFIRMATIONS}, {@link #CORRECTIONS}) use the
 * default reflection markers of {@code aha.grpo.reflection.ReflectionMarkers} ("wait", "let me
 * check", "double-check", "mistake", "actually", ...), so the aha detector sees them.
 */
public final class SelfChecks {

  /** What starts a self-check: each holds a reflection marker. */
  public static final List<String> OPENERS =
      List.of(
          "Wait, let me check: ",
          "Let me verify: ",
          "Hmm, let me double-check: ",
          "Wait, let me recheck that step: ",
          "Let me check that again: ");

  /** What starts a check that works the key step out again; each holds a reflection marker. */
  public static final List<String> CAREFUL_OPENERS =
      List.of(
          "Wait, let me check that carefully.",
          "Let me verify that by working it out.",
          "Hmm, let me double-check that the long way.",
          "Wait, let me recheck that step carefully.");

  /** What starts a check done with the calculator; each holds a reflection marker. */
  public static final List<String> CALCULATOR_OPENERS =
      List.of(
          "Wait, let me check that with the calculator:",
          "Let me verify that with the calculator:",
          "Hmm, let me double-check with the calculator:",
          "Wait, let me recheck that step with the calculator:");

  /** What ends a check that found the step right. */
  public static final List<String> CONFIRMATIONS =
      List.of("Yes, that is right.", "Good, that matches.", "That checks out.");

  /** What ends a check that caught a slip: %1$s is the right value, %2$s the slip. */
  public static final List<String> CORRECTIONS =
      List.of(
          "I made a mistake: it is %1$s, not %2$s.",
          "That was a mistake; it should be %1$s, not %2$s.",
          "Actually, it is %1$s, not %2$s.");

  /** Which steps of a terse trace a self-check may check. */
  public enum CheckedSteps {
    /** The key step only: the last step, ending in the final result; at most one check a trace. */
    KEY,
    /** Every step with a multi-digit operation, each on its own draw. */
    EVERY;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A number at the end of a line: an optional sign, digits, an optional fraction bar. */
  private static final Pattern TRAILING_NUMBER = Pattern.compile("(-?\\d+(?:/\\d+)?)\\s*$");

  private static final String ANSWER_PREFIX = "#### ";

  private final Verifier verifier;
  private final WrittenArithmetic.Layout layout;

  /** Self-checks whose careful working is laid out in columns, as the generators write it. */
  public SelfChecks(Verifier verifier) {
    this(verifier, WrittenArithmetic.Layout.COLUMNS);
  }

  /** Self-checks whose careful working (a careful route, a check by working) is laid out as {@code working}. */
  public SelfChecks(Verifier verifier, WrittenArithmetic.Layout working) {
    this.verifier = verifier;
    this.layout = working;
  }

  /**
   * The plain trace of a problem: its solution's steps and its final answer.
   *
   * @throws IllegalArgumentException when the problem has no solution ending in a {@code ####} line
   */
  public static Trace plain(Problem problem) {
    Parts parts = parts(problem);
    return new Trace(String.join("\n", parts.steps()), parts.answer(), Trace.Check.NONE);
  }

  /**
   * The trace of {@code problem} written by {@code route}, its self-checks drawn at {@code config}'s
   * shares: one draw for the key step, or with {@link CheckedSteps#EVERY} one per step of a terse
   * trace.
   */
  public Trace trace(Problem problem, Routes.Route route, CorpusConfig config, SplittableRandom random) {
    return trace(problem, route, config, false, random);
  }

  /**
   * The same, its checks of every step done {@code withCalculator} ({@link #checkingEveryStep});
   * a key-step check is always worked out.
   */
  public Trace trace(
      Problem problem, Routes.Route route, CorpusConfig config, boolean withCalculator, SplittableRandom random) {
    if (config.checkedSteps() == CheckedSteps.EVERY && route == Routes.Route.TERSE) {
      return checkingEveryStep(problem, route, config.selfCheckShare(), config.slipShare(), withCalculator, random);
    }
    return trace(problem, route, drawCheck(config, route, random), random);
  }

  /** A trace's key-step self-check; a careful trace draws none (its working is the check). */
  private static Trace.Check drawCheck(CorpusConfig config, Routes.Route route, SplittableRandom random) {
    if (route == Routes.Route.CAREFUL || random.nextDouble() >= config.selfCheckShare()) {
      return Trace.Check.NONE;
    }
    return random.nextDouble() < config.slipShare() ? Trace.Check.SLIP : Trace.Check.CONFIRM;
  }

  /**
   * The trace written by {@code route} in which each step with a multi-digit operation is checked
   * with probability {@code checkShare}, by working that operation out or, {@code withCalculator},
   * by calling the calculator ("Wait, let me check that with the calculator: {@code <calc>726 -
   * 348</calc><result>378</result>}. I made a mistake: it is 378, not 388."), and a check catches
   * a slip with probability {@code slipShare}.
   */
  public Trace checkingEveryStep(
      Problem problem,
      Routes.Route route,
      double checkShare,
      double slipShare,
      boolean withCalculator,
      SplittableRandom random) {
    Parts parts = parts(problem);
    List<String> steps = route.steps(problem.meta().family(), parts.steps(), layout);
    StringBuilder out = new StringBuilder();
    List<Trace.Span> slips = new ArrayList<>();
    boolean checked = false;
    for (String line : steps) {
      if (out.length() > 0) {
        out.append('\n');
      }
      Routes.Workable step = Routes.lastWorkable(line, layout);
      if (step == null || random.nextDouble() >= checkShare) {
        out.append(line);
        continue;
      }
      checked = true;
      String check =
          withCalculator
              ? pick(CALCULATOR_OPENERS, random) + " " + ToolTraces.call(step.expression(), step.result()) + ". "
              : pick(CAREFUL_OPENERS, random) + "\n" + String.join("\n", step.working()) + ". ";
      String wrong = random.nextDouble() < slipShare ? slipOf(step.result(), problem, random) : null;
      if (wrong == null) {
        out.append(line).append('\n').append(check).append(pick(CONFIRMATIONS, random));
        continue;
      }
      out.append(line, 0, step.resultStart());
      slips.add(new Trace.Span(out.length(), out.length() + wrong.length()));
      out.append(wrong);
      String rest = line.substring(step.resultEnd());
      boolean endsLine = rest.isBlank();
      out.append(endsLine ? rest : "").append('\n').append(check);
      out.append(String.format(pick(CORRECTIONS, random), step.result(), wrong));
      if (!endsLine) {
        // the step again in full, from the right value
        out.append('\n').append(line);
      }
    }
    Trace.Check check = !slips.isEmpty() ? Trace.Check.SLIP : checked ? Trace.Check.CONFIRM : Trace.Check.NONE;
    return new Trace(out.toString(), parts.answer(), check, slips);
  }

  /**
   * The trace written by {@code route} with the requested self-check. A slip that cannot be made
   * (no key step, or no wrong value the verifier rejects) falls back to a confirmation, and a
   * confirmation without a key step to no check. A careful trace holds none, its working being the
   * check already, and neither does a terse one whose key step has no multi-digit operation. The returned trace's {@link Trace#check()} says what it holds.
   */
  public Trace trace(Problem problem, Routes.Route route, Trace.Check check, SplittableRandom random) {
    Parts parts = parts(problem);
    List<String> steps = route.steps(problem.meta().family(), parts.steps(), layout);
    int key = keyStep(steps, parts.result());
    if (check == Trace.Check.NONE || key < 0 || route == Routes.Route.CAREFUL) {
      return new Trace(String.join("\n", steps), parts.answer(), Trace.Check.NONE);
    }
    String keyLine = steps.get(key);
    Matcher number = TRAILING_NUMBER.matcher(keyLine);
    number.find();
    String right = number.group(1);
    // the check: a terse key step worked out again ("...\n726 - 348 = 378"), a generated one
    // restated; a terse trace whose key step has nothing to work out holds no check, since
    // restating a one-line step runs the same faulty function twice
    List<String> working = route == Routes.Route.TERSE ? Routes.workingOf(keyLine, right, layout) : null;
    if (route == Routes.Route.TERSE && working == null) {
      return new Trace(String.join("\n", steps), parts.answer(), Trace.Check.NONE);
    }
    String restated =
        working == null
            ? pick(OPENERS, random) + restate(keyLine)
            : pick(CAREFUL_OPENERS, random) + "\n" + String.join("\n", working);
    if (check == Trace.Check.SLIP) {
      String wrong = slipOf(right, problem, random);
      if (wrong != null) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key; i++) {
          out.append(steps.get(i)).append('\n');
        }
        out.append(keyLine, 0, number.start(1));
        int slipStart = out.length();
        out.append(wrong);
        int slipEnd = out.length();
        out.append(keyLine.substring(number.end(1))).append('\n');
        out.append(restated).append(". ");
        out.append(String.format(pick(CORRECTIONS, random), right, wrong));
        for (int i = key + 1; i < steps.size(); i++) {
          out.append('\n').append(steps.get(i));
        }
        return new Trace(
            out.toString(), parts.answer(), Trace.Check.SLIP, List.of(new Trace.Span(slipStart, slipEnd)));
      }
    }
    List<String> lines = new ArrayList<>(steps);
    lines.add(restated + ". " + pick(CONFIRMATIONS, random));
    return new Trace(String.join("\n", lines), parts.answer(), Trace.Check.CONFIRM);
  }

  /** The steps of a solution, its final answer and the final result a key step ends in. */
  private record Parts(List<String> steps, String answer, String result) {}

  private static Parts parts(Problem problem) {
    String solution = problem.solution();
    if (solution == null) {
      throw new IllegalArgumentException("problem " + problem.id() + " has no solution");
    }
    List<String> lines = new ArrayList<>(Arrays.asList(solution.strip().split("\n")));
    String last = lines.remove(lines.size() - 1);
    if (!last.startsWith(ANSWER_PREFIX) || lines.isEmpty()) {
      throw new IllegalArgumentException(
          "problem " + problem.id() + ": the solution must be steps then a '#### answer' line");
    }
    String answer = last.substring(ANSWER_PREFIX.length()).strip();
    // a countdown gold reads "96 from [1, 5, 8, 100]": the steps end in the target
    String gold = problem.answer();
    int from = gold.indexOf(" from ");
    String result = from > 0 ? gold.substring(0, from).strip() : answer;
    return new Parts(lines, answer, result);
  }

  /** The last step line that ends in {@code result}, or -1. */
  private static int keyStep(List<String> steps, String result) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      Matcher number = TRAILING_NUMBER.matcher(steps.get(i));
      if (number.find() && number.group(1).equals(result)) {
        return i;
      }
    }
    return -1;
  }

  /** The computation of a step without its label: the text after the last ": ". */
  private static String restate(String line) {
    int colon = line.lastIndexOf(": ");
    return colon >= 0 ? line.substring(colon + 2) : line;
  }

  /**
   * A wrong value near {@code right} (an integer or a fraction a/b, whose numerator is changed)
   * that the verifier rejects as the problem's answer, or null when ten tries find none.
   */
  private String slipOf(String right, Problem problem, SplittableRandom random) {
    int bar = right.indexOf('/');
    String numerator = bar < 0 ? right : right.substring(0, bar);
    String rest = bar < 0 ? "" : right.substring(bar);
    long value;
    try {
      value = Long.parseLong(numerator);
    } catch (NumberFormatException e) {
      return null;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      long wrongValue = value + offset(value, random);
      String wrong = wrongValue + rest;
      if (wrong.equals(right) || wrongValue < 0 && value >= 0) {
        continue;
      }
      // a slip counts only if it would really be marked wrong as the final answer
      String response = "<think>.</think><answer>" + wrong + "</answer>";
      if (!verifier.verify(response, problem.answer(), problem.kind()).correct()) {
        return wrong;
      }
    }
    return null;
  }

  /** How far a slip lands: ±1, ±2 or ±10, or one digit off by one. */
  private static long offset(long value, SplittableRandom random) {
    long sign = random.nextBoolean() ? 1 : -1;
    return switch (random.nextInt(4)) {
      case 0 -> sign;
      case 1 -> 2 * sign;
      case 2 -> 10 * sign;
      default -> {
        int digits = Long.toString(Math.abs(value)).length();
        yield sign * (long) Math.pow(10, random.nextInt(digits));
      }
    };
  }

  private static String pick(List<String> options, SplittableRandom random) {
    return options.get(random.nextInt(options.size()));
  }
}
