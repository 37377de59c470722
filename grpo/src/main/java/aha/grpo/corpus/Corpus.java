package aha.grpo.corpus;

import aha.problems.Problem;
import aha.sampler.tokenizer.ChatTemplate;
import aha.sampler.tokenizer.Message;
import aha.verifier.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lab's training text, made from generated problems: the pretraining corpus (the lab's
 * "internet") and the SFT set.
 *
 * <p><b>Pretraining documents</b> are worked solutions in plain text, each problem phrased with one
 * of the {@link #DOCUMENT_TEMPLATES} picked at random: "Question: … Answer: Let's think step by
 * step. … The answer is 7.", "Problem: … Solution: … #### 7", and so on. No chat tokens.
 *
 * <p><b>SFT conversations</b> are in the chat template: the default system prompt, the question as
 * the user turn, and an assistant turn {@code <think>steps</think><answer>answer</answer>}. Every
 * assistant turn's answer is checked with the verifier against the problem's gold answer.
 *
 * <p><b>Routes</b> ({@link Routes}): each conversation is written carefully, every multi-digit
 * operation worked out, with probability {@code carefulShare}, tersely, one line per operation, with
 * probability {@code terseShare}, else as the generator wrote it; each document the same with
 * {@code documentCarefulShare} and {@code documentTerseShare}.
 *
 * <p><b>Self-checks</b> ({@link SelfChecks}): each trace not written carefully independently holds
 * one with probability {@code selfCheckShare}; a self-check is a slip caught and corrected with probability
 * {@code slipShare}, else a confirmation. With {@code checkedSteps} {@code every}, each step of a
 * terse trace draws its own check instead. Documents and conversations draw their own.
 *
 * <p><b>Arithmetic drill sheets</b> ({@link ArithmeticFacts}) follow a share of the documents
 * ({@code factSheets} per document): the one-digit facts every solution is built from.
 *
 * <p>Deterministic: the same problems and config give the same corpus, byte for byte.
 *
 * @param documents the pretraining documents: one per problem, and the drill sheets
 * @param conversations the SFT conversations
 * @param stats what was made
 */
public record Corpus(List<String> documents, List<Conversation> conversations, Stats stats) {

  /** Facts on one drill sheet. */
  public static final int FACTS_PER_SHEET = 24;

  /** How a pretraining document phrases a problem: %1$s question, %2$s steps, %3$s answer. */
  public static final List<String> DOCUMENT_TEMPLATES =
      List.of(
          "Question: %1$s\nAnswer: Let's think step by step.\n%2$s\nThe answer is %3$s.",
          "Problem: %1$s\nSolution:\n%2$s\n#### %3$s",
          "%1$s\n\n%2$s\nFinal answer: %3$s",
          "Exercise: %1$s\nWorked solution:\n%2$s\nTherefore, the answer is %3$s.",
          "Q: %1$s\nA: %2$s\nSo the answer is %3$s.",
          "Here is a worked example.\n%1$s\n%2$s\nSo we get %3$s.");

  /**
   * One SFT conversation.
   *
   * @param messages system, user and assistant turns
   * @param trace the assistant's trace; its slip span is relative to the reasoning
   * @param problem the problem asked
   */
  public record Conversation(List<Message> messages, Trace trace, Problem problem) {

    /** The rendered text, as the chat template writes it. */
    public String render() {
      return ChatTemplate.render(messages);
    }

    /**
     * Where each slipped value sits in {@link #render()}, empty without a slip:
     * the reasoning starts right after the assistant header and {@code <think>}.
     */
    public List<Trace.Span> slipSpans() {
      String before = ChatTemplate.render(messages.subList(0, messages.size() - 1));
      int reasoningStart =
          before.length()
              + (ChatTemplate.IM_START + Message.ASSISTANT + ChatTemplate.IM_SEP).length()
              + ChatTemplate.THINK_START.length();
      return trace.slips().stream()
          .map(slip -> new Trace.Span(reasoningStart + slip.start(), reasoningStart + slip.end()))
          .toList();
    }
  }

  /**
   * Counts of what was made.
   *
   * @param documents pretraining documents, drill sheets included
   * @param factSheets arithmetic drill sheets among them
   * @param documentsCareful documents written the careful way
   * @param documentsTerse documents written tersely
   * @param documentChecks documents with a confirming self-check
   * @param documentSlips documents with a caught slip
   * @param conversations SFT conversations
   * @param conversationsCareful conversations written the careful way
   * @param conversationsTerse conversations written tersely
   * @param conversationChecks conversations with a confirming self-check
   * @param conversationSlips conversations with a caught slip
   * @param characters characters of all documents and rendered conversations
   */
  public record Stats(
      int documents,
      int factSheets,
      int documentsCareful,
      int documentsTerse,
      int documentChecks,
      int documentSlips,
      int conversations,
      int conversationsCareful,
      int conversationsTerse,
      int conversationChecks,
      int conversationSlips,
      long characters) {}

  /**
   * Builds the corpus from the first {@code config.problems()} problems.
   *
   * @throws IllegalArgumentException when there are too few problems, or a problem lacks a
   *     solution
   * @throws IllegalStateException when an SFT answer does not verify: a generator bug
   */
  public static Corpus build(List<Problem> problems, CorpusConfig config, Verifier verifier) {
    if (problems.size() < config.problems()) {
      throw new IllegalArgumentException(
          "the corpus needs " + config.problems() + " problems, got " + problems.size());
    }
    SelfChecks checks = new SelfChecks(verifier, config.working());
    List<String> documents = new ArrayList<>(config.problems());
    List<Conversation> conversations = new ArrayList<>(config.sftProblems());
    int[] documentCounts = new int[Trace.Check.values().length];
    int[] conversationCounts = new int[Trace.Check.values().length];
    long characters = 0;
    int factSheets = 0;
    int[] documentRoutes = new int[Routes.Route.values().length];
    int[] conversationRoutes = new int[Routes.Route.values().length];
    for (int i = 0; i < config.problems(); i++) {
      Problem problem = problems.get(i);
      // one stream per problem, so that a problem's text does not depend on the others
      SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + problem.id().hashCode());
      Routes.Route documentRoute = drawRoute(config.documentCarefulShare(), config.documentTerseShare(), random);
      Trace document = checks.trace(problem, documentRoute, config, random);
      documentRoutes[documentRoute.ordinal()]++;
      documentCounts[document.check().ordinal()]++;
      String template = DOCUMENT_TEMPLATES.get(random.nextInt(DOCUMENT_TEMPLATES.size()));
      String text = String.format(template, problem.question(), document.reasoning(), document.answer());
      documents.add(text);
      characters += text.length();
      if (random.nextDouble() < config.factSheets()) {
        String sheet = ArithmeticFacts.sheet(FACTS_PER_SHEET, random);
        documents.add(sheet);
        characters += sheet.length();
        factSheets++;
      }
      if (i < config.sftProblems()) {
        Routes.Route route = drawRoute(config.carefulShare(), config.terseShare(), random);
        Trace trace;
        if (config.toolShare() > 0 && config.toolStyle() == ToolTraces.Style.CHECKS) {
          // a share of the conversations check their steps with the calculator
          trace = checks.trace(problem, route, config, random.nextDouble() < config.toolShare(), random);
        } else {
          trace = checks.trace(problem, route, config, random);
          // a share of the conversations call the calculator; drawn only when some do, so that a
          // corpus without tools is the same text as before they existed. A trace with a slip
          // keeps its working: the slip is the lesson there, and its spans point into the text
          if (config.toolShare() > 0 && trace.check() != Trace.Check.SLIP && random.nextDouble() < config.toolShare()) {
            trace = new Trace(ToolTraces.withCalls(trace.reasoning()), trace.answer(), trace.check());
          }
        }
        conversationRoutes[route.ordinal()]++;
        String answer = ChatTemplate.assistantContent(trace.reasoning(), trace.answer());
        if (!verifier.verify(answer, problem.answer(), problem.kind()).correct()) {
          throw new IllegalStateException(
              "the SFT answer of " + problem.id() + " does not verify against its gold "
                  + problem.answer() + ": " + answer);
        }
        Conversation conversation =
            new Conversation(
                List.of(
                    Message.system(ChatTemplate.DEFAULT_SYSTEM_PROMPT),
                    Message.user(problem.question()),
                    Message.assistant(trace.reasoning(), trace.answer())),
                trace,
                problem);
        conversations.add(conversation);
        conversationCounts[trace.check().ordinal()]++;
        characters += conversation.render().length();
      }
    }
    Stats stats =
        new Stats(
            documents.size(),
            factSheets,
            documentRoutes[Routes.Route.CAREFUL.ordinal()],
            documentRoutes[Routes.Route.TERSE.ordinal()],
            documentCounts[Trace.Check.CONFIRM.ordinal()],
            documentCounts[Trace.Check.SLIP.ordinal()],
            conversations.size(),
            conversationRoutes[Routes.Route.CAREFUL.ordinal()],
            conversationRoutes[Routes.Route.TERSE.ordinal()],
            conversationCounts[Trace.Check.CONFIRM.ordinal()],
            conversationCounts[Trace.Check.SLIP.ordinal()],
            characters);
    return new Corpus(List.copyOf(documents), List.copyOf(conversations), stats);
  }

  /** A trace's route; draws nothing when every trace is written as generated. */
  private static Routes.Route drawRoute(double carefulShare, double terseShare, SplittableRandom random) {
    if (carefulShare + terseShare == 0) {
      return Routes.Route.GENERATED;
    }
    double u = random.nextDouble();
    if (u < carefulShare) {
      return Routes.Route.CAREFUL;
    }
    return u < carefulShare + terseShare ? Routes.Route.TERSE : Routes.Route.GENERATED;
  }

}
