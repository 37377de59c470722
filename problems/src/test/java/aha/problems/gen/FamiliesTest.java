package aha.problems.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import aha.problems.AnswerKind;
import aha.problems.Problem;
import aha.problems.gen.ExactEval.Q;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every family at every level: well-formed problems whose answers an independent check confirms. */
class FamiliesTest {
  private static final int COUNT = 60;

  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern FRACTION = Pattern.compile("-?\\d+/\\d+");
  private static final Pattern GOLD_COUNTDOWN = Pattern.compile("(\\d+) from \\[([\\d, ]+)\\]");
  /** "label: 3 * 4 = 12", the shape of every word-problem step. */
  private static final Pattern LABELLED = Pattern.compile("([^:]+): ([-\\d+*/() ]+) = (-?\\d+)");

  static Stream<Arguments> familiesAndLevels() {
    return Families.names().stream()
        .flatMap(f -> Stream.of(1, 2, 3, 4, 5).map(d -> Arguments.of(f, d)));
  }

  @Test
  void registryHasTheEightFamilies() {
    assertEquals(
        List.of("addition", "multiplication", "arithmetic", "linear", "fractions", "word", "countdown", "gcd"),
        Families.names());
    for (ProblemFamily family : Families.all()) {
      assertFalse(family.description().isBlank(), family.name());
      assertEquals(family, Families.get(family.name()));
    }
  }

  @Test
  void unknownFamilyNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Families.get("algebra"));
    assertTrue(e.getMessage().contains("'algebra'"), e.getMessage());
    assertTrue(e.getMessage().contains("addition, multiplication"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} level {1}")
  @MethodSource("familiesAndLevels")
  void problemsAreWellFormedAndCorrect(String family, int difficulty) {
    List<Problem> problems = ProblemGenerator.generate(family, difficulty, COUNT, 2024);
    assertEquals(COUNT, problems.size());
    Set<String> questions = new HashSet<>();
    for (Problem p : problems) {
      String where = p.id() + " " + p.question();
      assertTrue(questions.add(p.question()), "repeated question " + where);
      assertTrue(p.id().startsWith(family + "-d" + difficulty + "-s2024-"), p.id());
      assertEquals(family, p.meta().family());
      assertEquals(difficulty, p.meta().difficulty());
      assertEquals("generated", p.meta().source());
      assertFalse(p.question().contains("\n"), where);
      assertTrue(p.question().chars().allMatch(c -> c < 128), "non-ASCII question " + where);
      assertTrue(p.solution().chars().allMatch(c -> c < 128), "non-ASCII solution " + where);

      List<String> lines = Arrays.asList(p.solution().split("\n", -1));
      assertTrue(lines.size() >= 2, "no steps in " + where);
      lines.forEach(line -> assertFalse(line.isBlank(), "blank line in " + where));
      String last = lines.get(lines.size() - 1);
      assertTrue(last.startsWith("#### "), where);
      for (String step : lines.subList(0, lines.size() - 1)) {
        assertFalse(step.startsWith("####"), where);
      }

      if (family.equals("countdown")) {
        assertEquals(AnswerKind.COUNTDOWN, p.kind());
        checkCountdown(p, last.substring(5), lines);
      } else {
        assertEquals(AnswerKind.NUMERIC, p.kind());
        assertEquals("#### " + p.answer(), last, where);
        boolean fraction = family.equals("fractions") && FRACTION.matcher(p.answer()).matches();
        assertTrue(fraction || INTEGER.matcher(p.answer()).matches(), "answer '" + p.answer() + "' " + where);
        recompute(family, p, lines.subList(0, lines.size() - 1));
      }
    }
  }

  /** The answer worked out again, here, without the generator's code. */
  private static void recompute(String family, Problem p, List<String> steps) {
    String q = p.question();
    String where = p.id() + " " + q;
    Q answer = Q.parse(p.answer());
    switch (family) {
      case "addition", "multiplication", "arithmetic" -> {
        assertTrue(q.startsWith("What is ") && q.endsWith("?"), where);
        assertEquals(ExactEval.eval(q.substring(8, q.length() - 1)), answer, where);
        if (family.equals("arithmetic")) {
          // each step is "a op b = c" and whatever is left after "so" still has the answer's value
          for (String step : steps.subList(1, steps.size())) {
            String[] parts = step.split(", so ");
            String[] eq = parts[0].split(" = ");
            assertEquals(ExactEval.eval(eq[0]), ExactEval.eval(eq[1]), step);
            if (parts.length == 2) {
              assertEquals(answer, ExactEval.eval(parts[1]), step);
            }
          }
        }
      }
      case "fractions" -> {
        String expr;
        if (q.startsWith("Simplify ")) {
          expr = q.substring(9, q.indexOf(" to lowest terms."));
        } else {
          assertTrue(q.endsWith("? Give the answer in lowest terms."), where);
          expr = q.substring(8, q.indexOf('?'));
        }
        Q exact = ExactEval.eval(expr);
        assertEquals(exact, answer, where);
        // the gold is written in lowest terms with the sign on the numerator
        assertEquals(exact.toString(), p.answer(), where);
      }
      case "linear" -> {
        assertTrue(q.startsWith("Solve for x: "), where);
        String[] sides = q.substring(13).split(" = ");
        assertEquals(2, sides.length, where);
        long x = Long.parseLong(p.answer());
        assertEquals(side(sides[0], x), side(sides[1], x), "x = " + x + " does not solve " + where);
        // linear with different x coefficients: another x must not work
        assertFalse(side(sides[0], x + 1).equals(side(sides[1], x + 1)), "not a unique solution " + where);
      }
      case "gcd" -> {
        List<BigInteger> numbers = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+").matcher(q);
        while (m.find()) {
          numbers.add(new BigInteger(m.group()));
        }
        BigInteger expected;
        if (q.startsWith("What is the remainder when ")) {
          expected = numbers.get(0).mod(numbers.get(1));
        } else if (q.startsWith("What is the greatest common divisor of ")) {
          expected = numbers.stream().reduce(BigInteger.ZERO, BigInteger::gcd);
        } else {
          assertTrue(q.startsWith("What is the least common multiple of "), where);
          expected = numbers.stream().reduce(BigInteger.ONE, (a, b) -> a.multiply(b).divide(a.gcd(b)));
        }
        assertEquals(expected.toString(), p.answer(), where);
        for (String step : steps) {
          // Euclid and long-division lines: "84 = 36 * 2 + 12"
          if (step.matches("\\d+ = \\d+ \\* \\d+ \\+ \\d+")) {
            String[] eq = step.split(" = ");
            assertEquals(ExactEval.eval(eq[0]), ExactEval.eval(eq[1]), step);
          }
        }
      }
      case "word" -> {
        Q lastValue = null;
        for (String step : steps) {
          Matcher m = LABELLED.matcher(step);
          assertTrue(m.matches(), "word step not 'what: arithmetic = n': " + step + " in " + where);
          assertEquals(Q.parse(m.group(3)), ExactEval.eval(m.group(2)), step + " in " + where);
          lastValue = Q.parse(m.group(3));
        }
        assertEquals(lastValue, answer, where);
        assertTrue(answer.num().signum() > 0, "word answers are positive: " + where);
      }
      default -> fail("no check for family " + family);
    }
  }

  /** One side of a linear equation with x replaced: "3(x - 2) + 4" becomes "3*(7 - 2) + 4". */
  private static Q side(String text, long x) {
    String expr = text.replaceAll("(\\d)\\(", "$1*(").replaceAll("(\\d)x", "$1*x").replace("x", "(" + x + ")");
    return ExactEval.eval(expr);
  }

  private static void checkCountdown(Problem p, String expression, List<String> lines) {
    String where = p.id() + " " + p.question();
    Matcher gold = GOLD_COUNTDOWN.matcher(p.answer());
    assertTrue(gold.matches(), "gold '" + p.answer() + "' " + where);
    long target = Long.parseLong(gold.group(1));
    List<Long> given = new ArrayList<>();
    for (String n : gold.group(2).split(", ")) {
      given.add(Long.parseLong(n));
    }
    assertTrue(p.question().contains(gold.group(2)) && p.question().contains("make " + target), where);
    assertFalse(given.contains(target), "target is one of the numbers: " + where);

    assertTrue(expression.matches("[\\d+\\-*/() ]+"), "not plain ASCII arithmetic: " + expression);
    ExactEval e = ExactEval.parse(expression);
    assertEquals(Q.of(target), e.value, expression + " in " + where);
    List<Long> left = new ArrayList<>(given);
    for (long used : e.literals) {
      assertTrue(left.remove(used), used + " is not available in " + expression + " for " + where);
    }
    // every step is an exact, positive intermediate: "25 - 7 = 18"
    for (String step : lines.subList(0, lines.size() - 1)) {
      String[] eq = step.split(" = ");
      Q v = ExactEval.eval(eq[1]);
      assertEquals(ExactEval.eval(eq[0]), v, step);
      assertTrue(v.num().signum() > 0 && v.den().equals(BigInteger.ONE), step);
    }
    assertTrue(lines.get(lines.size() - 2).endsWith("= " + target), where);
  }

  @Test
  void difficultyIsChecked() {
    for (ProblemFamily family : Families.all()) {
      assertThrows(IllegalArgumentException.class, () -> family.generate(0, 1, "x"));
      assertThrows(IllegalArgumentException.class, () -> family.generate(6, 1, "x"));
    }
  }

  @Test
  void harderLevelsHaveLongerSolutions() {
    for (ProblemFamily family : Families.all()) {
      double easy = meanLength(family.name(), 1);
      double hard = meanLength(family.name(), 5);
      assertTrue(hard > easy, family.name() + ": level 5 solutions average " + hard + " chars, level 1 " + easy);
    }
  }

  private static double meanLength(String family, int difficulty) {
    return ProblemGenerator.generate(family, difficulty, 100, 5).stream()
        .mapToInt(p -> p.solution().length())
        .average()
        .orElseThrow();
  }

  @Test
  void wordProblemsUseAtLeastSixTemplates() {
    // the templates announce themselves through words only they use
    List<String> markers = List.of(" buys ", " years old", " km ", " friends", " earns $", " pages", "recipe", "store");
    Set<String> seen = new HashSet<>();
    for (int d = 1; d <= 5; d++) {
      for (Problem p : ProblemGenerator.generate("word", d, 200, 11)) {
        markers.stream().filter(p.question()::contains).forEach(seen::add);
      }
    }
    assertTrue(seen.size() >= 6, "templates seen: " + seen);
  }
}
