package aha.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.ProblemImporter.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemImporterTest {

  @TempDir Path dir;

  private Path file(String name, String... lines) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, String.join("\n", lines) + "\n");
    return path;
  }

  // ---- GSM8K
  // --------------------------------------------------------------------------------------

  static final String GSM_1 =
      "{\"question\":\"Natalia sold clips to 48 of her friends in April, and then she sold half as"
          + " many clips in May. How many clips did Natalia sell altogether?\",\"answer\":\"Natalia"
          + " sold 48/2 = <<48/2=24>>24 clips in May.\\n"
          + "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\\n"
          + "#### 72\"}";
  static final String GSM_2 =
      "{\"question\":\"A big sum?\",\"answer\":\"It is 1,000 + 234 = <<1000+234=1234>>1,234.\\n"
          + "#### 1,234\\n"
          + "\"}";

  @Test
  void aPairIsAnIntervalWhenTheQuestionAsksForOne() {
    String asked = "Find the interval on which f is increasing.";
    assertEquals(AnswerKind.INTERVAL, ProblemImporter.intervalWhenAsked(AnswerKind.TUPLE, "(0, 1)", asked));
    assertEquals(
        AnswerKind.INTERVAL,
        ProblemImporter.intervalWhenAsked(AnswerKind.TUPLE, "(-\\infty, 2)", "What is the domain of g? Use interval notation."));
    assertEquals(AnswerKind.TUPLE, ProblemImporter.intervalWhenAsked(AnswerKind.TUPLE, "(0, 1)", "Where do the lines meet?"));
    assertEquals(AnswerKind.TUPLE, ProblemImporter.intervalWhenAsked(AnswerKind.TUPLE, "(0, 1, 2)", asked));
    assertEquals(AnswerKind.SET, ProblemImporter.intervalWhenAsked(AnswerKind.SET, "\\{0, 1\\}", asked));
  }

  @Test
  void gsm8k() throws IOException {
    Path path = file("train.jsonl", GSM_1, "", GSM_2);
    List<Problem> problems = ProblemImporter.importFile(path, Format.GSM8K);
    assertEquals(2, problems.size());
    Problem first = problems.get(0);
    assertEquals("gsm8k-00001", first.id());
    assertEquals("72", first.answer());
    assertEquals(AnswerKind.NUMERIC, first.kind());
    assertEquals(
        "Natalia sold 48/2 = 24 clips in May.\n"
            + "Natalia sold 48+24 = 72 clips altogether in April and May.\n"
            + "#### 72",
        first.solution());
    assertEquals(new ProblemMeta("gsm8k", 0, 0, "train.jsonl"), first.meta());
    Problem second = problems.get(1);
    assertEquals("gsm8k-00002", second.id());
    assertEquals("1234", second.answer());
    assertEquals("It is 1,000 + 234 = 1,234.\n#### 1234", second.solution());
    // What the importer makes, the writer takes.
    ProblemSets.write(dir.resolve("out.jsonl"), problems);
    assertEquals(problems, ProblemSets.read(dir.resolve("out.jsonl")));
  }

  @Test
  void gsm8kIdFieldWinsAndAutoDetects() throws IOException {
    Path path = file("g.jsonl", GSM_1.replace("{\"question\"", "{\"id\":\"own-7\",\"question\""));
    assertEquals("own-7", ProblemImporter.importFile(path, Format.AUTO).get(0).id());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "no final line      | {\"question\":\"q\",\"answer\":\"just text\"}             | answer  "
            + " | last line is not \"#### <number>\"",
        "final not a number | {\"question\":\"q\",\"answer\":\"x\\n"
            + "#### seven\"}       | answer   | final answer \"seven\" is not a number",
        "missing question   | {\"answer\":\"x\\n"
            + "#### 7\"}                               | question | missing",
        "answer not text    | {\"question\":\"q\",\"answer\":7}                         | answer  "
            + " | expected a string, got a number",
      })
  void gsm8kErrorsNameFileLineAndField(String name, String bad, String field, String reason)
      throws IOException {
    Path path = file("gsm.jsonl", GSM_1, bad);
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.GSM8K));
    assertEquals(2, e.line());
    assertEquals(field, e.field());
    assertTrue(e.reason().startsWith(reason), e.reason());
    assertTrue(e.getMessage().startsWith(path + ":2: field \"" + field + "\""), e.getMessage());
  }

  @Test
  void malformedJsonlLine() throws IOException {
    Path path = file("gsm.jsonl", GSM_1, "{\"question\": ");
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.GSM8K));
    assertEquals(2, e.line());
    assertTrue(e.reason().startsWith("malformed JSON"), e.reason());
  }

  @Test
  void duplicateIds() throws IOException {
    String withId = GSM_1.replace("{\"question\"", "{\"id\":\"same\",\"question\"");
    Path path = file("gsm.jsonl", withId, withId);
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.GSM8K));
    assertEquals(
        path + ":2: field \"id\": duplicate id \"same\" (first at line 1)", e.getMessage());
  }

  // ---- MATH
  // ---------------------------------------------------------------------------------------

  static final String MATH_ARRAY =
      """
[
  {"problem": "What is $\\\\frac{1}{2}+\\\\frac{1}{3}$?",
   "solution": "We get $\\\\boxed{\\\\frac{1}{2}}$ wrong first; then $\\\\boxed{\\\\frac{5}{6}}$.",
   "level": "Level 3", "type": "Intermediate Algebra"},
  {"problem": "Find the set.", "solution": "It is \\\\boxed{\\\\{1, 2\\\\}}.  ",
   "level": "Level ?", "unique_id": "test/algebra/1.json"},
  {"problem": "Compute 6*7.", "solution": "6*7 = \\\\boxed{41}", "answer": 42, "level": 5}
]
""";

  @Test
  void mathJsonArray() throws IOException {
    Path path = dir.resolve("math.json");
    Files.writeString(path, MATH_ARRAY);
    List<Problem> problems = ProblemImporter.importFile(path, Format.MATH);
    assertEquals(3, problems.size());

    Problem first = problems.get(0);
    assertEquals("math-00001", first.id());
    assertEquals("\\frac{5}{6}", first.answer()); // the last box
    assertEquals(AnswerKind.EXPRESSION, first.kind());
    assertTrue(first.solution().endsWith("$.\n#### \\frac{5}{6}"), first.solution());
    assertEquals(new ProblemMeta("intermediate_algebra", 3, 0, "math.json"), first.meta());

    Problem second = problems.get(1);
    assertEquals("test/algebra/1.json", second.id());
    assertEquals("\\{1, 2\\}", second.answer()); // escaped braces do not close the box
    assertEquals(new ProblemMeta("math", 0, 0, "math.json"), second.meta());

    Problem third = problems.get(2);
    assertEquals("42", third.answer()); // "answer" wins over the box
    assertEquals(AnswerKind.NUMERIC, third.kind());
    assertEquals(5, third.meta().difficulty());
  }

  @Test
  void mathJsonlWithAKindInferrerAndAutoDetection() throws IOException {
    Path path =
        file(
            "math.jsonl",
            "{\"problem\":\"Solve.\",\"solution\":\"So \\\\boxed{(1, 2)}\"}",
            "{\"problem\":\"Count.\",\"solution\":\"So \\\\boxed{7}\"}");
    List<Problem> problems =
        ProblemImporter.importFile(
            path, Format.AUTO, gold -> gold.startsWith("(") ? AnswerKind.TUPLE : null);
    assertEquals(AnswerKind.TUPLE, problems.get(0).kind());
    assertEquals(
        AnswerKind.NUMERIC, problems.get(1).kind()); // null from the inferrer: default rule
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "no box         | {\"problem\": \"p\", \"solution\": \"no answer here\"}      | solution |"
            + " no \\boxed{...} and no \"answer\" field",
        "unclosed box   | {\"problem\": \"p\", \"solution\": \"\\\\boxed{1 + {2}\"}   | solution |"
            + " \\boxed{ at offset 0 is never closed",
        "empty box      | {\"problem\": \"p\", \"solution\": \"\\\\boxed{ }\"}        | solution |"
            + " the answer is empty",
        "no solution    | {\"problem\": \"p\"}                                       | solution |"
            + " missing, and no \"answer\" field either",
        "bad level      | {\"problem\": \"p\", \"answer\": \"1\", \"level\": \"hard\"} | level    |"
            + " expected \"Level 1\"",
        "level too high | {\"problem\": \"p\", \"answer\": \"1\", \"level\": \"Level 9\"} | level |"
            + " expected \"Level 1\"",
        "problem number | {\"problem\": 5, \"answer\": \"1\"}                         | problem  |"
            + " expected a string, got a number",
      })
  void mathErrorsInAnArrayNameLineElementAndField(
      String name, String bad, String field, String reason) throws IOException {
    Path path = dir.resolve("bad.json");
    Files.writeString(path, "[\n  {\"problem\": \"ok\", \"answer\": \"1\"},\n\n  " + bad + "\n]\n");
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.MATH));
    assertEquals(4, e.line());
    assertEquals(1, e.element());
    assertEquals(field, e.field());
    assertTrue(e.reason().startsWith(reason), e.reason());
    assertTrue(
        e.getMessage().startsWith(path + ":4: element [1]: field \"" + field + "\": "),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "unclosed array  | `[{\"problem\": \"p\", \"answer\": \"1\"},\n"
            + " {\"problem\": \"q\", \"answer\": \"2\"}` | 2",
        "bad token       | `[{\"problem\": \"p\", \"answer\": \"1\"},\n\n"
            + " {\"problem\" \"q\"}]`                  | 3",
        "not an object   | `[{\"problem\": \"p\", \"answer\": \"1\"},\n"
            + " 17]`                                       | 2",
        "trailing stuff  | `[{\"problem\": \"p\", \"answer\": \"1\"}]\n"
            + "{}`                                         | 2",
      })
  void malformedJsonArrays(String name, String text, int line) throws IOException {
    Path path = dir.resolve("broken.json");
    Files.writeString(path, text.replace("\\n", "\n"));
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.MATH));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(path + ":" + line + ": "), e.getMessage());
  }

  @Test
  void lastBoxed() {
    assertEquals("3", ProblemImporter.lastBoxed("\\boxed{1} then \\boxed {3}"));
    assertEquals("\\frac{a}{b}", ProblemImporter.lastBoxed("x \\boxed{\\frac{a}{b}} y"));
    assertEquals("2", ProblemImporter.lastBoxed("\\boxed{2} and \\boxed without braces"));
    assertNull(ProblemImporter.lastBoxed("no box"));
    assertThrows(IllegalArgumentException.class, () -> ProblemImporter.lastBoxed("\\boxed{open"));
  }

  // ---- verl
  // ---------------------------------------------------------------------------------------

  @Test
  void verlChatPromptStringPromptAndCountdown() throws IOException {
    Path path =
        file(
            "rl.jsonl",
            "{\"data_source\":\"openai/gsm8k\",\"prompt\":[{\"role\":\"system\",\"content\":\"Be"
                + " brief.\"},{\"role\":\"user\",\"content\":\"What is"
                + " 3*4?\"}],\"ability\":\"math\","
                + "\"reward_model\":{\"style\":\"rule\",\"ground_truth\":\"12\"},"
                + "\"extra_info\":{\"index\":0,\"split\":\"train\"}}",
            "{\"prompt\":\"Simplify 2x+x.\",\"reward_model\":{\"ground_truth\":\"3x\"}}",
            "{\"data_source\":\"countdown\",\"prompt\":[{\"role\":\"user\",\"content\":\"Make"
                + " 24.\"}],"
                + "\"reward_model\":{\"ground_truth\":{\"target\":24,\"numbers\":[3,5,7,25]}},"
                + "\"extra_info\":{\"index\":\"cd-9\"}}",
            "{\"prompt\":\"Half?\",\"reward_model\":{\"ground_truth\":0.50}}");
    List<Problem> problems = ProblemImporter.importFile(path, Format.AUTO);
    assertEquals(
        new Problem(
            "0",
            "What is 3*4?",
            "12",
            AnswerKind.NUMERIC,
            null,
            new ProblemMeta("openai/gsm8k", 0, 0, "rl.jsonl")),
        problems.get(0));
    assertEquals(
        new Problem(
            "verl-00002",
            "Simplify 2x+x.",
            "3x",
            AnswerKind.EXPRESSION,
            null,
            new ProblemMeta("verl", 0, 0, "rl.jsonl")),
        problems.get(1));
    Problem countdown = problems.get(2);
    assertEquals("cd-9", countdown.id());
    assertEquals("24 from [3, 5, 7, 25]", countdown.answer());
    assertEquals(AnswerKind.COUNTDOWN, countdown.kind());
    assertEquals("0.50", problems.get(3).answer());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "no user turn      |"
            + " {\"prompt\":[{\"role\":\"system\",\"content\":\"x\"}],\"reward_model\":{\"ground_truth\":\"1\"}}"
            + " | prompt | no message with role \"user\"",
        "user no content   |"
            + " {\"prompt\":[{\"role\":\"user\"}],\"reward_model\":{\"ground_truth\":\"1\"}}       "
            + "              | prompt[0].content | expected non-empty text, got nothing",
        "prompt is number  | {\"prompt\":3,\"reward_model\":{\"ground_truth\":\"1\"}}              "
            + "                           | prompt | expected a string or a list of chat messages,"
            + " got a number",
        "no ground truth   | {\"prompt\":\"q\",\"reward_model\":{\"style\":\"rule\"}}              "
            + "                           | reward_model.ground_truth | missing",
        "truth is a list   | {\"prompt\":\"q\",\"reward_model\":{\"ground_truth\":[1]}}            "
            + "                           | reward_model.ground_truth | expected a string or a"
            + " number, got an array",
        "object not cd     | {\"prompt\":\"q\",\"reward_model\":{\"ground_truth\":{\"answer\":1}}} "
            + "                          | reward_model.ground_truth | an object ground truth must"
            + " be a countdown",
        "cd numbers bad    |"
            + " {\"prompt\":\"q\",\"reward_model\":{\"ground_truth\":{\"target\":5,\"numbers\":[1,\"2\"]}}}"
            + "    | reward_model.ground_truth.numbers | expected integers, got a string",
        "reward not object | {\"prompt\":\"q\",\"reward_model\":\"12\"}                            "
            + "                           | reward_model | expected an object, got a string",
      })
  void verlErrors(String name, String bad, String field, String reason) throws IOException {
    Path path = file("rl.jsonl", "", bad);
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.VERL));
    assertEquals(2, e.line());
    assertEquals(field, e.field());
    assertTrue(e.reason().startsWith(reason), e.reason());
  }

  // ---- format
  // -------------------------------------------------------------------------------------

  @Test
  void autoRejectsUnknownShapesAndEmptyFilesGiveNothing() throws IOException {
    Path path = file("odd.jsonl", "{\"text\":\"hello\",\"label\":1}");
    ProblemSetException e =
        assertThrows(
            ProblemSetException.class, () -> ProblemImporter.importFile(path, Format.AUTO));
    assertEquals(1, e.line());
    assertTrue(
        e.reason().startsWith("cannot tell the format from the fields [text, label]"), e.reason());
    assertEquals(List.of(), ProblemImporter.importFile(file("empty.jsonl", ""), Format.AUTO));
  }

  @Test
  void formatWireNames() {
    assertEquals(Format.GSM8K, Format.fromWire("gsm8k"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Format.fromWire("alpaca"));
    assertEquals(
        "unknown import format 'alpaca' (expected one of gsm8k, math, verl, auto)", e.getMessage());
  }
}
