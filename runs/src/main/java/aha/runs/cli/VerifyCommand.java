package aha.runs.cli;

import aha.problems.AnswerKind;
import aha.verifier.Verdict;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import aha.verifier.budget.Limits;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aha verify}: judges responses against gold answers, one JSON verdict per input line. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Judge model responses against gold answers with the deterministic verifier.",
      "",
      "Reads JSON lines {\"gold\": ..., \"response\": ..., \"kind\": ...} (kind optional; inferred from",
      "the gold when absent) from FILE or standard input, and writes one JSON verdict per input",
      "line (lines end at \\n only), in order: {\"correct\", \"reward\", \"format_ok\", \"extracted\",",
      "\"reason\", \"error\"}. A line that cannot be judged (blank, malformed JSON, a field of the",
      "wrong type, more after the object) gets a verdict with the same keys, its \"error\" set; it is",
      "reported on stderr, the stream goes on, and the exit status is 2. A gold or response given",
      "as a JSON number is judged as the text it was written in. With --gold and --response, judges",
      "the one case given.",
    },
    footer = {
      "",
      "Kinds: numeric, expression, set, tuple, interval, equation, choice, countdown.",
      "",
      "Examples:",
      "  aha verify --gold 1/2 --response 'so the answer is \\boxed{0.5}'",
      "  aha verify --gold '24 from [3, 5, 7, 25]' --kind countdown --response '<answer>(7-3)*(25-5)/... </answer>'",
      "  aha verify responses.jsonl > verdicts.jsonl",
      "  cat responses.jsonl | aha verify",
    })
final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest line judged; a longer one gets an error verdict without being held in memory. */
  static final int MAX_LINE_CHARS = 4 << 20;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "JSON lines to judge; standard input when absent or '-'.")
  Path input;

  @Option(names = "--gold", paramLabel = "G", description = "Gold answer of a single case.")
  String gold;

  @Option(names = "--response", paramLabel = "R", description = "Response of a single case.")
  String response;

  @Option(
      names = "--kind",
      paramLabel = "K",
      description = "Answer kind of the single case (default: inferred from the gold).")
  String kind;

  @Option(
      names = "--accuracy-weight",
      defaultValue = "1.0",
      description = "Reward for a correct answer (default: ${DEFAULT-VALUE}).")
  double accuracyWeight;

  @Option(
      names = "--format-weight",
      defaultValue = "0.1",
      description = "Reward for the <think>…</think><answer>…</answer> format (default: ${DEFAULT-VALUE}).")
  double formatWeight;

  @Option(
      names = "--max-work",
      paramLabel = "STEPS",
      description = {
        "Work budget of one verdict, in steps of parsing and evaluation (default: ${DEFAULT-VALUE}).",
        "A verdict past it is wrong, \"work budget exceeded\"; the same on any machine, under any load."
      })
  long maxWork = Limits.DEFAULT_MAX_WORK;

  @Option(
      names = "--guard-ms",
      paramLabel = "MS",
      description = {
        "Wall-clock guard of one verdict in milliseconds, a last resort for work the budget does not",
        "count (default: ${DEFAULT-VALUE}); a verdict it stops says \"wall-clock guard\"."
      })
  double guardMs = VerifierConfig.DEFAULT_GUARD_NANOS / 1e6;

  @Override
  public Integer call() throws IOException {
    if (!(guardMs > 0)) {
      throw new UserInputException("--guard-ms must be positive, got " + guardMs);
    }
    if (maxWork < 1) {
      throw new UserInputException("--max-work must be at least 1, got " + maxWork);
    }
    VerifierConfig config =
        VerifierConfig.defaults()
            .withWeights(accuracyWeight, formatWeight)
            .withDeadlineNanos((long) (guardMs * 1_000_000))
            .withMaxWork(maxWork);
    Verifier verifier = new Verifier(config);
    PrintWriter out = spec.commandLine().getOut();
    if (gold != null || response != null) {
      if (gold == null || response == null) {
        throw new UserInputException("--gold and --response go together; give both");
      }
      if (input != null) {
        throw new UserInputException("give either FILE or --gold/--response, not both");
      }
      out.println(JSON.writeValueAsString(toJson(verifier.verify(response, gold, parseKind(kind)))));
      out.flush();
      return 0;
    }
    return verifyLines(verifier, out);
  }

  private int verifyLines(Verifier verifier, PrintWriter out) throws IOException {
    boolean fromStdin = input == null || input.toString().equals("-");
    String source = fromStdin ? "<stdin>" : input.toString();
    int errors = 0;
    try (Reader reader =
        fromStdin
            ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
            : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      JsonLineReader lines = new JsonLineReader(reader, MAX_LINE_CHARS);
      JsonLineReader.Line line;
      while ((line = lines.next()) != null) {
        String where = source + ":" + line.number();
        ObjectNode verdict;
        try {
          verdict = verifyLine(verifier, line, where);
        } catch (UserInputException bad) {
          errors++;
          spec.commandLine().getErr().println("aha: error: " + bad.getMessage());
          verdict = errorVerdict(bad.getMessage());
        }
        out.println(JSON.writeValueAsString(verdict));
      }
    }
    out.flush();
    return errors == 0 ? 0 : CliErrors.USER_ERROR;
  }

  private static ObjectNode verifyLine(Verifier verifier, JsonLineReader.Line line, String where) {
    if (line.overlong()) {
      throw new UserInputException(where + ": longer than " + MAX_LINE_CHARS + " characters");
    }
    if (line.text().isBlank()) {
      throw new UserInputException(where + ": blank line; expected a JSON object");
    }
    Map<String, String> fields = Case.read(line.text(), where);
    String lineGold = required(fields, "gold", where);
    String lineResponse = required(fields, "response", where);
    String kindText = fields.get("kind");
    AnswerKind lineKind = null;
    if (kindText != null) {
      try {
        lineKind = AnswerKind.fromWire(kindText);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(where + ": field \"kind\": " + e.getMessage());
      }
    }
    return toJson(verifier.verify(lineResponse, lineGold, lineKind));
  }

  private static String required(Map<String, String> fields, String field, String where) {
    String value = fields.get(field);
    if (value == null) {
      throw new UserInputException(where + ": field \"" + field + "\": missing");
    }
    return value;
  }

  /**
   * The fields of one input line, read with a streaming parser so that a JSON number reaches the
   * verifier as the text it was written in ({@code 1e999999999} stays 11 characters, and the
   * verifier's caps judge it like the same string) instead of being expanded first.
   */
  private static final class Case {
    private static final JsonFactory FACTORY =
        JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> FIELDS = Set.of("gold", "response", "kind");

    static Map<String, String> read(String text, String where) {
      Map<String, String> fields = new HashMap<>();
      try (JsonParser parser = FACTORY.createParser(text)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          throw new UserInputException(where + ": expected a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (!FIELDS.contains(name)) {
            parser.skipChildren(); // other fields (an id, a model name) travel with the case
            continue;
          }
          switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.put(name, parser.getText());
            case VALUE_NULL -> { }
            default -> throw new UserInputException(
                where + ": field \"" + name + "\": expected a string, got " + describe(value));
          }
        }
        if (parser.nextToken() != null) {
          throw new UserInputException(where + ": more after the JSON object");
        }
      } catch (JsonProcessingException e) {
        throw new UserInputException(where + ": not valid JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a String source does not fail to read
      }
      return fields;
    }

    private static String describe(JsonToken token) {
      return switch (token) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "an array";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        default -> token.toString();
      };
    }
  }

  private static AnswerKind parseKind(String text) {
    if (text == null) {
      return null;
    }
    try {
      return AnswerKind.fromWire(text);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("--kind: " + e.getMessage());
    }
  }

  static ObjectNode toJson(Verdict verdict) {
    ObjectNode node = JSON.createObjectNode();
    node.put("correct", verdict.correct());
    node.put("reward", verdict.reward());
    node.put("format_ok", verdict.formatOk());
    node.put("extracted", verdict.extracted());
    node.put("reason", verdict.reason());
    node.putNull("error");
    return node;
  }

  /** The verdict of a line that could not be judged: the same keys, and the error. */
  private static ObjectNode errorVerdict(String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("correct", false);
    node.put("reward", 0.0);
    node.put("format_ok", false);
    node.putNull("extracted");
    node.put("reason", "error");
    node.put("error", message);
    return node;
  }
}
