package aha.grpo.corpus;

import aha.problems.gen.WrittenArithmetic;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ways to write the same solution, so that the base model holds a choice for RL to make. Besides
 * the solution as the generator wrote it ({@link Route#GENERATED}):
 *
 * <ul>
 *   <li><b>terse</b>: every operation in one line, multi-digit ones included ("x = 726 - 348 =
 *       378", "961 * 61 = 58621"). Short, and where a small model errs.
 *   <li><b>careful</b>: every multi-digit operation worked out first, digit by digit ({@link
 *       WrittenArithmetic}), then the same line. Longer, and more often right.
 * </ul>
 *
 * <p>Which one a trace takes is drawn at random ({@code CorpusConfig.carefulShare} and {@code
 * terseShare}), not by difficulty, so the SFT model takes the careful route only part of the time and GRPO can learn
 * where it pays. The same working checks a terse result by an independent route in a self-check
 * ({@link SelfChecks}).
 *
 * <p>The generators write the addition and multiplication families carefully already; their terse
 * form is the result line alone. Every other family is written tersely, and its careful form adds
 * the working of each <em>multi-digit</em> operation: + and - where a number has two or more digits,
 * and * of a number of two or more digits by one of at least 2. One-digit facts stay as they are.
 */
public final class Routes {

  /**
   * "a op b = c" with a, b and c plain integers: not part of a fraction ("3/8 - 1/8"), not a
   * negative number ("-64 + 28") and not inside parentheses' arithmetic ("(8 - 1)/10").
   */
  private static final Pattern EQUATION =
      Pattern.compile("(?<![\\d/(-])(\\d+) ([-+*]) (\\d+) = (-?\\d+)(?![\\d/)])");

  /** A one-digit multiplication line of the generators: "347 * 8: 7 * 8 = 56, ..., so 2776". */
  private static final Pattern SHORT_MULTIPLICATION = Pattern.compile("^(\\d+) \\* (\\d+): .*, so (\\d+)$");

  private static final String ADDITION = "addition";
  private static final String MULTIPLICATION = "multiplication";

  private Routes() {}

  /** How a trace writes its solution. */
  public enum Route {
    /** As the problem's generator wrote it (the addition and multiplication families carefully). */
    GENERATED,
    /** {@link Routes#terse}. */
    TERSE,
    /** {@link Routes#careful}. */
    CAREFUL;

    /** The steps of a {@code family} solution written this way, careful working laid out as {@code layout}. */
    public List<String> steps(String family, List<String> generated, WrittenArithmetic.Layout layout) {
      return switch (this) {
        case GENERATED -> layout == WrittenArithmetic.Layout.COLUMNS ? generated : rewritten(family, generated, layout);
        case TERSE -> terse(family, generated);
        case CAREFUL -> careful(family, generated, layout);
      };
    }
  }

  /** The steps written tersely: each operation in one line. */
  public static List<String> terse(String family, List<String> steps) {
    if (!isWrittenOut(family)) {
      return steps;
    }
    // the working's last line states the result: "840 + 2744 = 3584", "So 706 - 1143 = -437"
    String last = steps.get(steps.size() - 1);
    if (last.startsWith("So ")) {
      last = last.substring(3);
    }
    Matcher shortProduct = SHORT_MULTIPLICATION.matcher(last);
    if (shortProduct.matches()) {
      last = shortProduct.group(1) + " * " + shortProduct.group(2) + " = " + shortProduct.group(3);
    }
    return List.of(last);
  }

  /** The steps written carefully in columns: every multi-digit operation worked out before its line. */
  public static List<String> careful(String family, List<String> steps) {
    return careful(family, steps, WrittenArithmetic.Layout.COLUMNS);
  }

  /** The steps written carefully: every multi-digit operation worked out before its line. */
  public static List<String> careful(String family, List<String> steps, WrittenArithmetic.Layout layout) {
    if (isWrittenOut(family)) {
      return layout == WrittenArithmetic.Layout.COLUMNS ? steps : rewritten(family, steps, layout);
    }
    List<String> out = new ArrayList<>();
    for (String step : steps) {
      for (Workable operation : workables(step, layout)) {
        out.addAll(operation.working());
      }
      out.add(step);
    }
    return out;
  }

  /**
   * The working of the last multi-digit operation in {@code line} whose result is {@code result},
   * or null when it has none: what a careful check of a terse step works out.
   */
  public static List<String> workingOf(String line, String result, WrittenArithmetic.Layout layout) {
    List<String> last = null;
    for (Workable operation : workables(line, layout)) {
      if (operation.result().equals(result)) {
        last = operation.working();
      }
    }
    return last;
  }

  /**
   * A step's last multi-digit operation: where its result sits in the line and how it is worked out.
   *
   * @param resultStart the result's first character in the line
   * @param resultEnd after its last character
   * @param result the result as written ("378", "-23")
   * @param working the operation worked out, ending in its result line
   * @param expression the operation without its result ("726 - 348"), as a call to the calculator
   *     writes it
   */
  public record Workable(int resultStart, int resultEnd, String result, List<String> working, String expression) {}

  /**
   * The last multi-digit operation of {@code line} that can be worked out, or null when it has
   * none: what a check of that step works out.
   */
  public static Workable lastWorkable(String line, WrittenArithmetic.Layout layout) {
    List<Workable> operations = workables(line, layout);
    return operations.isEmpty() ? null : operations.get(operations.size() - 1);
  }

  /** The multi-digit operations of {@code line} that can be worked out, in order. */
  private static List<Workable> workables(String line, WrittenArithmetic.Layout layout) {
    Matcher equation = EQUATION.matcher(line);
    List<Workable> operations = new ArrayList<>();
    while (equation.find()) {
      List<String> working = working(equation, layout);
      if (working != null) {
        operations.add(new Workable(equation.start(4), equation.end(4), equation.group(4), working,
            equation.group(1) + " " + equation.group(2) + " " + equation.group(3)));
      }
    }
    return operations;
  }

  /**
   * A written-out family's solution (addition, multiplication) worked again in {@code layout}
   * from its result line; as generated when that line is not a plain "a op b = c".
   */
  private static List<String> rewritten(String family, List<String> generated, WrittenArithmetic.Layout layout) {
    if (!isWrittenOut(family)) {
      return generated;
    }
    String result = terse(family, generated).get(0);
    Matcher equation = RESULT_LINE.matcher(result);
    if (!equation.matches()) {
      return generated;
    }
    long a = Long.parseLong(equation.group(1));
    long b = Long.parseLong(equation.group(3));
    List<String> lines =
        switch (equation.group(2)) {
          case "+" -> WrittenArithmetic.add(a, b, layout);
          case "-" -> WrittenArithmetic.subtract(a, b, layout);
          default -> WrittenArithmetic.multiply(a, b, layout);
        };
    return lines;
  }

  /** A written-out family's result line: "840 + 2744 = 3584", "706 - 1143 = -437". */
  private static final Pattern RESULT_LINE = Pattern.compile("(\\d+) ([-+*]) (\\d+) = (-?\\d+)");

  /** The working of one matched equation, or null when it is a one-digit fact or not true. */
  private static List<String> working(Matcher equation, WrittenArithmetic.Layout layout) {
    long a = Long.parseLong(equation.group(1));
    long b = Long.parseLong(equation.group(3));
    long c = Long.parseLong(equation.group(4));
    return switch (equation.group(2)) {
      // a carry or a borrow can go wrong as soon as one number has two digits ("62 - 8 = 54")
      case "+" -> Math.max(a, b) >= 10 && a + b == c ? WrittenArithmetic.add(a, b, layout) : null;
      case "-" -> Math.max(a, b) >= 10 && a - b == c ? WrittenArithmetic.subtract(a, b, layout) : null;
      default -> {
        long larger = Math.max(a, b);
        long smaller = Math.min(a, b);
        // the longer factor times each digit of the shorter one, as the multiplication family does
        yield larger >= 10 && smaller >= 2 && a * b == c ? WrittenArithmetic.multiply(larger, smaller, layout) : null;
      }
    };
  }

  private static boolean isWrittenOut(String family) {
    return ADDITION.equals(family) || MULTIPLICATION.equals(family);
  }
}
