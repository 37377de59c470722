package aha.verifier.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import aha.problems.AnswerKind;
import aha.verifier.budget.Budget;
import aha.verifier.budget.Limits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven equivalence cases by kind; columns: kind | candidate | gold | equivalent. */
class AnswerComparatorTest {

  private static void check(AnswerKind kind, String candidate, String gold, boolean expected) {
    Budget budget = Budget.unlimitedTime(Limits.defaults());
    AnswerComparator.Match match = AnswerComparator.compare(candidate, gold, kind, budget);
    assertEquals(
        expected,
        match.equivalent(),
        () -> kind + ": '" + candidate + "' vs gold '" + gold + "' -> " + match.reason());
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} vs {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          NUMERIC | 42                          | 42                | true
          NUMERIC | 042                         | 42                | true
          NUMERIC | +42                         | 42                | true
          NUMERIC | 42.0                        | 42                | true
          NUMERIC | 43                          | 42                | false
          NUMERIC | -42                         | 42                | false
          NUMERIC | 1,000                       | 1000              | true
          NUMERIC | 1{,}000                     | 1000              | true
          NUMERIC | 1\\,000                     | 1000              | true
          NUMERIC | 12,345,678                  | 12345678          | true
          NUMERIC | "1,00"                      | 100               | false
          NUMERIC | "2, 3"                      | 2                 | false
          NUMERIC | "2, 3"                      | 3                 | false
          NUMERIC | 0.5                         | \\frac{1}{2}      | true
          NUMERIC | \\dfrac{1}{2}               | 0.5               | true
          NUMERIC | \\tfrac12                   | 1/2               | true
          NUMERIC | \\frac12                    | 0.5               | true
          NUMERIC | 2/4                         | \\frac{1}{2}      | true
          NUMERIC | .5                          | 1/2               | true
          NUMERIC | 0.333                       | \\frac{1}{3}      | false
          NUMERIC | 0.3333333333333333333333333333333 | \\frac{1}{3} | false
          NUMERIC | 3.0001                      | 3                 | false
          NUMERIC | 3.00000000000000000000000000001 | 3             | false
          NUMERIC | 50\\%                       | \\frac{1}{2}      | true
          NUMERIC | 50\\%                       | 50                | false
          NUMERIC | 50%                         | 50                | false
          NUMERIC | \\frac12\\%                 | \\frac{1}{2}      | false
          NUMERIC | 50\\%                       | 0.5               | true
          NUMERIC | 0.5                         | 50\\%             | true
          NUMERIC | 50                          | 50\\%             | true
          NUMERIC | 0.5                         | 50                | false
          NUMERIC | 5\\%                        | 50                | false
          NUMERIC | 1.5e3                       | 1500              | true
          NUMERIC | 1.5E-3                      | 0.0015            | true
          NUMERIC | 1.5\\times 10^{3}           | 1500              | true
          NUMERIC | 1.5 \\cdot 10^3             | 1500              | true
          NUMERIC | 1.5\\times10^{4}            | 1500              | false
          NUMERIC | \\$5                        | 5                 | true
          NUMERIC | $5                          | 5                 | true
          NUMERIC | 5 dollars                   | 5                 | true
          NUMERIC | 10\\text{ cm}               | 10                | true
          NUMERIC | 10\\mbox{cm}                | 10                | true
          NUMERIC | 10 \\mathrm{cm}             | 10                | true
          NUMERIC | 10\\text{ cm}^2             | 10                | true
          NUMERIC | 10cm                        | 10                | true
          NUMERIC | 30^\\circ                   | 30                | true
          NUMERIC | 30°                         | 30                | true
          NUMERIC | 30^{\\circ}                 | 30                | true
          NUMERIC | 31^{\\circ}                 | 30                | false
          NUMERIC | \\left( 3 \\right)          | 3                 | true
          NUMERIC | 1\\!000                     | 1000              | true
          NUMERIC | 7.                          | 7                 | true
          NUMERIC | ~7\\ .                      | 7                 | true
          NUMERIC | -\\frac{3}{4}               | -0.75             | true
          NUMERIC | \\frac{-3}{4}               | -3/4              | true
          NUMERIC | \\frac{3}{-4}               | 0.75              | false
          NUMERIC | 2\\frac{1}{2}               | 5/2               | true
          NUMERIC | -2\\frac{1}{2}              | -2.5              | true
          NUMERIC | \\sqrt{4}                   | 2                 | true
          NUMERIC | \\sqrt[3]{27}               | 3                 | true
          NUMERIC | 8^{2/3}                     | 4                 | true
          NUMERIC | (-8)^{1/3}                  | -2                | true
          NUMERIC | 2^{10}                      | 1024              | true
          NUMERIC | 2^10                        | 1024              | true
          NUMERIC | 2^{-2}                      | 0.25              | true
          NUMERIC | 5!                          | 120               | true
          NUMERIC | \\binom{5}{2}                | 10                | true
          NUMERIC | \\dbinom{10}{3}             | 120               | true
          NUMERIC | 2 3                         | 6                 | false
          NUMERIC | 12                          | 1                 | false
          NUMERIC | x = 2                       | 2                 | true
          NUMERIC | 2 = x                       | 2                 | true
          NUMERIC | x = 3                       | 2                 | false
          NUMERIC | \\frac{6}{3} = 2            | 2                 | true
          NUMERIC | x = 2 = 3                   | 2                 | false
          NUMERIC | 2                           | x = 2             | true
          NUMERIC | 1/0                         | 0                 | false
          NUMERIC | \\{2\\}                     | 2                 | false
          NUMERIC | \\infty                     | \\infty           | true
          NUMERIC | -\\infty                    | \\infty           | false
          NUMERIC | "|-3|"                      | 3                 | true
          NUMERIC | 0.1+0.2                     | 0.3               | true
          NUMERIC | -0                          | 0                 | true
          NUMERIC | 1e-30                       | 0                 | false
          NUMERIC | \\frac{1}{2}               | \\frac{1}{3}      | false
          NUMERIC | 2/1                         | 1/2               | false
          NUMERIC | \\frac{22}{7}              | \\pi              | false
          NUMERIC | 100\\%                      | 1                 | true
          NUMERIC | x                           | 2                 | false
          NUMERIC | 1,000.5                     | 1000.5            | true
          NUMERIC | \\$1{,}000.50               | 1000.5            | true
          NUMERIC | 2\\cdot3                    | 6                 | true
          NUMERIC | (2)(3)                      | 6                 | true
          NUMERIC | 2^{-1}                      | 0.5               | true
          NUMERIC | 9^{1/2}                     | 3                 | true
          NUMERIC | 10^{-3}                     | 0.001             | true
          NUMERIC | 10^{-3}                     | 0.0010001         | false
          EXPRESSION | \\sqrt{8}               | 2\\sqrt{2}        | true
          EXPRESSION | \\sqrt{2}               | \\sqrt[3]{2}      | false
          EXPRESSION | \\sqrt{4.0000000000001} | 2                 | false
          EXPRESSION | f(x) = x^2               | x^2               | true
          EXPRESSION | x^2 + 10^{-20}           | x^2               | false
          SET | 1 \\pm \\sqrt{2}              | "\\{1+\\sqrt{2}, 1-\\sqrt{2}\\}" | true
          SET | \\pm 2                       | "\\{2, -2\\}"     | true
          SET | \\pm 2                       | "\\{2\\}"         | false
          SET | x = \\pm 3                   | "3, -3"           | true
          EXPRESSION | \\sqrt{2}                | \\frac{2}{\\sqrt{2}} | true
          EXPRESSION | 2\\sqrt{3}               | \\sqrt{12}        | true
          EXPRESSION | 2\\sqrt{3}               | \\sqrt{13}        | false
          EXPRESSION | 1.41421356237            | \\sqrt{2}         | false
          EXPRESSION | 3\\pi                    | \\pi + 2\\pi      | true
          EXPRESSION | 3.14159                  | \\pi              | false
          EXPRESSION | \\frac{\\pi}{2}          | \\pi/2            | true
          EXPRESSION | e^2                      | e \\cdot e        | true
          EXPRESSION | e^{2}                    | 7.38905609893065 | false
          EXPRESSION | \\sqrt{2}+\\sqrt{3}      | \\sqrt{5+2\\sqrt{6}} | true
          EXPRESSION | \\frac{1}{\\sqrt{2}}     | \\frac{\\sqrt{2}}{2} | true
          EXPRESSION | (x+1)(x-1)               | x^2-1             | true
          EXPRESSION | (x+1)^2                  | x^2+2x+1          | true
          EXPRESSION | (x+1)^2                  | x^2+x+1           | false
          EXPRESSION | x^2+2x+1.000001          | (x+1)^2           | false
          EXPRESSION | 2x                       | x+x               | true
          EXPRESSION | 2x                       | 2y                | false
          EXPRESSION | x_1 + x_2                | x_2 + x_1         | true
          EXPRESSION | x_1 + x_2                | x_1 + x_3         | false
          EXPRESSION | \\frac{x^2-1}{x-1}       | x+1               | true
          EXPRESSION | \\sqrt{x^2}              | "|x|"             | true
          EXPRESSION | \\sqrt{x^2}              | x                 | false
          EXPRESSION | \\sin^2 x + \\cos^2 x    | 1                 | true
          EXPRESSION | \\ln(e^3)                | 3                 | true
          EXPRESSION | \\ln 8                   | 3\\ln 2           | true
          EXPRESSION | 2^{x+1}                  | 2 \\cdot 2^x      | true
          EXPRESSION | \\binom{6}{3}            | 20                | true
          EXPRESSION | y = 2x+1                 | 2x+1              | true
          EXPRESSION | \\frac{a+b}{2}           | \\frac{a}{2}+\\frac{b}{2} | true
          EXPRESSION | \\frac{a+b}{2}           | \\frac{a}{2}+b    | false
          EXPRESSION | 3\\alpha                 | \\alpha + 2\\alpha | true
          EQUATION | y = 2x+1                   | y = 2x+1          | true
          EQUATION | 2x + 1 = y                 | y = 2x+1          | true
          EQUATION | y - 2x = 1                 | y = 2x+1          | true
          EQUATION | 2y = 4x + 2                | y = 2x+1          | true
          EQUATION | y = 2x + 2                 | y = 2x+1          | false
          EQUATION | y = 2x                     | y = 2x+1          | false
          EQUATION | x^2 = 4                    | x = 2             | false
          EQUATION | x = 2                      | x = 2             | true
          EQUATION | 2                          | x = 2             | true
          EQUATION | 3                          | x = 2             | false
          EQUATION | y = 2                      | x = 2             | false
          EQUATION | x^2 + y^2 = 1              | y^2 = 1 - x^2     | true
          EQUATION | x^2 + y^2 = 2              | y^2 = 1 - x^2     | false
          EQUATION | y = 2x+1 = 3               | y = 2x+1          | false
          TUPLE | (1, 2)                        | (1, 2)            | true
          TUPLE | (1,2)                         | (1, 2)            | true
          TUPLE | "1, 2"                        | (1, 2)            | true
          TUPLE | (2, 1)                        | (1, 2)            | false
          TUPLE | (1, 2, 3)                     | (1, 2)            | false
          TUPLE | (\\frac{1}{2}, -3)            | (0.5, -3)         | true
          TUPLE | \\left(\\frac{1}{2}, \\sqrt{4}\\right) | (1/2, 2)  | true
          TUPLE | "(x, y) = (1, 2)"             | (1, 2)            | true
          TUPLE | "\\{1, 2\\}"                  | (1, 2)            | false
          TUPLE | "(1,000, 2)"                  | (1000, 2)         | false
          SET | "\\{1, 2\\}"                    | "\\{1, 2\\}"      | true
          SET | "\\{2, 1\\}"                    | "\\{1, 2\\}"      | true
          SET | "{1,2}"                         | "\\{1, 2\\}"      | true
          SET | "1, 2"                          | "\\{1, 2\\}"      | true
          SET | "2, 1, 1"                       | "\\{1, 2\\}"      | true
          SET | "\\{1\\}"                       | "\\{1, 2\\}"      | false
          SET | "\\{1, 2, 3\\}"                 | "\\{1, 2\\}"      | false
          SET | "x = 1 \\text{ or } x = 2"      | "\\{1, 2\\}"      | true
          SET | "x = 1 or x = 2"                | "1, 2"            | true
          SET | "x = 1, x = 2"                  | "1, 2"            | true
          SET | "\\{-\\sqrt{2}, \\sqrt{2}\\}"   | "\\{\\sqrt{2}, -\\sqrt{2}\\}" | true
          SET | "\\{(1, 2), (3, 4)\\}"          | "\\{(3, 4), (1, 2)\\}" | true
          SET | "\\{(1, 2), (4, 3)\\}"          | "\\{(3, 4), (1, 2)\\}" | false
          SET | 3                               | "\\{3\\}"         | true
          SET | \\emptyset                      | "\\{\\}"          | true
          SET | "\\{0\\}"                       | "\\{\\}"          | false
          INTERVAL | "[0, 1)"                   | "[0, 1)"          | true
          INTERVAL | "[0, 1]"                   | "[0, 1)"          | false
          INTERVAL | "(0, 1)"                   | "[0, 1)"          | false
          INTERVAL | "(-\\infty, 2]"            | "(-\\infty, 2]"   | true
          INTERVAL | "(-\\infty, 2)"            | "(-\\infty, 2]"   | false
          INTERVAL | "[-\\infty, 2]"            | "(-\\infty, 2]"   | true
          INTERVAL | "(\\infty, 2]"             | "(-\\infty, 2]"   | false
          INTERVAL | "x \\in [0, \\frac{1}{2})" | "[0, 0.5)"        | true
          INTERVAL | "(-\\infty, 0) \\cup (1, \\infty)" | "(1, \\infty) \\cup (-\\infty, 0)" | true
          INTERVAL | "(-\\infty, 0) \\cup [1, \\infty)" | "(-\\infty, 0) \\cup (1, \\infty)" | false
          INTERVAL | "(-\\infty, 0)"            | "(-\\infty, 0) \\cup (1, \\infty)" | false
          INTERVAL | "\\left[ 0, 1 \\right)"    | "[0, 1)"          | true
          INTERVAL | 1                          | "[0, 1)"          | false
          CHOICE | B                            | B                 | true
          CHOICE | (B)                          | B                 | true
          CHOICE | \\text{(B)}                  | B                 | true
          CHOICE | B)                           | B                 | true
          CHOICE | \\textbf{B}                  | B                 | true
          CHOICE | b                            | B                 | true
          CHOICE | (B) 42                       | B                 | true
          CHOICE | C                            | B                 | false
          CHOICE | "A, B"                       | B                 | false
          CHOICE | A and B                      | B                 | false
          CHOICE | BC                           | B                 | false
          CHOICE | (B) or (C)                   | B                 | false
          CHOICE | (B) and (C)                  | B                 | false
          CHOICE | "(B), (C)"                   | B                 | false
          CHOICE | B) or C                      | B                 | false
          CHOICE | (B) the one with 42 apples   | B                 | true
          COUNTDOWN | (25+3)*4/(7-3)          | 28 from [3, 4, 7, 25, 3] | true
          COUNTDOWN | 3 * 8                     | 24 from [3, 8]    | true
          COUNTDOWN | 3 \\times 8 = 24          | 24 from [3, 8]    | true
          COUNTDOWN | 3 \\cdot 8                | 24 from [3, 8, 9] | true
          COUNTDOWN | (5 - 3) \\times 12        | 24 from [3, 5, 12] | true
          COUNTDOWN | 72 \\div 3                | 24 from [3, 72]   | true
          COUNTDOWN | 3 * 8 = 25                | 24 from [3, 8]    | false
          COUNTDOWN | 3 * 8                     | 25 from [3, 8]    | false
          COUNTDOWN | 3 * 3 * 3                 | 27 from [3, 3]    | false
          COUNTDOWN | 3 * 9                     | 27 from [3, 8]    | false
          COUNTDOWN | 38                        | 38 from [3, 8]    | false
          COUNTDOWN | 3(8)                      | 24 from [3, 8]    | false
          COUNTDOWN | -3 + 27                   | 24 from [3, 27]   | false
          COUNTDOWN | 8 / (3 - 3) + 24          | 24 from [3, 3, 8, 24] | false
          COUNTDOWN | 2^3 * 3                   | 24 from [2, 3, 3] | false
          COUNTDOWN | 24.0                      | 24 from [24]      | false
          COUNTDOWN | (1 + 2 / 3) * 9 - 0       | 15 from [1, 2, 3, 9, 0] | true
          COUNTDOWN | 7 / 3 * 3                 | 7 from [7, 3, 3]  | true
          """)
  void comparesByKind(AnswerKind kind, String candidate, String gold, boolean expected) {
    check(kind, candidate, gold, expected);
  }
}
