package aha.grpo.rl;

import aha.grpo.reflection.AhaDetector;
import aha.grpo.reflection.ReflectionMarkers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code samples.jsonl}: one per logged problem per step, with all its completions,
 * rewards, verdict reasons and aha marks, in the layout docs/run-format.md gives (which the
 * dashboard's sample browser reads).
 */
public final class SampleLog {

  private SampleLog() {}

  /**
   * Records of the first {@code limit} groups.
   *
   * @param analyses the aha analysis of each completion, group by group, as {@code groups}
   */
  public static List<ObjectNode> records(
      long step, List<ScoredGroup> groups, List<List<AhaDetector.Analysis>> analyses, int limit) {
    List<ObjectNode> out = new ArrayList<>();
    for (int p = 0; p < Math.min(limit, groups.size()); p++) {
      out.add(record(step, groups.get(p), analyses.get(p)));
    }
    return out;
  }

  static ObjectNode record(long step, ScoredGroup group, List<AhaDetector.Analysis> analyses) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("step", step);
    line.put("problem_id", group.problem().id());
    line.put("question", group.problem().question());
    line.put("gold", group.problem().answer());
    line.put("kind", group.problem().kind().wireName());
    if (group.problem().meta() != null && group.problem().meta().family() != null) {
      line.put("family", group.problem().meta().family());
    }
    ArrayNode completions = line.putArray("completions");
    for (int i = 0; i < group.size(); i++) {
      ScoredCompletion c = group.completions().get(i);
      AhaDetector.Analysis analysis = analyses.get(i);
      ObjectNode node = completions.addObject();
      node.put("text", c.text());
      node.put("reward", c.reward());
      node.put("correct", c.correct());
      node.put("format_ok", c.verdict().formatOk());
      node.put("extracted", c.verdict().extracted());
      node.put("reason", c.verdict().reason());
      node.put("finish", c.finishReason().wireName());
      // the tokens the policy wrote, as the length metrics count them; a tool's answers apart
      int policyTokens = c.completion().policyTokens();
      node.put("length", policyTokens);
      if (policyTokens < c.tokens().length) {
        node.put("tool_tokens", c.tokens().length - policyTokens);
      }
      node.put("policy_version", c.policyVersion());
      if (c.node() != null) {
        node.put("node", c.node()); // which cluster node sampled it
      }
      ArrayNode markers = node.putArray("markers");
      for (ReflectionMarkers.Hit hit : analysis.hits()) {
        markers.addObject().put("marker", hit.marker()).put("start", hit.start()).put("end", hit.end());
      }
      node.put("transition", analysis.transition().wireName());
    }
    return line;
  }
}
