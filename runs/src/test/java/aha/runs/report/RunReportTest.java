package aha.runs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.reflection.ReflectionMarkers;
import aha.runs.dashboard.FakeRun;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunReportTest {

  @Test
  void chartsCountGrpoStepsLeaveGapsForNullsAndJoinTheHeldOutFigures(@TempDir Path root) throws IOException {
    List<String> warnings = new ArrayList<>();
    try (FakeRun run = TypicalRun.create(root)) {
      RunReport report = RunReport.read(run.dir(), 6, warnings::add);
      List<ChartSpec> charts = report.charts();
      assertEquals(List.of("accuracy", "length", "reflection", "transitions", "loss"), charts.stream().map(ChartSpec::name).toList());
      assertEquals(20, report.stepOffset());
      assertEquals(10, report.grpoSteps());

      ChartSpec accuracy = charts.get(0);
      // FakeRun's literal "eval/pass@k" names no k and is no figure; maj@1 is left to the tables
      assertEquals(
          List.of("training accuracy (sampled)", "held-out pass@1 (greedy)", "held-out pass@1 (sampled)",
              "held-out pass@4", "held-out maj@4"),
          accuracy.series().stream().map(Series::label).toList());
      Map<Double, Double> training = accuracy.series().get(0).points();
      assertEquals(10, training.size());
      assertEquals(1.0, accuracy.series().get(0).points().firstKey().doubleValue(), "GRPO step 1 is global step 21");
      assertTrue(training.get(4.0).isNaN(), "a null accuracy is a gap");
      Series greedy = accuracy.series().get(1);
      assertTrue(greedy.sparse());
      // reports at GRPO steps 0, 2 and 10; step 5 only from its metrics line
      assertEquals(List.of(0.0, 2.0, 5.0, 10.0), List.copyOf(greedy.points().keySet()));
      assertEquals(0.25, greedy.points().get(0.0).doubleValue());
      assertEquals(0.12 + 0.6 * (1 - Math.exp(-25 / 20.0)), greedy.points().get(5.0).doubleValue(), 1e-12);
      assertEquals(0.375, greedy.points().get(10.0).doubleValue());

      ChartSpec reflection = charts.get(2);
      assertTrue(reflection.series().get(0).points().get(4.0).isNaN(), "a missing key is a gap");
      assertEquals(
          List.of("wrong → right (aha)", "right → wrong"),
          charts.get(3).series().stream().map(Series::label).toList());

      ChartSpec loss = charts.get(4);
      assertEquals(ChartSpec.Axis.LOG, loss.axis());
      assertEquals(List.of("pretrain loss", "pretrain held-out loss"), loss.series().stream().map(Series::label).toList());
      assertEquals(List.of(10.0, 20.0), List.copyOf(loss.series().get(1).points().keySet()));
    }
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("metrics.jsonl:") && warnings.get(0).contains("malformed"), warnings.get(0));
    assertTrue(warnings.get(1).contains("step-27.json"), warnings.get(1));
  }

  @Test
  void theStoryPutsTheBaseBesideTheFinalPolicyAndSaysWhereTheTimeWent(@TempDir Path root) throws IOException {
    try (FakeRun run = TypicalRun.create(root)) {
      String story = RunStory.text(RunReport.read(run.dir(), 0, warning -> {}));
      // reports written before the protocol was recorded say what they can
      assertTrue(story.startsWith("held-out, 8 problems; 4 samples each\n"), story);
      assertTrue(story.matches("(?s).*\\s+step 0\\s+step 10\\s+change\n.*"), story);
      assertTrue(story.matches("(?s).*pass@1 \\(greedy\\)\\s+25\\.0%\\s+37\\.5%\\s+\\+12\\.5 pts\n.*"), story);
      assertTrue(story.matches("(?s).*mean length\\s+60\\.5\\s+48\\.3\\s+-12\\.3\n.*"), story);
      // GRPO steps 1-10 (global 21-30): the first five against the last five
      assertTrue(story.contains("GRPO, 10 steps: the first 5 steps against the last\n"), story);
      assertTrue(story.matches("(?s).*mean completion length \\(tokens\\)\\s+70\\.4 -> 82\\.0\n.*"), story);
      // steps 26-30: wrong → right step % 3 = 2, 0, 1, 2, 0; right → wrong step % 2 = 0, 1, 0, 1, 0
      assertTrue(story.matches("(?s).*wrong → right / right → wrong, last 5 steps\\s+5 / 2\n.*"), story);
      // pretraining lines end at 60 s, GRPO's at 90 s; the manifest spans an hour
      assertTrue(story.endsWith("time: 60:00 in all (evaluations included); pretrain 60 s, grpo 30 s\n"), story);
    }
  }

  @Test
  void aRunWithToolsSaysWhenCallsFirstCameToMostResponses(@TempDir Path root) throws IOException {
    // FakeRun's share of responses with a call is 0.01 a step: 0.5 at step 50, 0.51 at 51
    try (FakeRun run = FakeRun.create(root, "20261128-183000-tools", "finished").withTools();
        FakeRun early = FakeRun.create(root, "20261128-183000-early", "finished").withTools()) {
      for (long step = 1; step <= 60; step++) {
        run.metric(step);
        if (step <= 50) {
          early.metric(step);
        }
      }
      RunReport report = RunReport.read(run.dir(), 0, warning -> {});
      assertEquals(java.util.OptionalLong.of(51), report.callsMajorityStep());
      String story = RunStory.text(report);
      assertTrue(story.matches("(?s).*calls first in most responses\\s+at step 51\n.*"), story);
      assertTrue(story.matches("(?s).*responses with a calculator call\\s+5\\.5% -> 55\\.5%\n.*"), story);
      ChartSpec tools = report.charts().stream().filter(c -> c.name().equals("tools")).findFirst().orElseThrow();
      assertTrue(tools.caption().endsWith("first in most responses at GRPO step 51."), tools.caption());
      assertEquals(
          List.of("calls per response", "responses with a call", "accuracy with a call", "accuracy without a call"),
          tools.series().stream().map(Series::label).toList());

      String earlyStory = RunStory.of(early.dir());
      assertTrue(earlyStory.matches("(?s).*calls first in most responses\\s+at no step\n.*"), earlyStory);
    }
    // a run without tools says nothing of them
    try (FakeRun plain = TypicalRun.create(root)) {
      assertTrue(!RunStory.of(plain.dir()).contains("calls"));
    }
  }

  @Test
  void theLastStepsCompletionsComeAhaMomentsFirstWithTheDetectorsMarkers(@TempDir Path root) throws IOException {
    try (FakeRun run = TypicalRun.create(root)) {
      RunReport report = RunReport.read(run.dir(), 6, warning -> {});
      assertEquals(30, report.samplesStep());
      List<RunReport.Shown> shown = report.shown();
      // step 30 has four completions, two of them the same wrong one: shown once
      assertEquals(3, shown.size());
      // both aha moments first, in file order; then a wrong one without a reflection
      assertEquals(FakeRun.REFLECTING, shown.get(0).completion().get("text").asText());
      assertEquals("wrong_to_right", shown.get(0).transition());
      // "3x = 19 - 4 = 14, wait, ...": the detector's number keeps the comma after it ("14,")
      assertTrue(shown.get(0).candidate().startsWith("14"), shown.get(0).candidate());
      assertEquals(TypicalRun.HMM, shown.get(1).completion().get("text").asText());
      // the record lists no markers; the run's detector finds "Hmm" all the same
      assertEquals(List.of(new ReflectionMarkers.Hit("hmm", 18, 21)), shown.get(1).hits());
      assertEquals("5", shown.get(1).candidate());
      assertEquals(FakeRun.WRONG, shown.get(2).completion().get("text").asText());
      assertEquals(ReflectionMarkers.DEFAULT_MARKERS, report.markers());
    }
  }

  @Test
  void eachProblemGetsOneCompletionShownBeforeAnyGetsASecond(@TempDir Path root) throws IOException {
    try (FakeRun run = FakeRun.create(root, "20261128-183000-groups", "finished")) {
      run.rawSamples(plainRecord(7, "a", "x = 1", "x = 2", "x = 3") + plainRecord(7, "b", "y = 1"));
      RunReport report = RunReport.read(run.dir(), 3, warning -> {});
      assertEquals(
          List.of("x = 1", "y = 1", "x = 2"),
          report.shown().stream().map(shown -> shown.completion().get("text").asText()).toList());
    }
  }

  /** A sample record line whose completions are wrong, without reflections. */
  private static String plainRecord(long step, String problem, String... texts) throws IOException {
    ObjectNode record = FakeRun.JSON.createObjectNode();
    record.put("step", step).put("problem_id", problem).put("question", "?").put("gold", "0").put("kind", "numeric");
    ArrayNode completions = record.putArray("completions");
    for (String text : texts) {
      completions.addObject().put("text", text).put("correct", false).put("transition", "none");
    }
    return FakeRun.JSON.writeValueAsString(record) + "\n";
  }

  @Test
  void aRunWithOnlyAManifestHasNothingToChart(@TempDir Path root) throws IOException {
    try (FakeRun run = FakeRun.create(root, "20261128-183000-empty", "running")) {
      RunReport report = RunReport.read(run.dir(), 6, warning -> {});
      assertEquals(List.of(), report.charts());
      assertEquals(List.of(), report.evals());
      assertEquals(List.of(), report.shown());
      assertEquals(List.of(), report.trends());
      String html = report.html(report.drawCharts(300, 200));
      assertTrue(html.contains("No metrics to chart yet"), html);
      assertTrue(html.contains("No eval reports"), html);
    }
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("markup", "<a href='x' title=\"y\">&</a>", "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"),
        Arguments.of("tab and line ends", "a\tb\nc\r", "a\tb\nc\r"),
        Arguments.of("control characters", "\0x\u0007\u007f\u0085", "\uFFFDx\uFFFD\uFFFD\uFFFD"),
        Arguments.of("unpaired surrogates", "a\uD800b\uDC00", "a\uFFFDb\uFFFD"),
        Arguments.of("a surrogate pair and other symbols", "\uD83D\uDE00 ×→", "\uD83D\uDE00 ×→"),
        Arguments.of("null", null, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void escapesMarkupAndReplacesWhatHtmlCannotHold(String name, String text, String escaped) {
    assertEquals(escaped, Html.escape(text));
  }

  @Test
  void marksEachHitAndEscapesAroundIt() {
    String text = "a<b wait, c & Hmm";
    List<ReflectionMarkers.Hit> hits = ReflectionMarkers.defaults().find(text);
    assertEquals(
        "a&lt;b <mark title=\"reflection marker: wait\">wait</mark>, c &amp; "
            + "<mark title=\"reflection marker: hmm\">Hmm</mark>",
        ReportPage.highlighted(text, hits));
    // a hit outside the text (a hand-edited record) is not drawn
    assertEquals("ab", ReportPage.highlighted("ab", List.of(new ReflectionMarkers.Hit("wait", 1, 9))));
  }
}
