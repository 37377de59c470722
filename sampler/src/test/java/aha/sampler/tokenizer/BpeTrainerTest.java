package aha.sampler.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BpeTrainerTest {

  private static final List<String> CORPUS = MathCorpus.lines(3000, 42);

  @Test
  void learnsUpToTheVocabularySize() {
    TrainedBpe bpe = BpeTrainer.withChatTokens(300).train(CORPUS);
    assertEquals(300, bpe.vocabSize());
    assertEquals(300 - 8 - 256, bpe.merges().size());
    assertEquals(bpe.vocabSize(), new HashSet<>(bpe.vocab()).size(), "token strings are unique");
    assertEquals(ChatTemplate.CONTROL_TOKENS, bpe.vocab().subList(0, 4));
    assertEquals(ChatTemplate.FORMAT_TOKENS, bpe.vocab().subList(4, 8));
  }

  @Test
  void stopsWhenNoPairIsFrequentEnough() {
    TrainedBpe bpe = new BpeTrainer(10_000, List.of("<|endoftext|>")).train(List.of("abcabc xyz"));
    // "abc" twice: a+b, ab+c; nothing else repeats (Ġ+x.. once)
    assertEquals(
        List.of(new TrainedBpe.Merge("a", "b"), new TrainedBpe.Merge("ab", "c")), bpe.merges());
    assertEquals(1 + 256 + 2, bpe.vocabSize());
  }

  @Test
  void mergesTheMostFrequentPairFirstAndBreaksTiesByIds() {
    // pairs: (Ġ,t) 3, (t,o) 3, (Ġ,x) 2, (x,y) 2, (y,z) 1; a byte's id is its value here
    TrainedBpe bpe = new BpeTrainer(256 + 10, List.of()).train(List.of(" to to to xy xyz"));
    assertEquals(
        List.of(
            new TrainedBpe.Merge("Ġ", "t"), // ties with (t,o) at 3; ' ' = 32 < 't' = 116
            new TrainedBpe.Merge("Ġt", "o"),
            new TrainedBpe.Merge("Ġ", "x")), // ties with (x,y) at 2
        bpe.merges().subList(0, 3));
    assertEquals(new TrainedBpe.Merge("Ġx", "y"), bpe.merges().get(3));
    assertEquals(4, bpe.merges().size(), "(Ġxy,z) occurs once");
  }

  @Test
  void neverMergesAcrossAddedTokensOrPreTokens() {
    TrainedBpe bpe =
        new BpeTrainer(2000, List.of("<|sep|>"))
            .train(List.of("ab<|sep|>ab<|sep|>ab<|sep|>", "1234 1234 1234"));
    for (TrainedBpe.Merge merge : bpe.merges()) {
      String token = merge.left() + merge.right();
      assertFalse(token.contains("|"), token);
      assertFalse(token.chars().anyMatch(Character::isDigit), "digits stay single: " + token);
    }
  }

  @Test
  void trainingTwiceGivesIdenticalFiles(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("a/tokenizer.json");
    Path second = dir.resolve("b/tokenizer.json");
    BpeTrainer.withChatTokens(500).train(CORPUS).save(first);
    List<String> shuffled = new ArrayList<>(CORPUS);
    java.util.Collections.reverse(shuffled); // order of documents does not matter either
    BpeTrainer.withChatTokens(500).train(shuffled).save(second);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void trainingOnFilesEqualsTrainingOnTheirText(@TempDir Path dir) throws Exception {
    // big enough to be read in several chunks
    List<String> lines = MathCorpus.ofSize(2_500_000, 7);
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, String.join("", lines));
    BpeTrainer trainer = BpeTrainer.withChatTokens(600);
    assertEquals(trainer.train(lines).toJson(), trainer.trainFiles(List.of(file)).toJson());
  }

  @Test
  void savedTokenizerLoadsAndRoundTrips(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    TrainedBpe bpe = BpeTrainer.withChatTokens(400).train(CORPUS);
    bpe.save(file);
    try (Tokenizer tokenizer = Tokenizer.load(dir)) {
      assertEquals(bpe.vocabSize(), tokenizer.vocabSize());
      for (int id = 0; id < 8; id++) {
        String token = bpe.vocab().get(id);
        assertEquals(id, tokenizer.tokenId(token));
        assertArrayEquals(new int[] {id}, tokenizer.encode(token), token);
      }
      String text = "What is 347 + 589? 347 + 589 = 936";
      int[] ids = tokenizer.encode(text);
      assertEquals(text, tokenizer.decode(ids));
      assertTrue(ids.length < text.getBytes().length, "merges apply: " + Arrays.toString(ids));
      // every id the model can produce decodes without error
      int[] all = IntStream.range(0, tokenizer.vocabSize()).toArray();
      assertFalse(tokenizer.decode(all).isEmpty());
    }
  }

  /**
   * The Java split must cut where the Rust one does, or training counts pieces that encoding never
   * sees: then encoding the pieces one by one gives the ids of encoding the whole.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "What is 347 + 589? 347+589=936.",
        "It's  done; they'RE here, we'll see\n\n  next line\r\n\tend   ",
        "é café naïve 数学很好 😀👍🏽 ½ ²³ ٣٤",
        "$\\frac{1}{2} + \\sqrt{x^2}$ \\begin{align} a &= b \\\\ c \\end{align}",
        "  leading spaces, trailing  \n",
        "x\u00A0y\u2003z \u0085 w",
      })
  void javaSplitMatchesTheLoadedPreTokenizer(String text, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    List<String> corpus = new ArrayList<>(CORPUS);
    corpus.add(text);
    corpus.add(text);
    BpeTrainer.withChatTokens(1000).train(corpus).save(file);
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      List<Integer> piecewise = new ArrayList<>();
      Matcher m =
          Pattern.compile(BpeTrainer.SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS).matcher(text);
      int last = 0;
      while (m.find()) {
        assertEquals(last, m.start(), "the pattern leaves no gaps");
        for (int id : tokenizer.encode(m.group())) {
          piecewise.add(id);
        }
        last = m.end();
      }
      assertEquals(text.length(), last);
      int[] whole = tokenizer.encode(text);
      assertArrayEquals(piecewise.stream().mapToInt(Integer::intValue).toArray(), whole);
      assertEquals(text, tokenizer.decode(whole));
    }
  }

  @Test
  void rejectsImpossibleSettings() {
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(200, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300, List.of("<a>", "<a>")));
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300, List.of("")));
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300, List.of("<")));
    assertThrows(IllegalArgumentException.class, () -> BpeTrainer.withChatTokens(263));
  }

  /** The budget: ~2 MB of text to a 4,000-token vocabulary in a few seconds. */
  @Test
  @Tag("slow")
  void trainsTwoMegabytesQuickly() {
    List<String> lines = new ArrayList<>(MathCorpus.ofSize(1_000_000, 3));
    lines.addAll(wordyLines(1_000_000));
    int chars = lines.stream().mapToInt(String::length).sum();
    BpeTrainer trainer = BpeTrainer.withChatTokens(4000);
    trainer.train(lines.subList(0, 1000)); // warm up the JIT
    long start = System.nanoTime();
    TrainedBpe bpe = trainer.train(lines);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "BpeTrainer: %,d chars -> vocab %d (%d merges) in %.2f s (budget: a few seconds)%n",
        chars, bpe.vocabSize(), bpe.merges().size(), seconds);
    assertEquals(4000, bpe.vocabSize());
    assertTrue(seconds < 30, "took " + seconds + " s");
  }

  /** Text with many distinct words, so that merges have more to do than digits and templates. */
  static List<String> wordyLines(int chars) {
    java.util.Random random = new java.util.Random(11);
    String consonants = "bcdfghjklmnprstvwz";
    String vowels = "aeiou";
    List<String> lines = new ArrayList<>();
    Set<String> lexicon = new HashSet<>();
    List<String> words = new ArrayList<>();
    while (words.size() < 20_000) {
      StringBuilder w = new StringBuilder();
      int syllables = 1 + random.nextInt(4);
      for (int s = 0; s < syllables; s++) {
        w.append(consonants.charAt(random.nextInt(consonants.length())));
        w.append(vowels.charAt(random.nextInt(vowels.length())));
      }
      if (lexicon.add(w.toString())) {
        words.add(w.toString());
      }
    }
    int total = 0;
    while (total < chars) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        // Zipf-like: frequent words are frequent
        int rank =
            (int)
                Math.min(
                    words.size() - 1, Math.floor(Math.pow(words.size(), random.nextDouble())) - 1);
        line.append(i == 0 ? "" : " ").append(words.get(rank));
      }
      line.append(".\n");
      lines.add(line.toString());
      total += line.length();
    }
    return lines;
  }
}
