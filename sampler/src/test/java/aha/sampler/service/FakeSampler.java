package aha.sampler.service;

import aha.sampler.generate.Completion;
import aha.sampler.generate.CompletionSampler;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A sampler with known outputs: it reads each prompt as the question's code points ({@link
 * CharScorer.Question#prompt}) and answers with the text {@link Script} gives for the question, the how-manieth time
 * it sees that question, and its current "weights"; the tokens are the text's code points. It
 * records what it was asked and on which threads.
 */
final class FakeSampler implements CompletionSampler, AutoCloseable {

  /** The response text for the {@code occurrence}-th sampling (from 0) of {@code question}. */
  @FunctionalInterface
  interface Script {
    String respond(String weights, String question, int occurrence);
  }

  /** Every response is right: the answer is the sum of the two numbers in "What is a + b?". */
  static final Script ALWAYS_RIGHT =
      (weights, question, occurrence) -> answer(String.valueOf(sum(question)));

  final int replica;
  private final Script script;
  private final Map<String, Integer> seen = new HashMap<>();

  /** Read by the script; a weights update changes it. Touched only on the sampler's thread. */
  String weights = "v0";

  /** Called on the sampler's thread with the index of each call, before it samples: a gate. */
  volatile IntConsumer beforeCall = call -> {};

  private final AtomicInteger calls = new AtomicInteger();
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  final List<Long> seeds = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  final List<String> questions = new CopyOnWriteArrayList<>();
  volatile String closedOn;

  FakeSampler(int replica, Script script) {
    this.replica = replica;
    this.script = script;
    threads.add(Thread.currentThread().getName()); // where the factory made it
  }

  @Override
  public List<Completion> sample(List<int[]> prompts, SamplingParams params) {
    int call = calls.getAndIncrement();
    threads.add(Thread.currentThread().getName());
    beforeCall.accept(call);
    batchSizes.add(prompts.size());
    seeds.add(params.seed());
    List<Completion> out = new ArrayList<>();
    for (int[] prompt : prompts) {
      String question = new String(prompt, 0, prompt.length);
      questions.add(question);
      int occurrence = seen.merge(question, 1, Integer::sum) - 1;
      int[] tokens = script.respond(weights, question, occurrence).codePoints().toArray();
      float[] logprobs = new float[tokens.length];
      Arrays.fill(logprobs, -0.25f);
      out.add(new Completion(tokens, logprobs, FinishReason.STOP));
    }
    return out;
  }

  @Override
  public void close() {
    closedOn = Thread.currentThread().getName();
  }

  /** A well-formed response whose final answer is {@code answer}. */
  static String answer(String answer) {
    return "<think>let me add</think><answer>" + answer + "</answer>";
  }

  /** a + b of "What is a + b?". */
  static int sum(String question) {
    String[] parts = question.replace("What is ", "").replace("?", "").split(" \\+ ");
    return Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]);
  }
}
