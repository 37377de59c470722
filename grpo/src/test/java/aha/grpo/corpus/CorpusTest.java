package aha.grpo.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.grpo.reflection.ReflectionMarkers;
import aha.problems.Problem;
import aha.problems.gen.CurriculumSpec;
import aha.problems.gen.ProblemGenerator;
import aha.problems.gen.WrittenArithmetic;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.verifier.Verifier;
import aha.verifier.VerifierConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CorpusTest {

  private static final Verifier VERIFIER = new Verifier(VerifierConfig.defaults());
  private static List<Problem> problems;
  private static Corpus corpus;

  @BeforeAll
  static void build() {
    problems = ProblemGenerator.generate(CurriculumSpec.defaultSpec(), 2000);
    corpus = Corpus.build(problems, CorpusConfig.of(2000, 2000), VERIFIER);
  }

  @Test
  void theSameProblemsAndConfigGiveTheSameCorpus() {
    Corpus again = Corpus.build(problems, CorpusConfig.of(2000, 2000), VERIFIER);
    assertEquals(corpus.documents(), again.documents());
    assertEquals(
        corpus.conversations().stream().map(Corpus.Conversation::render).toList(),
        again.conversations().stream().map(Corpus.Conversation::render).toList());
    assertEquals(corpus.stats(), again.stats());
  }

  @Test
  void anotherSeedPhrasesDifferently() {
    Corpus other = Corpus.build(problems, CorpusConfig.of(2000, 2000).withSeed(2), VERIFIER);
    assertNotEquals(corpus.documents(), other.documents());
  }

  @Test
  void selfCheckAndSlipSharesAreAsConfigured() {
    Corpus.Stats stats = corpus.stats();
    // 2000 traces each: a quarter self-check (sd ~ 19), 40% of those slip (10% of all, sd ~ 13)
    for (int[] counts :
        new int[][] {
          {stats.documentChecks(), stats.documentSlips()},
          {stats.conversationChecks(), stats.conversationSlips()}
        }) {
      int checked = counts[0] + counts[1];
      assertTrue(Math.abs(checked - 500) < 80, "self-checks " + checked + " of 2000, expected ~500");
      assertTrue(Math.abs(counts[1] - 200) < 60, "slips " + counts[1] + " of 2000, expected ~200");
    }
  }

  @Test
  void noSelfChecksWhenTheShareIsZero() {
    Corpus plain = Corpus.build(problems.subList(0, 200), CorpusConfig.of(200, 200).withSelfChecks(0, 0.4).withFactSheets(0), VERIFIER);
    assertEquals(0, plain.stats().documentChecks() + plain.stats().documentSlips());
    assertEquals(0, plain.stats().conversationChecks() + plain.stats().conversationSlips());
  }

  @Test
  void everySftAnswerVerifiesAndIsWellFormed() {
    for (Corpus.Conversation conversation : corpus.conversations()) {
      Problem problem = conversation.problem();
      Message assistant = conversation.messages().get(2);
      assertEquals(Message.ASSISTANT, assistant.role());
      var verdict = VERIFIER.verify(assistant.content(), problem.answer(), problem.kind());
      assertTrue(verdict.correct(), problem.id() + ": " + assistant.content());
      assertTrue(verdict.formatOk(), problem.id() + ": " + assistant.content());
      assertEquals(ChatTemplate.DEFAULT_SYSTEM_PROMPT, conversation.messages().get(0).content());
      assertEquals(problem.question(), conversation.messages().get(1).content());
    }
  }

  @Test
  void slipTracesCatchARealMistakeAndEndWithTheRightAnswer() {
    ReflectionMarkers markers = ReflectionMarkers.defaults();
    int slips = 0;
    for (Corpus.Conversation conversation : corpus.conversations()) {
      Trace trace = conversation.trace();
      if (trace.check() == Trace.Check.NONE) {
        assertTrue(markers.find(trace.reasoning()).isEmpty(), trace.reasoning());
        continue;
      }
      assertFalse(markers.find(trace.reasoning()).isEmpty(), "no reflection marker: " + trace.reasoning());
      if (trace.check() != Trace.Check.SLIP) {
        continue;
      }
      slips++;
      Problem problem = conversation.problem();
      // the answer is the plain trace's, so the slip was corrected
      assertEquals(SelfChecks.plain(problem).answer(), trace.answer());
      assertSlipsAreCaught(trace, problem);
      // the spans point at the slips in the rendered conversation too
      List<Trace.Span> spans = conversation.slipSpans();
      assertEquals(trace.slips().size(), spans.size());
      for (int s = 0; s < spans.size(); s++) {
        assertEquals(
            trace.text(trace.slips().get(s)),
            conversation.render().substring(spans.get(s).start(), spans.get(s).end()));
      }
    }
    assertTrue(slips > 100, "only " + slips + " slip traces");
  }

  /** Each slip of {@code trace} is really wrong, and the check after it names it as the wrong one. */
  private static void assertSlipsAreCaught(Trace trace, Problem problem) {
    for (Trace.Span slip : trace.slips()) {
      String wrong = "<think>.</think><answer>" + trace.text(slip) + "</answer>";
      assertFalse(VERIFIER.verify(wrong, problem.answer(), problem.kind()).correct(), trace.reasoning());
      // the first correction after the slip, which ends its check, names it
      String after = trace.reasoning().substring(slip.end());
      int correction = after.indexOf(", not ");
      assertTrue(correction >= 0 && after.startsWith(", not " + trace.text(slip) + ".", correction), trace.reasoning());
    }
  }

  @Test
  void checkingEveryStepChecksStepsBeforeTheLastAndEndsRight() {
    CorpusConfig config =
        CorpusConfig.of(2000, 2000)
            .withRoutes(0, 1, 1, 0)
            .withWorking(WrittenArithmetic.Layout.PEELED)
            .withSelfChecks(0.3, 0.5)
            .withCheckedSteps(SelfChecks.CheckedSteps.EVERY);
    // the SFT answers verify inside build, so every slip was corrected to the right final answer
    Corpus checked = Corpus.build(problems.subList(0, 2000), config, VERIFIER);
    int beforeLast = 0;
    int several = 0;
    for (Corpus.Conversation conversation : checked.conversations()) {
      Trace trace = conversation.trace();
      assertSlipsAreCaught(trace, conversation.problem());
      String[] lines = trace.reasoning().split("\n");
      long checks =
          Arrays.stream(lines).filter(l -> SelfChecks.CAREFUL_OPENERS.stream().anyMatch(l::startsWith)).count();
      several += checks > 1 ? 1 : 0;
      // a check before the last step: more lines follow the line that ends the first check
      String reasoning = trace.reasoning();
      int firstCheck = SelfChecks.CAREFUL_OPENERS.stream().mapToInt(reasoning::indexOf).filter(i -> i >= 0).min().orElse(-1);
      assertEquals(trace.check() == Trace.Check.NONE, firstCheck < 0, reasoning);
      if (firstCheck >= 0) {
        int checkEnd =
            Stream.concat(SelfChecks.CONFIRMATIONS.stream(), Stream.of(", not "))
                .mapToInt(ending -> reasoning.indexOf(ending, firstCheck))
                .filter(i -> i >= 0)
                .min()
                .orElseThrow();
        beforeLast += reasoning.indexOf('\n', checkEnd) >= 0 ? 1 : 0;
      }
    }
    assertTrue(beforeLast > 100, "only " + beforeLast + " traces check a step before the last");
    assertTrue(several > 20, "only " + several + " traces hold several checks");
  }

  @Test
  void aSlipInsideALineIsCutThereAndTheStepWrittenAgain() {
    // "6 + 19 = 25, so 25 - 48": the slip "6 + 19 = 26" is caught, then the step is written again
    Problem problem =
        problems.stream()
            .filter(p -> p.meta().family().equals("arithmetic") && p.solution().lines().anyMatch(l -> l.matches(".*\\d\\d [-+] \\d\\d = \\d+, so .*")))
            .findFirst()
            .orElseThrow();
    Trace trace =
        new SelfChecks(VERIFIER, WrittenArithmetic.Layout.PEELED)
            .checkingEveryStep(problem, Routes.Route.TERSE, 1, 1, false, new SplittableRandom(1));
    assertEquals(Trace.Check.SLIP, trace.check(), trace.reasoning());
    assertSlipsAreCaught(trace, problem);
    for (Trace.Span slip : trace.slips()) {
      String slipped = trace.reasoning().substring(0, slip.end());
      String line = slipped.substring(slipped.lastIndexOf('\n') + 1);
      String rest = trace.reasoning().substring(slip.end());
      // the slipped line ends at the slip; the step comes again in full after the correction
      assertTrue(rest.startsWith("\n"), trace.reasoning());
      String stepStart = line.substring(0, line.length() - trace.text(slip).length());
      assertTrue(rest.contains("\n" + stepStart), trace.reasoning());
    }
  }

  @Test
  void aSlipTraceReadsAsACorrection() {
    Problem problem = problems.stream().filter(p -> p.meta().family().equals("word")).findFirst().orElseThrow();
    SelfChecks checks = new SelfChecks(VERIFIER);
    Trace trace = checks.trace(problem, Routes.Route.GENERATED, Trace.Check.SLIP, new SplittableRandom(3));
    assertEquals(Trace.Check.SLIP, trace.check());
    String[] lines = trace.reasoning().split("\n");
    String plain = SelfChecks.plain(problem).reasoning();
    // one line more than the plain trace: the check right after the slipped line
    assertEquals(plain.split("\n").length + 1, lines.length, trace.reasoning());
    assertTrue(SelfChecks.OPENERS.stream().anyMatch(o -> trace.reasoning().contains(o)), trace.reasoning());
  }

  @Test
  void aTerseTraceChecksOnlyWhatItCanWorkOut() {
    // "Divide both sides by 6: x = 12 / 6 = 2" has nothing to work out: restating it would run the
    // same one-line computation twice, so the terse trace holds no check
    Problem problem =
        problems.stream()
            .filter(p -> p.meta().family().equals("linear") && p.solution().contains(" / "))
            .findFirst()
            .orElseThrow();
    Trace trace =
        new SelfChecks(VERIFIER).trace(problem, Routes.Route.TERSE, Trace.Check.SLIP, new SplittableRandom(1));
    assertEquals(Trace.Check.NONE, trace.check(), trace.reasoning());
    assertEquals(SelfChecks.plain(problem).reasoning(), trace.reasoning());
  }

  @Test
  void aTerseMultiDigitKeyStepIsCheckedByWorkingItOut() {
    // "Change: 200 - 126 = 74" is checked column by column, not by restating it
    Problem problem =
        problems.stream()
            .filter(p -> p.meta().family().equals("word") && p.solution().contains("Change: "))
            .findFirst()
            .orElseThrow();
    Trace trace =
        new SelfChecks(VERIFIER).trace(problem, Routes.Route.TERSE, Trace.Check.CONFIRM, new SplittableRandom(1));
    assertEquals(Trace.Check.CONFIRM, trace.check());
    assertTrue(trace.reasoning().contains("Subtract column by column"), trace.reasoning());
    assertTrue(SelfChecks.CAREFUL_OPENERS.stream().anyMatch(o -> trace.reasoning().contains(o)), trace.reasoning());
  }

  /**
   * {@code tool_share}: that share of the conversations without a slip write their operations as
   * calculator calls whose results are the calculator's own answers, and still verify; slips keep
   * their working; without it the corpus is the same text as before tools existed.
   */
  @Test
  void aShareOfTheConversationsCallTheCalculator() {
    CorpusConfig config = CorpusConfig.checksEveryStep(600, 600);
    Corpus plain = Corpus.build(problems.subList(0, 600), config, VERIFIER);
    Corpus tools = Corpus.build(problems.subList(0, 600), config.withToolShare(0.5), VERIFIER);
    Corpus before = Corpus.build(problems.subList(0, 600), config.withToolShare(0), VERIFIER);
    assertEquals(plain.conversations().stream().map(Corpus.Conversation::render).toList(),
        before.conversations().stream().map(Corpus.Conversation::render).toList());
    assertTrue(plain.conversations().stream().noneMatch(c -> c.render().contains(ChatTemplate.CALC_START)));

    int calling = 0;
    int eligible = 0;
    java.util.regex.Pattern call = java.util.regex.Pattern.compile("<calc>([^<]*)</calc><result>([^<]*)</result>");
    for (Corpus.Conversation conversation : tools.conversations()) {
      String reasoning = conversation.trace().reasoning();
      if (conversation.trace().check() == Trace.Check.SLIP) {
        assertFalse(reasoning.contains(ChatTemplate.CALC_START), reasoning);
        continue;
      }
      eligible++;
      java.util.regex.Matcher m = call.matcher(reasoning);
      boolean any = false;
      while (m.find()) {
        any = true;
        assertEquals(aha.verifier.math.Calculator.evaluate(m.group(1)), m.group(2), reasoning);
      }
      calling += any ? 1 : 0;
    }
    double share = (double) calling / eligible;
    assertTrue(share > 0.3 && share < 0.55, calling + " of " + eligible + " conversations call it");
  }

  /**
   * {@code tool_style} checks: a share of the conversations do their self-checks with the
   * calculator, slips included, and work their steps in the head as before; every call is the
   * calculator's own answer, follows a calculator opener, and every conversation still verifies.
   */
  @Test
  void withTheChecksStyleTheSelfChecksCallTheCalculator() {
    CorpusConfig config =
        CorpusConfig.checksEveryStep(600, 600).withToolShare(0.5).withToolStyle(ToolTraces.Style.CHECKS);
    Corpus tools = Corpus.build(problems.subList(0, 600), config, VERIFIER);
    java.util.regex.Pattern call = java.util.regex.Pattern.compile("with the calculator: <calc>([^<]*)</calc><result>([^<]*)</result>\\. ");
    int calling = 0;
    int checking = 0;
    int slipsCaught = 0;
    for (Corpus.Conversation conversation : tools.conversations()) {
      String reasoning = conversation.trace().reasoning();
      if (conversation.trace().check() == Trace.Check.NONE) {
        assertFalse(reasoning.contains(ChatTemplate.CALC_START), reasoning);
        continue;
      }
      checking++;
      int calls = ToolTraces.calls(reasoning);
      java.util.regex.Matcher m = call.matcher(reasoning);
      int found = 0;
      while (m.find()) {
        found++;
        assertEquals(aha.verifier.math.Calculator.evaluate(m.group(1)), m.group(2), reasoning);
      }
      assertEquals(calls, found, "every call is a check's: " + reasoning);
      if (calls > 0) {
        calling++;
        // a check with the calculator replaces the working out, it does not add to it
        assertTrue(SelfChecks.CAREFUL_OPENERS.stream().noneMatch(reasoning::contains), reasoning);
        slipsCaught += conversation.trace().check() == Trace.Check.SLIP ? 1 : 0;
      }
    }
    double share = (double) calling / checking;
    assertTrue(share > 0.4 && share < 0.6, calling + " of " + checking + " checking conversations call it");
    assertTrue(slipsCaught > 0, "slips caught by the calculator");
    // checks needs every step checked
    assertThrows(aha.sampler.settings.InvalidFieldException.class,
        () -> config.withCheckedSteps(SelfChecks.CheckedSteps.KEY));
  }

  @Test
  void operationsBecomeCallsOnlyWhereTheCalculatorAgrees() {
    assertEquals("3x = <calc>19 + 4</calc><result>23</result>", ToolTraces.withCalls("3x = 19 + 4 = 23"));
    assertEquals("<calc>840 + 2744</calc><result>3584</result>\nSo <calc>706 - 1143</calc><result>-437</result>",
        ToolTraces.withCalls("840 + 2744 = 3584\nSo 706 - 1143 = -437"));
    assertEquals("12 * 3 = 37", ToolTraces.withCalls("12 * 3 = 37"), "a slip stays a slip");
    assertEquals("2.5 * 4 = 10", ToolTraces.withCalls("2.5 * 4 = 10"), "decimals are left as written");
    assertEquals("7 / 2 = 3", ToolTraces.withCalls("7 / 2 = 3"), "the calculator says 7/2");
    assertEquals(2, ToolTraces.calls(ToolTraces.withCalls("1 + 1 = 2, 2 * 3 = 6")));
  }

  @Test
  void routesAreDrawnAtTheirSharesAndCarefulTracesHoldNoCheck() {
    Corpus routed =
        Corpus.build(problems.subList(0, 1000), CorpusConfig.of(1000, 1000).withRoutes(0.3, 0.5), VERIFIER);
    Corpus.Stats stats = routed.stats();
    assertEquals(0.3, stats.conversationsCareful() / 1000.0, 0.05, stats.toString());
    assertEquals(0.5, stats.conversationsTerse() / 1000.0, 0.05, stats.toString());
    // the generated traces of the default corpus do not move: only routed traces differ
    assertEquals(0, corpus.stats().conversationsCareful() + corpus.stats().conversationsTerse());
    Problem addition = problems.stream().filter(p -> p.meta().family().equals("addition")).findFirst().orElseThrow();
    Trace careful =
        new SelfChecks(VERIFIER).trace(addition, Routes.Route.CAREFUL, Trace.Check.SLIP, new SplittableRandom(1));
    assertEquals(Trace.Check.NONE, careful.check());
    assertEquals(SelfChecks.plain(addition).reasoning(), careful.reasoning());
  }


  @Test
  void documentsAndConversationsDrawTheirRoutesApart() {
    // every document careful (pretraining teaches the working), conversations mostly terse
    Corpus routed =
        Corpus.build(problems.subList(0, 1000), CorpusConfig.of(1000, 1000).withRoutes(0.3, 0.7, 1, 0), VERIFIER);
    Corpus.Stats stats = routed.stats();
    assertEquals(1000, stats.documentsCareful(), stats.toString());
    assertEquals(0, stats.documentsTerse() + stats.documentChecks(), stats.toString());
    assertEquals(0.3, stats.conversationsCareful() / 1000.0, 0.05, stats.toString());
    assertEquals(1000, stats.conversationsCareful() + stats.conversationsTerse(), stats.toString());
  }
  @Test
  void aTenthOfTheDocumentsBringADrillSheetOfTrueFacts() {
    int sheets = corpus.stats().factSheets();
    assertTrue(Math.abs(sheets - 200) < 50, sheets + " drill sheets for 2000 documents");
    assertEquals(2000 + sheets, corpus.documents().size());
    var form = java.util.regex.Pattern.compile("(-?\\d+(?: [-+*/] \\d+)+) = (-?\\d+)|(\\d+) = (\\d+) \\* (\\d+) \\+ (\\d+)");
    int facts = 0;
    for (String document : corpus.documents()) {
      if (!ArithmeticFacts.HEADINGS.contains(document.lines().findFirst().orElseThrow())) {
        continue;
      }
      for (String line : document.lines().skip(1).toList()) {
        var m = form.matcher(line);
        assertTrue(m.matches(), line);
        if (m.group(1) != null) {
          assertEquals(Long.parseLong(m.group(2)), evaluate(m.group(1)), line);
        } else {
          long divisor = Long.parseLong(m.group(4));
          long remainder = Long.parseLong(m.group(6));
          assertEquals(Long.parseLong(m.group(3)), divisor * Long.parseLong(m.group(5)) + remainder, line);
          assertTrue(remainder < divisor, line);
        }
        facts++;
      }
    }
    assertEquals(sheets * Corpus.FACTS_PER_SHEET, facts);
  }

  /** Left to right with * and / first: enough for the drill forms. */
  private static long evaluate(String expression) {
    String[] parts = expression.split(" ");
    java.util.List<Long> terms = new java.util.ArrayList<>();
    java.util.List<String> ops = new java.util.ArrayList<>();
    terms.add(Long.parseLong(parts[0]));
    for (int i = 1; i < parts.length; i += 2) {
      long value = Long.parseLong(parts[i + 1]);
      switch (parts[i]) {
        case "*" -> terms.set(terms.size() - 1, terms.get(terms.size() - 1) * value);
        case "/" -> {
          long last = terms.get(terms.size() - 1);
          assertEquals(0, last % value, expression);
          terms.set(terms.size() - 1, last / value);
        }
        default -> {
          ops.add(parts[i]);
          terms.add(value);
        }
      }
    }
    long total = terms.get(0);
    for (int i = 0; i < ops.size(); i++) {
      total += ops.get(i).equals("+") ? terms.get(i + 1) : -terms.get(i + 1);
    }
    return total;
  }

  @Test
  void documentsArePlainTextInTheTemplates() {
    for (String document : corpus.documents()) {
      for (String control : ChatTemplate.CONTROL_TOKENS) {
        assertFalse(document.contains(control), document);
      }
      assertFalse(document.contains(ChatTemplate.THINK_START), document);
    }
    long qa = corpus.documents().stream().filter(d -> d.startsWith("Question: ")).count();
    assertTrue(qa > 2000 / 6 / 2 && qa < 2000 / 6 * 2, "a template used " + qa + " times of 2000");
  }
}
