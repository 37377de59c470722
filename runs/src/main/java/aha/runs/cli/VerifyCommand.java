package aha.runs.cli;

import aha.problems.AnswerKind;
import aha.verifier.Verdict;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "line, in order: {\"correct\", \"reward\", \"format_ok\", \"extracted\", \"reason\"}. A malformed",
      "line yields a verdict with an \"error\" field, is reported on stderr, and makes the exit",
      "status 2. With --gold and --response, judges the one case given.",
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
  // Big decimals keep a numeric gold such as 0.1 exact instead of rounding it through a double.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

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
      names = "--deadline-ms",
      defaultValue = "50",
      description = "Hard deadline per verdict in milliseconds (default: ${DEFAULT-VALUE}).")
  double deadlineMs;

  @Override
  public Integer call() throws IOException {
    if (deadlineMs <= 0) {
      throw new UserInputException("--deadline-ms must be positive, got " + deadlineMs);
    }
    Verifier verifier =
        new Verifier(
            VerifierConfig.defaults()
                .withWeights(accuracyWeight, formatWeight)
                .withDeadlineNanos((long) (deadlineMs * 1_000_000)));
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
    try (BufferedReader reader =
        fromStdin
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        ObjectNode verdict;
        try {
          verdict = verifyLine(verifier, line, source + ":" + lineNumber);
        } catch (UserInputException bad) {
          errors++;
          spec.commandLine().getErr().println("aha: error: " + bad.getMessage());
          verdict = JSON.createObjectNode();
          verdict.put("correct", false).put("reward", 0.0).put("error", bad.getMessage());
        }
        out.println(JSON.writeValueAsString(verdict));
      }
    }
    out.flush();
    return errors == 0 ? 0 : CliErrors.USER_ERROR;
  }

  private static ObjectNode verifyLine(Verifier verifier, String line, String where) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new UserInputException(where + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new UserInputException(where + ": expected a JSON object");
    }
    String lineGold = requiredText(node, "gold", where);
    String lineResponse = requiredText(node, "response", where);
    JsonNode kindNode = node.get("kind");
    AnswerKind lineKind = null;
    if (kindNode != null && !kindNode.isNull()) {
      try {
        lineKind = AnswerKind.fromWire(kindNode.asText());
      } catch (IllegalArgumentException e) {
        throw new UserInputException(where + ": field \"kind\": " + e.getMessage());
      }
    }
    return toJson(verifier.verify(lineResponse, lineGold, lineKind));
  }

  /** A string field; a JSON number is accepted as its exact decimal text (golds are often numbers). */
  private static String requiredText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new UserInputException(where + ": field \"" + field + "\": missing");
    }
    if (value.isNumber()) {
      return value.decimalValue().toPlainString();
    }
    if (!value.isTextual()) {
      throw new UserInputException(
          where + ": field \"" + field + "\": expected a string, got " + value.getNodeType());
    }
    return value.asText();
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
    return node;
  }
}
