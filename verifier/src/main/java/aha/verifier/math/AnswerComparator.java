package aha.verifier.math;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.BudgetExceededException;
import aha.verifier.budget.Limits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares an extracted candidate answer with a gold answer of a given kind.
 *
 * <h2>When two values are equivalent</h2>
 *
 * <ol>
 *   <li><b>Exact first.</b> Numbers are exact rationals: {@code 0.5}, {@code 1/2}, {@code
 *       \frac12}, {@code 50\%}, {@code 5e-1} are one value, and {@code 1/3} is not {@code 0.333}.
 *       Without variables, when both sides evaluate to a rational (perfect roots such as {@code
 *       \sqrt{4}} included) they are compared exactly: {@code 3} is not {@code 3.0001} nor {@code
 *       3.00000000000000000000000000001}.
 *   <li><b>Irrational constants numerically.</b> Otherwise both sides are evaluated to 40
 *       significant digits and are equal when {@code |a - b| <= 1e-25 * max(|a|, |b|, 1)}; so
 *       {@code \sqrt{2}} equals {@code \frac{2}{\sqrt{2}}} but not {@code 1.41421356237} (nor any
 *       decimal short of 25 correct digits).
 *   <li><b>Expressions with variables at random points.</b> Both sides are evaluated at 12 fixed
 *       pseudo-random points (seeded, the same on every run; magnitudes in [0.3, 2.7], the first 4
 *       with all variables positive, the rest of random sign) with the same tolerance. One point
 *       where both are defined and differ makes them different; points where either side is
 *       undefined ({@code \sqrt{x}} for negative x) are skipped; at least 4 points must agree.
 *   <li><b>Equations</b> {@code l = r} are equivalent when {@code l1 - r1} is a nonzero constant
 *       multiple of {@code l2 - r2} at the random points ({@code y = 2x+1}, {@code 2x + 1 = y} and
 *       {@code y - 2x = 1} are one equation).
 * </ol>
 *
 * <h2>Rules by kind</h2>
 *
 * <ul>
 *   <li>NUMERIC, EXPRESSION: one value; a list ({@code 2, 3}) is wrong. A candidate equation is
 *       read by its value sides: sides that only name variables ({@code x}, {@code f(x)}, {@code
 *       (x, y)}) are dropped and every remaining side must equal the gold, so {@code x = 2} and
 *       {@code \frac{6}{3} = 2} are right for 2, and {@code x = 2 = 3} is wrong.
 *   <li>Percent: {@code p\%} is p/100. The sign is optional only where the gold is a percentage:
 *       gold {@code 50\%} accepts {@code 50\%}, {@code 0.5} and {@code 50}; gold {@code 50}
 *       rejects {@code 50\%}, gold {@code 1/2} rejects {@code \frac12\%}, gold {@code 0.5} accepts
 *       {@code 50\%}.
 *   <li>TUPLE: ordered, same length, element by element; brackets (), [], ⟨⟩ or none.
 *   <li>SET: unordered and duplicates ignored, as for mathematical sets: {@code \{1, 2\}}, {@code
 *       {1,2}}, {@code 1, 2}, {@code x = 1 or x = 2} are one set, {@code \{1, 1, 2\}} equals {@code
 *       \{1, 2\}}. Every gold element must be matched and every candidate element must match.
 *       A {@code \pm} makes two elements: {@code 1 \pm \sqrt{2}} is {@code \{1+\sqrt{2},
 *       1-\sqrt{2}\}}.
 *   <li>INTERVAL: ends compared as values and brackets must agree (a bracket next to ±∞ is not
 *       judged); unions with {@code \cup} compared as unordered collections; {@code x \in} is
 *       ignored.
 *   <li>EQUATION: as above; a bare value matches a gold equation whose other side is a lone
 *       variable ({@code 2} for {@code x = 2}).
 *   <li>CHOICE: one letter, written {@code B}, {@code (B)}, {@code B)}, {@code \text{(B)}}, {@code
 *       (B) 42}; case-insensitive. {@code A, B} is wrong.
 *   <li>COUNTDOWN: see {@link CountdownGold} and {@code CountdownJudge}.
 * </ul>
 *
 * <h2>Hostile answers</h2>
 *
 * Caps from {@link Limits} are checked before work is done: input length, digits of each literal
 * and of every exact intermediate result, integer exponents, factorial arguments and nesting depth
 * (so ten thousand nested parentheses fail in microseconds, never with a StackOverflowError). A cap
 * makes the answer wrong with a reason naming the cap; parse errors read "could not parse: ...".
 * Only an exceeded deadline is thrown, as {@link BudgetExceededException}.
 *
 * <p>Plain decimal numbers on both sides ({@code "42"} against {@code "42"}) skip the parser.
 */
public final class AnswerComparator {
  private AnswerComparator() {}

  /** The outcome of one comparison; {@code reason} is a short phrase for the verdict. */
  public record Match(boolean equivalent, String reason) {}

  /** A gold answer that cannot be read as its kind; reported as a wrong answer with this reason. */
  private static final class GoldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GoldException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Pattern INTERVAL_MEMBERSHIP = Pattern.compile("^\\s*[A-Za-z]\\s*\\\\in(?![A-Za-z])");
  private static final Pattern CHOICE_WRAPPER =
      Pattern.compile("\\\\(?:text|textbf|textrm|mathrm|mathbf|mbox)\\s*\\{([^{}]*)\\}");
  private static final Pattern CHOICE_ALONE =
      Pattern.compile(
          "(?i:(?:option|choice|answer)\\s*:?\\s*)?[(\\[]?\\s*([A-Za-z])\\s*[)\\]]?\\s*[.:]?\\s*");
  /** A labelled option followed by its text, {@code (B) 42} or {@code B) 42}. */
  private static final Pattern CHOICE_WITH_TEXT = Pattern.compile("(?:\\(([A-Za-z])\\)|([A-Z])[).:])\\s+\\S.*");
  /**
   * What cannot follow a labelled option if the answer is to name one option: another label
   * ({@code (C)}) anywhere, or a joiner ({@code or C}, {@code and C}, {@code , C}, {@code / C}).
   */
  private static final Pattern SECOND_CHOICE =
      Pattern.compile("\\([A-Za-z]\\)|^\\s*(?:(?i:or|and|nor|plus)\\b|[,/&+;])");
  private static final Pattern CHOICE_GOLD = Pattern.compile("\\s*\\(?[A-E]\\)?\\s*");

  /**
   * Compares candidate text (already extracted from a response, no \boxed wrapper) with the gold.
   * Never throws except {@link aha.verifier.budget.BudgetExceededException}.
   */
  public static Match compare(String candidate, String gold, AnswerKind kind, Budget budget) {
    if (gold == null || kind == null) {
      return new Match(false, "gold: missing");
    }
    if (candidate == null || candidate.isBlank()) {
      return new Match(false, "empty answer");
    }
    if (candidate.length() > budget.limits().maxInputChars()) {
      return new Match(
          false,
          "input length " + candidate.length() + " exceeds the cap of " + budget.limits().maxInputChars());
    }
    try {
      if (kind == AnswerKind.NUMERIC || kind == AnswerKind.EXPRESSION) {
        BigDecimal plainCandidate = plainNumber(candidate, budget.limits());
        BigDecimal plainGold = plainCandidate == null ? null : plainNumber(gold, budget.limits());
        if (plainGold != null) {
          return plainCandidate.compareTo(plainGold) == 0
              ? new Match(true, "equal numbers")
              : new Match(false, "numbers differ");
        }
      }
      return switch (kind) {
        case NUMERIC, EXPRESSION -> compareValues(candidate, gold, budget);
        case EQUATION -> compareEquations(candidate, gold, budget);
        case TUPLE -> compareTuples(candidate, gold, budget);
        case SET -> compareSets(candidate, gold, budget);
        case INTERVAL -> compareIntervals(candidate, gold, budget);
        case CHOICE -> compareChoices(candidate, gold);
        case COUNTDOWN -> CountdownJudge.judge(candidate, readCountdownGold(gold), budget);
      };
    } catch (GoldException e) {
      return new Match(false, e.getMessage());
    } catch (AnswerParseException e) {
      return new Match(false, "could not parse: " + e.getMessage());
    } catch (UndefinedValueException e) {
      return new Match(false, "undefined: " + e.getMessage());
    } catch (BudgetExceededException e) {
      if (budget.expired()) {
        throw e;
      }
      return new Match(false, e.getMessage());
    } catch (RuntimeException e) {
      // a bug must cost one verdict, not the verifier worker; the reason makes it findable
      return new Match(false, "could not evaluate: " + e);
    }
  }

  /**
   * Checks that a gold answer parses as its kind.
   *
   * @return null when it does, else a one-line reason
   */
  public static String goldProblem(String gold, AnswerKind kind, Budget budget) {
    if (gold == null || gold.isBlank()) {
      return "gold answer is empty";
    }
    try {
      switch (kind) {
        case NUMERIC, EXPRESSION -> {
          Expr value = goldValue(gold, budget);
          if (kind == AnswerKind.NUMERIC) {
            TreeSet<String> variables = new TreeSet<>();
            Expr.collectVariables(value, variables);
            if (!variables.isEmpty()) {
              return "numeric gold has variables " + variables;
            }
            if (Equivalence.infinitySign(value) == 0) {
              new NumericEvaluator(budget, Map.of(), true).evaluate(value);
            }
          }
        }
        case EQUATION -> goldEquation(gold, budget);
        case TUPLE -> goldTuple(gold, budget);
        case SET -> goldSet(gold, budget);
        case INTERVAL -> goldIntervals(gold, budget);
        case CHOICE -> goldChoice(gold);
        case COUNTDOWN -> readCountdownGold(gold);
      }
      return null;
    } catch (GoldException e) {
      return e.getMessage();
    } catch (UndefinedValueException e) {
      return "gold is undefined: " + e.getMessage();
    } catch (AnswerParseException e) {
      return "gold could not be parsed: " + e.getMessage();
    } catch (BudgetExceededException e) {
      return "gold: " + e.getMessage();
    } catch (RuntimeException e) {
      return "gold could not be evaluated: " + e;
    }
  }

  /** Guesses the kind of a gold answer written without one (numeric, set, tuple, interval, ...). */
  public static AnswerKind inferKind(String gold) {
    if (gold == null || gold.isBlank()) {
      return AnswerKind.EXPRESSION;
    }
    if (CountdownGold.looksLikeCountdown(gold)) {
      return AnswerKind.COUNTDOWN;
    }
    if (CHOICE_GOLD.matcher(gold).matches()) {
      return AnswerKind.CHOICE;
    }
    if (Inequalities.asIntervals(gold) != null) {
      return AnswerKind.INTERVAL; // "x \\ge -1", "\\mathbb{R}\\setminus\\{0\\}"
    }
    if (PLUS_MINUS.matcher(gold).find() || gold.indexOf('\u00b1') >= 0) {
      return AnswerKind.SET; // "\\pm 5" is the two values 5 and -5
    }
    Budget budget = Budget.unlimitedTime(Limits.defaults());
    try {
      Expr scalar = LatexParser.parse(gold, false, budget);
      if (!(scalar instanceof Expr.Group || scalar instanceof Expr.Union || scalar instanceof Expr.Equation)) {
        return isRationalConstant(scalar, budget) ? AnswerKind.NUMERIC : AnswerKind.EXPRESSION;
      }
      Expr structured = LatexParser.parse(gold, true, budget);
      if (structured instanceof Expr.Union) {
        return AnswerKind.INTERVAL;
      }
      if (structured instanceof Expr.Equation) {
        return AnswerKind.EQUATION;
      }
      if (structured instanceof Expr.Group group) {
        if (group.open() == '{' || group.open() == '\0') {
          return AnswerKind.SET;
        }
        boolean twoEnds = group.items().size() == 2;
        boolean infiniteEnd = group.items().stream().anyMatch(item -> Equivalence.infinitySign(item) != 0);
        boolean intervalBrackets = group.open() == '[' || group.close() == ']';
        if (twoEnds && (infiniteEnd || intervalBrackets)) {
          return AnswerKind.INTERVAL;
        }
        return AnswerKind.TUPLE;
      }
    } catch (RuntimeException e) {
      // unreadable gold: EXPRESSION, whose goldProblem will report why
    }
    return AnswerKind.EXPRESSION;
  }

  private static boolean isRationalConstant(Expr expr, Budget budget) {
    TreeSet<String> variables = new TreeSet<>();
    Expr.collectVariables(expr, variables);
    return variables.isEmpty() && new ExactEvaluator(budget, true).tryEvaluate(expr) != null;
  }

  // ---- single values --------------------------------------------------------------------------

  private static Match compareValues(String candidate, String gold, Budget budget) {
    Expr goldValue = goldValue(gold, budget);
    Expr parsed = LatexParser.parse(candidate, false, budget);
    if (parsed instanceof Expr.Group || parsed instanceof Expr.Union) {
      return new Match(false, "a list where one value was expected");
    }
    if (parsed instanceof Expr.Equation equation) {
      return allSidesMatch(valueSides(equation), goldValue, budget);
    }
    return Equivalence.values(parsed, goldValue, budget);
  }

  private static Match allSidesMatch(List<Expr> sides, Expr gold, Budget budget) {
    if (sides.isEmpty()) {
      return new Match(false, "the equation states no value");
    }
    Match last = null;
    for (Expr side : sides) {
      last = elementMatch(side, gold, budget);
      if (!last.equivalent()) {
        return last;
      }
    }
    return last;
  }

  private static Expr goldValue(String gold, Budget budget) {
    Expr parsed = parseGold(gold, false, budget);
    if (parsed instanceof Expr.Group || parsed instanceof Expr.Union) {
      throw new GoldException("gold is a list, not a single value");
    }
    if (parsed instanceof Expr.Equation equation) {
      List<Expr> sides = valueSides(equation);
      if (sides.size() != 1) {
        throw new GoldException("gold equation does not state one value");
      }
      return sides.get(0);
    }
    return parsed;
  }

  private static Expr parseGold(String gold, boolean listContext, Budget budget) {
    try {
      return LatexParser.parse(gold, listContext, budget);
    } catch (AnswerParseException e) {
      throw new GoldException("gold could not be parsed: " + e.getMessage());
    } catch (BudgetExceededException e) {
      if (budget.expired()) {
        throw e;
      }
      throw new GoldException("gold: " + e.getMessage());
    }
  }

  /**
   * The sides of an equation that state values: sides that only name variables ({@code x}, {@code
   * f(x)}, {@code (x, y)}) or a function at a point ({@code g(2)}) are labels and dropped.
   */
  private static List<Expr> valueSides(Expr.Equation equation) {
    List<Expr> sides = new ArrayList<>();
    for (Expr side : equation.sides()) {
      if (!isLabel(side)) {
        sides.add(side);
      }
    }
    return sides;
  }

  private static boolean isLabel(Expr expr) {
    if (expr instanceof Expr.Var) {
      return true;
    }
    if (isApplication(expr)) {
      return true; // "g(2) = 7": the value of g at 2 is 7
    }
    if (expr instanceof Expr.Product product) {
      return product.factors().stream()
          .allMatch(f -> f.operator() != Expr.Operator.DIVIDE && isLabel(f.value()));
    }
    if (expr instanceof Expr.Group group) {
      return !group.items().isEmpty() && group.items().stream().allMatch(AnswerComparator::isLabel);
    }
    return false;
  }

  /**
   * {@code g(2)}, {@code f(1, x)}: a name applied to plain arguments (numbers and variables). The
   * parser keeps no parentheses around one argument, so {@code g(2)} reads as the name times 2.
   */
  private static boolean isApplication(Expr expr) {
    if (!(expr instanceof Expr.Product product)
        || product.factors().size() != 2
        || !(product.factors().get(0).value() instanceof Expr.Var)
        || product.factors().get(1).operator() == Expr.Operator.DIVIDE) {
      return false;
    }
    Expr argument = product.factors().get(1).value();
    if (argument instanceof Expr.Num) {
      return true;
    }
    return argument instanceof Expr.Group group
        && group.open() == '('
        && !group.items().isEmpty()
        && group.items().stream().allMatch(item -> item instanceof Expr.Var || item instanceof Expr.Num);
  }

  /** Unwraps {@code x = value} to the value when the equation has exactly one value side. */
  private static Expr unlabelled(Expr expr) {
    if (expr instanceof Expr.Equation equation) {
      List<Expr> sides = valueSides(equation);
      if (sides.size() == 1) {
        return sides.get(0);
      }
    }
    return expr;
  }

  /** Values, or tuples of values, compared recursively. */
  private static Match elementMatch(Expr candidate, Expr gold, Budget budget) {
    budget.check();
    candidate = unlabelled(candidate);
    if (gold instanceof Expr.Group goldGroup) {
      if (!(candidate instanceof Expr.Group candidateGroup) || candidateGroup.open() == '{') {
        return new Match(false, "expected a tuple");
      }
      return tupleMatch(candidateGroup.items(), goldGroup.items(), budget);
    }
    if (candidate instanceof Expr.Group || candidate instanceof Expr.Equation
        || candidate instanceof Expr.Union) {
      return new Match(false, "expected a single value");
    }
    try {
      return Equivalence.values(candidate, gold, budget);
    } catch (UndefinedValueException e) {
      return new Match(false, "undefined: " + e.getMessage());
    }
  }

  // ---- equations ------------------------------------------------------------------------------

  private static Match compareEquations(String candidate, String gold, Budget budget) {
    Expr.Equation goldEquation = goldEquation(gold, budget);
    Expr parsed = LatexParser.parse(candidate, false, budget);
    if (parsed instanceof Expr.Equation equation) {
      if (equation.sides().size() != 2) {
        return new Match(false, "a chain of equations where one was expected");
      }
      return Equivalence.equations(equation, goldEquation, budget);
    }
    List<Expr> goldValues = valueSides(goldEquation);
    if (goldValues.size() == 1 && !(parsed instanceof Expr.Group || parsed instanceof Expr.Union)) {
      return Equivalence.values(parsed, goldValues.get(0), budget);
    }
    return new Match(false, "expected an equation");
  }

  private static Expr.Equation goldEquation(String gold, Budget budget) {
    Expr parsed = parseGold(gold, false, budget);
    if (!(parsed instanceof Expr.Equation equation) || equation.sides().size() != 2) {
      throw new GoldException("gold is not one equation");
    }
    return equation;
  }

  // ---- tuples and sets ------------------------------------------------------------------------

  private static Match compareTuples(String candidate, String gold, Budget budget) {
    Expr.Group goldGroup = goldTuple(gold, budget);
    Expr parsed = unlabelled(LatexParser.parse(candidate, true, budget));
    if (!(parsed instanceof Expr.Group group) || group.open() == '{') {
      return new Match(false, "expected a tuple");
    }
    // "(0, 1)" is a pair or an open interval: the brackets are part of the answer, so "[0, 1]"
    // and "(0, 1]" (other intervals) are not it; a bare "0, 1" claims no interval
    if (goldGroup.items().size() == 2
        && goldGroup.open() == '('
        && group.open() != '\0'
        && (group.open() != '(' || group.close() != ')')) {
      return new Match(false, "brackets differ: a pair or open interval is written ( )");
    }
    return tupleMatch(group.items(), goldGroup.items(), budget);
  }

  private static Expr.Group goldTuple(String gold, Budget budget) {
    Expr parsed = unlabelled(parseGold(gold, true, budget));
    if (!(parsed instanceof Expr.Group group) || group.open() == '{') {
      throw new GoldException("gold is not a tuple");
    }
    return group;
  }

  private static Match tupleMatch(List<Expr> candidate, List<Expr> gold, Budget budget) {
    if (candidate.size() != gold.size()) {
      return new Match(false, candidate.size() + " elements where " + gold.size() + " were expected");
    }
    for (int i = 0; i < gold.size(); i++) {
      Match element = elementMatch(candidate.get(i), gold.get(i), budget);
      if (!element.equivalent()) {
        return new Match(false, "element " + (i + 1) + ": " + element.reason());
      }
    }
    return new Match(true, "all " + gold.size() + " elements equal");
  }

  private static Match compareSets(String candidate, String gold, Budget budget) {
    List<Expr> goldElements = goldSet(gold, budget);
    List<Expr> candidateElements = new ArrayList<>();
    for (String variant : plusMinusVariants(candidate)) {
      candidateElements.addAll(setElements(LatexParser.parse(variant, true, budget)));
    }
    for (Expr goldElement : goldElements) {
      if (!containsEquivalent(candidateElements, goldElement, budget)) {
        return new Match(false, "missing an element of the gold set");
      }
    }
    for (Expr candidateElement : candidateElements) {
      if (!goldElements.stream().anyMatch(g -> elementMatch(candidateElement, g, budget).equivalent())) {
        return new Match(false, "an element not in the gold set");
      }
    }
    return new Match(true, "equal sets");
  }

  private static boolean containsEquivalent(List<Expr> candidates, Expr gold, Budget budget) {
    for (Expr candidate : candidates) {
      if (elementMatch(candidate, gold, budget).equivalent()) {
        return true;
      }
    }
    return false;
  }

  private static List<Expr> goldSet(String gold, Budget budget) {
    List<Expr> elements = new ArrayList<>();
    for (String variant : plusMinusVariants(gold)) {
      elements.addAll(setElements(parseGold(variant, true, budget)));
    }
    return elements;
  }

  /**
   * {@code 1 \pm \sqrt{2}} in a set stands for two elements: the text with every ± read as +,
   * and with every ± read as − (∓ the other way). Each element may carry its own ±; an element
   * with two of them gets only the two matching sign choices.
   */
  private static List<String> plusMinusVariants(String text) {
    if (!text.contains("\\pm") && !text.contains("\\mp") && text.indexOf('\u00b1') < 0) {
      return List.of(text);
    }
    String plusMinus = PLUS_MINUS.matcher(text.replace("\u00b1", "\\pm ")).replaceAll("\u0000$1");
    return List.of(
        plusMinus.replace("\u0000pm", "+").replace("\u0000mp", "-"),
        plusMinus.replace("\u0000pm", "-").replace("\u0000mp", "+"));
  }

  private static final Pattern PLUS_MINUS = Pattern.compile("\\\\(pm|mp)(?![A-Za-z])");

  /** The elements of {@code \{...\}}, {@code {...}}, a bare list, or a single value. */
  private static List<Expr> setElements(Expr parsed) {
    Expr unwrapped = unlabelled(parsed);
    if (unwrapped instanceof Expr.Group group && (group.open() == '{' || group.open() == '\0')) {
      List<Expr> elements = new ArrayList<>(group.items().size());
      for (Expr item : group.items()) {
        elements.add(unlabelled(item));
      }
      return elements;
    }
    return List.of(unwrapped);
  }

  // ---- intervals ------------------------------------------------------------------------------

  private record Interval(boolean closedLow, Expr low, Expr high, boolean closedHigh) {}

  private static Match compareIntervals(String candidate, String gold, Budget budget) {
    List<Interval> goldIntervals = goldIntervals(gold, budget);
    String written = Inequalities.asIntervals(candidate);
    List<Interval> candidateIntervals =
        intervals(LatexParser.parse(stripMembership(written != null ? written : candidate), true, budget));
    if (candidateIntervals == null) {
      return new Match(false, "expected an interval");
    }
    if (candidateIntervals.size() != goldIntervals.size()) {
      return new Match(false, candidateIntervals.size() + " intervals where " + goldIntervals.size() + " were expected");
    }
    boolean[] used = new boolean[candidateIntervals.size()];
    for (Interval goldInterval : goldIntervals) {
      boolean found = false;
      for (int i = 0; i < candidateIntervals.size() && !found; i++) {
        if (!used[i] && sameInterval(candidateIntervals.get(i), goldInterval, budget)) {
          used[i] = true;
          found = true;
        }
      }
      if (!found) {
        return new Match(false, "intervals differ");
      }
    }
    return new Match(true, "equal intervals");
  }

  private static List<Interval> goldIntervals(String gold, Budget budget) {
    String written = Inequalities.asIntervals(gold);
    List<Interval> intervals = intervals(parseGold(stripMembership(written != null ? written : gold), true, budget));
    if (intervals == null) {
      throw new GoldException("gold is not an interval or a union of intervals");
    }
    return intervals;
  }

  private static String stripMembership(String text) {
    return INTERVAL_MEMBERSHIP.matcher(text).replaceFirst("");
  }

  /** The intervals of {@code [a, b)} or a {@code \cup} union of them; null when not intervals. */
  private static List<Interval> intervals(Expr parsed) {
    List<Expr> parts = parsed instanceof Expr.Union union ? union.parts() : List.of(parsed);
    List<Interval> intervals = new ArrayList<>(parts.size());
    for (Expr part : parts) {
      if (!(part instanceof Expr.Group group)
          || group.items().size() != 2
          || (group.open() != '(' && group.open() != '[')) {
        return null;
      }
      intervals.add(new Interval(group.open() == '[', group.items().get(0), group.items().get(1), group.close() == ']'));
    }
    return intervals;
  }

  private static boolean sameInterval(Interval candidate, Interval gold, Budget budget) {
    return sameEnd(candidate.low(), candidate.closedLow(), gold.low(), gold.closedLow(), budget)
        && sameEnd(candidate.high(), candidate.closedHigh(), gold.high(), gold.closedHigh(), budget);
  }

  private static boolean sameEnd(Expr candidate, boolean candidateClosed, Expr gold, boolean goldClosed, Budget budget) {
    boolean infinite = Equivalence.infinitySign(gold) != 0;
    if (!infinite && candidateClosed != goldClosed) {
      return false;
    }
    return elementMatch(candidate, gold, budget).equivalent();
  }

  // ---- choices and countdown ------------------------------------------------------------------

  private static Match compareChoices(String candidate, String gold) {
    String goldLetter = goldChoice(gold);
    String letter = choiceLetter(candidate);
    if (letter == null) {
      return new Match(false, "not a single choice letter");
    }
    return letter.equals(goldLetter)
        ? new Match(true, "same choice")
        : new Match(false, "chose " + letter + ", not " + goldLetter);
  }

  private static String goldChoice(String gold) {
    String letter = choiceLetter(gold);
    if (letter == null) {
      throw new GoldException("gold is not a choice letter");
    }
    return letter;
  }

  /** The upper-case letter of a choice answer, or null when the text is not one choice. */
  static String choiceLetter(String text) {
    String s = text.replace("$", "").strip();
    for (int i = 0; i < 3 && s.indexOf('\\') >= 0; i++) {
      s = CHOICE_WRAPPER.matcher(s).replaceAll("$1").strip();
    }
    Matcher alone = CHOICE_ALONE.matcher(s);
    if (alone.matches()) {
      return alone.group(1).toUpperCase(Locale.ROOT);
    }
    Matcher withText = CHOICE_WITH_TEXT.matcher(s);
    if (withText.matches()) {
      String letter = withText.group(1) != null ? withText.group(1) : withText.group(2);
      int labelEnd = withText.group(1) != null ? withText.end(1) + 1 : withText.end(2) + 1;
      if (SECOND_CHOICE.matcher(s.substring(labelEnd)).find()) {
        return null; // "(B) or (C)", "(B) and (C)": two options named, not one
      }
      return letter.toUpperCase(Locale.ROOT);
    }
    return null;
  }

  private static CountdownGold readCountdownGold(String gold) {
    try {
      return CountdownGold.parse(gold);
    } catch (IllegalArgumentException e) {
      throw new GoldException("gold: " + e.getMessage());
    }
  }

  // ---- fast path ------------------------------------------------------------------------------

  /** {@code [+-]?digits[.digits]} as a BigDecimal, else null; no allocation before it is sure. */
  private static BigDecimal plainNumber(String text, Limits limits) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == ' ') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == ' ') {
      end--;
    }
    int i = start;
    if (i < end && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      i++;
    }
    int digits = 0;
    boolean point = false;
    for (; i < end; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point && digits > 0 && i + 1 < end) {
        point = true;
      } else {
        return null;
      }
    }
    if (digits == 0 || digits > limits.maxDigits()) {
      return null;
    }
    return new BigDecimal(text.substring(start, end));
  }
}
