package aha.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemSetsTest {

  @TempDir Path dir;

  static final String GOOD =
      "{\"id\":\"p-1\",\"question\":\"What is 2+2?\",\"answer\":\"4\",\"kind\":\"numeric\"}";

  static List<Problem> sample() {
    return List.of(
        new Problem(
            "add-1",
            "What is 17 + 25?",
            "42",
            AnswerKind.NUMERIC,
            "17 + 25 = 42\n#### 42",
            new ProblemMeta("addition", 1, 7L, "generated")),
        new Problem(
            "cd-1",
            "Use 3, 5, 7, 25 to make 24. \"Quotes\", tabs\t, unicode: √ é 😀",
            "24 from [3, 5, 7, 25]",
            AnswerKind.COUNTDOWN,
            null,
            new ProblemMeta("countdown", 3, Long.MIN_VALUE, null)),
        new Problem("bare", "Simplify x+x.", "2x", AnswerKind.EXPRESSION, null, null));
  }

  @Test
  void roundTripIsByteIdentical() throws IOException {
    Path first = dir.resolve("a/b/set.jsonl");
    ProblemSets.write(first, sample());
    assertEquals(sample(), ProblemSets.read(first));

    Path second = dir.resolve("again.jsonl");
    ProblemSets.write(second, ProblemSets.read(first));
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void writesFieldsInSchemaOrderOneLineEach() throws IOException {
    Path file = dir.resolve("set.jsonl");
    ProblemSets.write(file, sample());
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"));
    assertEquals(3, text.split("\n").length);
    assertEquals(
        "{\"id\":\"add-1\",\"question\":\"What is 17 +"
            + " 25?\",\"answer\":\"42\",\"kind\":\"numeric\",\"solution\":\"17 + 25 = 42\\n"
            + "#### 42\","
            + "\"meta\":{\"family\":\"addition\",\"difficulty\":1,\"seed\":7,\"source\":\"generated\"}}",
        text.split("\n")[0]);
    assertEquals(
        "{\"id\":\"bare\",\"question\":\"Simplify"
            + " x+x.\",\"answer\":\"2x\",\"kind\":\"expression\"}",
        text.split("\n")[2]);
  }

  @Test
  void writeRefusesWhatReadWouldReject() {
    Path file = dir.resolve("bad.jsonl");
    Problem ok = sample().get(0);
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class, () -> ProblemSets.write(file, List.of(ok, ok)));
    assertTrue(dup.getMessage().contains("index 1"), dup.getMessage());
    assertTrue(dup.getMessage().contains("duplicate id"), dup.getMessage());
    Problem hard =
        new Problem("h", "q", "1", AnswerKind.NUMERIC, null, new ProblemMeta("f", 9, 0, null));
    assertThrows(IllegalArgumentException.class, () -> ProblemSets.write(file, List.of(hard)));
    assertTrue(Files.notExists(file));
  }

  @Test
  void acceptsNumericAnswersExactlyAndSkipsBlankLines() throws IOException {
    Path file = dir.resolve("n.jsonl");
    Files.writeString(
        file,
        "\uFEFF{\"id\":\"a\",\"question\":\"q\",\"answer\":12345678901234567890123,\"kind\":\"numeric\"}\n"
            + "\n"
            + "   \n"
            + "{\"id\":\"b\",\"question\":\"q2\",\"answer\":2.50,\"kind\":\"numeric\",\"solution\":null}\r\n"
            + "{\"id\":\"c\",\"question\":\"q3\",\"answer\":1e3,\"kind\":\"numeric\",\"meta\":{\"seed\":-5}}");
    ProblemSets.ReadResult result = ProblemSets.readAll(file);
    assertTrue(result.ok(), result.errors().toString());
    List<Problem> problems = result.problems();
    assertEquals("12345678901234567890123", problems.get(0).answer());
    assertEquals("2.50", problems.get(1).answer());
    assertNull(problems.get(1).solution());
    assertEquals("1000", problems.get(2).answer());
    assertEquals(new ProblemMeta(null, 0, -5, null), problems.get(2).meta());
    assertEquals(List.of(1, 4, 5), result.entries().stream().map(ProblemSets.Entry::line).toList());
  }

  @Test
  void aNumberWithAHugeExponentIsReadAsItsTextNotExpanded() throws IOException {
    Path file = dir.resolve("huge.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"a\",\"question\":\"q\",\"answer\":1e999999999,\"kind\":\"numeric\"}\n"
            + "{\"id\":\"b\",\"question\":\"q\",\"answer\":1e2147483647,\"kind\":\"numeric\"}\n"
            + "{\"id\":\"c\",\"question\":\"q\",\"answer\":-1.5E-99999999999,\"kind\":\"numeric\"}\n"
            + "{\"id\":\"d\",\"question\":\"q\",\"answer\":1e1000,\"kind\":\"numeric\"}\n");
    List<Problem> problems = ProblemSets.read(file);
    assertEquals("1e999999999", problems.get(0).answer());
    assertEquals("1e2147483647", problems.get(1).answer());
    assertEquals("-1.5E-99999999999", problems.get(2).answer());
    assertEquals("1" + "0".repeat(1000), problems.get(3).answer()); // at the cap: still a number
  }

  /**
   * Each bad line sits at line 2 behind a good line 1; the error must name file, line and field.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "missing answer      | {\"id\":\"x\",\"question\":\"q\",\"kind\":\"numeric\"}              "
            + "                  | answer          | missing",
        "missing id          | {\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\"}          "
            + "                  | id              | missing",
        "empty question      |"
            + " {\"id\":\"x\",\"question\":\"\",\"answer\":\"1\",\"kind\":\"numeric\"}             "
            + "  | question        | must not be empty",
        "id is a number      | {\"id\":7,\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\"} "
            + "                 | id              | expected a string, got a number",
        "answer is an array  |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":[1],\"kind\":\"numeric\"}              "
            + "  | answer          | expected a string, got an array",
        "bad kind            |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numbr\"}              "
            + "  | kind            | unknown kind 'numbr' (expected one of numeric, expression,"
            + " set, tuple, interval, equation, choice, countdown)",
        "missing kind        | {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\"}                  "
            + "                 | kind            | missing (expected one of numeric,",
        "unknown field       |"
            + " {\"id\":\"x\",\"question\":\"q\",\"anwser\":\"1\",\"answer\":\"1\",\"kind\":\"numeric\"}"
            + " | anwser          | unknown field (expected id, question, answer, kind, solution,"
            + " meta)",
        "solution not text   |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"solution\":3}"
            + " | solution        | expected a string, got a number",
        "meta not object     |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"meta\":[]}"
            + "   | meta            | expected an object, got an array",
        "difficulty too big  |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"meta\":{\"difficulty\":6}}"
            + " | meta.difficulty | 6 out of range (expected 0..5)",
        "difficulty decimal  |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"meta\":{\"difficulty\":2.0}}"
            + " | meta.difficulty | expected an integer, got 2.0",
        "seed overflows      |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"meta\":{\"seed\":9223372036854775808}}"
            + " | meta.seed | 9223372036854775808 out of range",
        "unknown meta field  |"
            + " {\"id\":\"x\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\",\"meta\":{\"level\":1}}"
            + " | meta.level | unknown field (expected family, difficulty, seed, source, pass_rate,",
        "duplicate id        |"
            + " {\"id\":\"p-1\",\"question\":\"q\",\"answer\":\"1\",\"kind\":\"numeric\"}          "
            + "  | id              | duplicate id \"p-1\" (first at line 1)",
      })
  void errorsNameFileLineAndField(String name, String line, String field, String reason)
      throws IOException {
    Path file = dir.resolve("train.jsonl");
    Files.writeString(file, GOOD + "\n" + line + "\n");
    ProblemSetException e = assertThrows(ProblemSetException.class, () -> ProblemSets.read(file));
    assertEquals(file, e.file());
    assertEquals(2, e.line());
    assertEquals(field, e.field());
    assertTrue(e.reason().startsWith(reason), e.reason());
    assertTrue(e.getMessage().startsWith(file + ":2: field \"" + field + "\": "), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "truncated        | {\"id\":\"x\",\"question\":                  | malformed JSON: ",
        "trailing garbage | " + "{\"id\":\"x\"} {}                            | malformed JSON: ",
        "duplicate key    | {\"id\":\"x\",\"id\":\"y\"}                     | malformed JSON:"
            + " Duplicate field 'id'",
        "not an object    | [1, 2]                                          | expected a JSON"
            + " object, got an array",
        "a bare string    | `\"hello\"`                                     | expected a JSON"
            + " object, got a string",
      })
  void badLinesNameFileAndLine(String name, String line, String reason) throws IOException {
    Path file = dir.resolve("test.jsonl");
    Files.writeString(file, GOOD + "\n\n" + line + "\n");
    ProblemSetException e = assertThrows(ProblemSetException.class, () -> ProblemSets.read(file));
    assertEquals(3, e.line());
    assertNull(e.field());
    assertTrue(e.getMessage().startsWith(file + ":3: " + reason), e.getMessage());
  }

  @Test
  void readAllCollectsEveryErrorAndKeepsTheGoodLines() throws IOException {
    Path file = dir.resolve("mixed.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            GOOD,
            "{\"id\":\"x\",\"question\":\"q\",\"kind\":\"nope\"}",
            "not json",
            GOOD.replace("p-1", "p-2"),
            GOOD));
    ProblemSets.ReadResult result = ProblemSets.readAll(file);
    assertEquals(List.of("p-1", "p-2"), result.problems().stream().map(Problem::id).toList());
    List<String> where = result.errors().stream().map(e -> e.line() + ":" + e.field()).toList();
    assertEquals(List.of("2:answer", "2:kind", "3:null", "5:id"), where);
    assertEquals(
        result.errors().get(0).getMessage(),
        assertThrows(ProblemSetException.class, () -> ProblemSets.read(file)).getMessage());
  }

  @Test
  void invalidUtf8IsAnErrorWithALine() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    byte[] bad = "{\"id\":\"x\",\"question\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, (GOOD + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(file, bad, java.nio.file.StandardOpenOption.APPEND);
    ProblemSetException e = assertThrows(ProblemSetException.class, () -> ProblemSets.read(file));
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("UTF-8"), e.reason());
  }

  @Test
  void messageWithoutLineOrField() {
    assertEquals(
        "x.jsonl: boom", new ProblemSetException(Path.of("x.jsonl"), 0, null, "boom").getMessage());
    assertEquals(
        "m.json:4: element [2]: field \"solution\": missing",
        new ProblemSetException(Path.of("m.json"), 4, 2, "solution", "missing").getMessage());
  }
}
