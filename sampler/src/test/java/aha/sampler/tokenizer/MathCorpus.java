package aha.sampler.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded synthetic corpus of arithmetic questions and worked answers, for training test
 * tokenizers.
 */
public final class MathCorpus {

  private static final String[] TEMPLATES = {
    "What is %d + %d? %d + %d = %d",
    "Compute %d - %d. We subtract: %d - %d = %d",
    "Question: what is %d times %d? Answer: %d \\times %d = %d",
    "Let's check: $%d + %d = %d$, and $%d - %d$ is the difference.",
    "The sum of %d and %d is \\frac{%d}{%d} of %d.",
  };

  private MathCorpus() {}

  /** {@code n} lines, the same for the same seed. */
  public static List<String> lines(int n, long seed) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = random.nextInt(1000);
      int b = random.nextInt(1000);
      String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
      lines.add(String.format(template, a, b, a, b, a + b) + "\n");
    }
    return lines;
  }

  /** Lines until their total length reaches {@code chars}. */
  static List<String> ofSize(int chars, long seed) {
    List<String> lines = new ArrayList<>();
    Random random = new Random(seed);
    int total = 0;
    while (total < chars) {
      String line = lines(1, random.nextLong()).get(0);
      lines.add(line);
      total += line.length();
    }
    return lines;
  }
}
