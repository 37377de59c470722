package aha.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.problems.AnswerKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Agreement with the strict-policy label on {@code adversarial.jsonl}: whole model outputs in every
 * category of the verifier's rules (numbers, units and words, percent, degrees, functions,
 * intervals, plus-minus sets, choices, expressions, and responses that state one or two final
 * answers), each wrapped four ways (answer block, box, {@code ####} line, phrase). The target is
 * 97%; every disagreement is printed with its category.
 */
class AdversarialAgreementTest {

  private static final double TARGET = 0.97;

  @Test
  void agreesWithTheStrictLabelOnAtLeast97Percent() throws IOException {
    Verifier verifier = new Verifier(VerifierConfig.defaults());
    ObjectMapper json = new ObjectMapper();
    int total = 0;
    int agreed = 0;
    List<String> disagreements = new ArrayList<>();
    Map<String, int[]> byCategory = new TreeMap<>();
    try (InputStream in = AdversarialAgreementTest.class.getResourceAsStream("adversarial.jsonl");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode c = json.readTree(line);
        JsonNode kindNode = c.get("kind");
        AnswerKind kind = kindNode == null || kindNode.isNull() ? null : AnswerKind.fromWire(kindNode.asText());
        Verdict verdict = verifier.verify(c.get("response").asText(), c.get("gold").asText(), kind);
        boolean label = c.get("correct").asBoolean();
        int[] counts = byCategory.computeIfAbsent(c.get("category").asText(), k -> new int[2]);
        counts[0]++;
        total++;
        if (verdict.correct() == label) {
          agreed++;
          counts[1]++;
        } else {
          disagreements.add(
              c.get("category").asText() + ": gold " + c.get("gold").asText() + ", label " + label
                  + ", verdict " + verdict.reason() + " :: " + c.get("response").asText().replace("\n", "\\n"));
        }
      }
    }
    StringBuilder report = new StringBuilder();
    byCategory.forEach((category, counts) -> report.append(String.format("%-18s %d/%d%n", category, counts[1], counts[0])));
    disagreements.forEach(d -> report.append(d).append('\n'));
    System.out.println("adversarial agreement " + agreed + "/" + total + "\n" + report);
    assertTrue(total >= 300, "only " + total + " cases");
    assertTrue(agreed >= TARGET * total, "agreement " + agreed + "/" + total + "\n" + report);
  }
}
