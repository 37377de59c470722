package aha.grpo.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import static aha.problems.gen.WrittenArithmetic.Layout.COLUMNS;
import static aha.problems.gen.WrittenArithmetic.Layout.PEELED;

import aha.problems.gen.WrittenArithmetic;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RoutesTest {

  @Test
  void theCarefulRouteWorksOutEveryMultiDigitOperationBeforeItsLine() {
    List<String> steps = List.of("Sold: 16 + 19 = 35", "Left: 114 - 35 = 79", "Each: 79 / 1 = 79");
    assertEquals(
        List.of(
            "Add column by column, starting from the ones.",
            "ones: 6 + 9 = 15, write 5, carry 1",
            "tens: 1 + 1 + 1 = 3, write 3, carry 0",
            "16 + 19 = 35",
            "Sold: 16 + 19 = 35",
            "Subtract column by column, starting from the ones.",
            "ones: 4 - 5 = -1, below 0 so add 10: 9, write 9, borrow 1",
            "tens: 1 - 3 - 1 = -3, below 0 so add 10: 7, write 7, borrow 1",
            "hundreds: 1 - 0 - 1 = 0, write 0, borrow 0",
            "114 - 35 = 79",
            "Left: 114 - 35 = 79",
            "Each: 79 / 1 = 79"),
        Routes.careful("word", steps));
  }

  static Stream<Arguments> untouched() {
    return Stream.of(
        Arguments.of("a one-digit fact", "3 * 4 = 12"),
        Arguments.of("one-digit addends", "7 + 8 = 15"),
        Arguments.of("a fraction", "8/22 - 11/22 = (8 - 11)/22 = -3/22"),
        Arguments.of("a negative operand", "-64 + 28 = -36"),
        Arguments.of("a false equation", "26 - 17 = 8"),
        Arguments.of("a division", "72 / 8 = 9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untouched")
  void oneDigitFactsFractionsAndNegativesStayAsTheyAre(String name, String step) {
    assertEquals(List.of(step), Routes.careful("arithmetic", List.of(step)));
  }

  @Test
  void aSumWithOneMultiDigitNumberIsWorkedOut() {
    // a carry or a borrow can go wrong as soon as one number has two digits
    assertEquals(
        List.of("Add column by column, starting from the ones.", "ones: 7 + 8 = 15, write 5, carry 1",
            "tens: 5 + 0 + 1 = 6, write 6, carry 0", "57 + 8 = 65", "57 + 8 = 65"),
        Routes.careful("arithmetic", List.of("57 + 8 = 65")));
    assertEquals("54", Routes.lastWorkable("Left: 62 - 8 = 54", WrittenArithmetic.Layout.PEELED).result());
  }

  @Test
  void aProductIsWorkedByTheDigitsOfTheShorterFactor() {
    assertEquals(
        List.of("19 * 3: 9 * 3 = 27, 1 * 3 + 2 = 5, so 57", "x = 3 * 19 = 57"),
        Routes.careful("linear", List.of("x = 3 * 19 = 57")));
  }

  @Test
  void theTerseRouteOfTheWrittenOutFamiliesIsTheResultLine() {
    assertEquals(List.of("840 + 2744 = 3584"),
        Routes.terse("addition", List.of("Add column by column, starting from the ones.", "ones: 0 + 4 = 4, write 4, carry 0", "840 + 2744 = 3584")));
    assertEquals(List.of("706 - 1143 = -437"),
        Routes.terse("addition", List.of("706 is smaller than 1143, so compute 1143 - 706 and make it negative.", "1143 - 706 = 437", "So 706 - 1143 = -437")));
    assertEquals(List.of("40 * 9 = 360"), Routes.terse("multiplication", List.of("40 * 9: 0 * 9 = 0, 4 * 9 + 0 = 36, so 360")));
    List<String> word = List.of("Each friend: 12 / 2 = 6");
    assertEquals(word, Routes.terse("word", word));
  }

  @Test
  void theWorkingOfAKeyStepIsFoundByItsResult() {
    assertEquals("200 - 126 = 74", last(Routes.workingOf("Change: 200 - 126 = 74", "74", COLUMNS)));
    assertEquals("So 23 - 60 = -37", last(Routes.workingOf("23 - 60 = -37", "-37", COLUMNS)));
    assertNull(Routes.workingOf("x = 12 / 6 = 2", "2", COLUMNS));
    assertNull(Routes.workingOf("Change: 200 - 126 = 74", "75", COLUMNS));
  }

  @Test
  void peeledWorkingTakesTheSamePlaceAsColumns() {
    List<String> steps = List.of("Sold: 16 + 19 = 35");
    assertEquals(
        List.of(
            "Add digit by digit from the right.",
            "16 + 19: 6 + 9 = 15, carry 1, so far 5",
            "1 + 1: 1 + 1 + 1 = 3, carry 0, so far 35",
            "16 + 19 = 35",
            "Sold: 16 + 19 = 35"),
        Routes.careful("word", steps, PEELED));
    assertEquals(
        List.of("19 * 3: 9 * 3 = 27, carry 2, so far 7", "1 * 3: 1 * 3 + 2 = 5, carry 0, so far 57", "19 * 3 = 57"),
        Routes.workingOf("x = 3 * 19 = 57", "57", PEELED));
  }

  @Test
  void theWrittenOutFamiliesAreWorkedAgainWhenPeeled() {
    List<String> columns = WrittenArithmetic.add(840, 2744);
    assertEquals(columns, Routes.Route.GENERATED.steps("addition", columns, COLUMNS));
    assertEquals(WrittenArithmetic.add(840, 2744, PEELED), Routes.Route.GENERATED.steps("addition", columns, PEELED));
    assertEquals(WrittenArithmetic.add(840, 2744, PEELED), Routes.Route.CAREFUL.steps("addition", columns, PEELED));
    List<String> negative = WrittenArithmetic.subtract(706, 1143);
    assertEquals(WrittenArithmetic.subtract(706, 1143, PEELED), Routes.careful("addition", negative, PEELED));
    List<String> product = WrittenArithmetic.multiply(347, 28);
    assertEquals(WrittenArithmetic.multiply(347, 28, PEELED), Routes.careful("multiplication", product, PEELED));
    assertEquals(List.of("347 * 8 = 2776"), Routes.terse("multiplication", WrittenArithmetic.multiply(347, 8)));
  }

  private static String last(List<String> lines) {
    return lines.get(lines.size() - 1);
  }
}
