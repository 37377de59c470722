package aha.sampler.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {

  /**
   * A tiny Qwen2-style tokenizer.json: added tokens outside the BPE vocabulary, NFC, "a b" merges.
   */
  private static final String QWEN2_STYLE =
      """
{
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [
    {"id": 20, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
    {"id": 21, "content": "<|im_start|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
    {"id": 22, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
  ],
  "normalizer": {"type": "NFC"},
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {
        "type": "Split",
        "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+"},
        "behavior": "Isolated",
        "invert": false
      },
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
    ]
  },
  "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
  "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
  "model": {
    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": "",
    "end_of_word_suffix": "",
    "fuse_unk": false,
    "byte_fallback": false,
    "vocab": {
      "h": 0, "e": 1, "l": 2, "o": 3, "w": 4, "r": 5, "d": 6, "Ġ": 7, "1": 8, "2": 9,
      "he": 10, "ll": 11, "hell": 12, "hello": 13, "Ġw": 14, "or": 15, "Ġwor": 16,
      "Ġworl": 17, "Ġworld": 18, "!": 19
    },
    "merges": ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d"]
  }
}
""";

  /**
   * A tiny Llama-3-style tokenizer.json: merges as pairs, digits in runs of up to three, and a
   * post-processor that would prepend {@code <|begin_of_text|>} if special tokens were added.
   */
  private static final String LLAMA3_STYLE =
      """
{
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [
    {"id": 10, "content": "<|begin_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
    {"id": 11, "content": "<|eot_id|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
  ],
  "normalizer": null,
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {
        "type": "Split",
        "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+"},
        "behavior": "Isolated",
        "invert": false
      },
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
    ]
  },
  "post_processor": {
    "type": "Sequence",
    "processors": [
      {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
      {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [10], "tokens": ["<|begin_of_text|>"]}}
      }
    ]
  },
  "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
  "model": {
    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": null,
    "end_of_word_suffix": null,
    "fuse_unk": false,
    "byte_fallback": false,
    "ignore_merges": true,
    "vocab": {"1": 0, "2": 1, "3": 2, "12": 3, "123": 4, "Ġ": 5, "a": 6, "b": 7, "ab": 8, "Ġab": 9},
    "merges": [["1", "2"], ["12", "3"], ["a", "b"], ["Ġ", "ab"]]
  }
}
""";

  @TempDir static Path trainedDir;
  private static Tokenizer trained;

  @BeforeAll
  static void train() throws IOException {
    List<String> corpus = new ArrayList<>(MathCorpus.lines(3000, 5));
    corpus.add("é café 数学 数学 😀 😀 \\frac{a}{b} \\frac{a}{b}");
    BpeTrainer.withChatTokens(600).train(corpus).save(trainedDir.resolve("tokenizer.json"));
    trained = Tokenizer.load(trainedDir.resolve("tokenizer.json"));
  }

  @AfterAll
  static void close() {
    trained.close();
  }

  @Test
  void loadsAQwen2StyleModelDirectory(@TempDir Path modelDir) throws IOException {
    Files.writeString(modelDir.resolve("tokenizer.json"), QWEN2_STYLE);
    Files.writeString(modelDir.resolve("config.json"), "{\"vocab_size\": 32}");
    try (Tokenizer tokenizer = Tokenizer.load(modelDir)) {
      assertEquals(23, tokenizer.vocabSize());
      assertArrayEquals(new int[] {13, 18}, tokenizer.encode("hello world"));
      assertArrayEquals(new int[] {12, 7, 2, 3, 4, 19}, tokenizer.encode("hell low!"));
      assertArrayEquals(new int[] {8, 9}, tokenizer.encode("12"));
      assertArrayEquals(
          new int[] {21, 13, 18, 22}, tokenizer.encode("<|im_start|>hello world<|im_end|>"));
      assertEquals(22, tokenizer.tokenId("<|im_end|>"));
      assertEquals("hello world!", tokenizer.decode(new int[] {13, 18, 19}));
      assertEquals("<|im_start|>hello<|im_end|>", tokenizer.decode(new int[] {21, 13, 22}));
      assertEquals("hello", tokenizer.decode(new int[] {21, 13, 22}, true));
      IllegalArgumentException absent =
          assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenId("<|im_sep|>"));
      assertTrue(absent.getMessage().contains("<|im_sep|>"), absent.getMessage());
    }
  }

  @Test
  void overridesTruncationAndPaddingSetInTheFile(@TempDir Path dir) throws IOException {
    String truncating =
        QWEN2_STYLE
            .replace(
                "\"truncation\": null",
                "\"truncation\": {\"direction\": \"Right\", \"max_length\": 2, \"strategy\":"
                    + " \"LongestFirst\", \"stride\": 0}")
            .replace(
                "\"padding\": null",
                "\"padding\": {\"strategy\": {\"Fixed\": 16}, \"direction\": \"Right\","
                    + " \"pad_to_multiple_of\": null, \"pad_id\": 20, \"pad_type_id\": 0,"
                    + " \"pad_token\": \"<|endoftext|>\"}");
    Files.writeString(dir.resolve("tokenizer.json"), truncating);
    try (Tokenizer tokenizer = Tokenizer.load(dir)) {
      assertArrayEquals(new int[] {13, 18, 7, 0}, tokenizer.encode("hello world h"));
      assertArrayEquals(
          new int[] {13, 18, 7, 0}, tokenizer.encodeBatch(List.of("hello world h"))[0]);
    }
  }

  @Test
  void loadsALlama3StyleFileWithoutAddingBos(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, LLAMA3_STYLE);
    try (Tokenizer tokenizer = Tokenizer.load(file)) {
      assertEquals(12, tokenizer.vocabSize());
      assertArrayEquals(new int[] {4, 3, 9}, tokenizer.encode("12312 ab"));
      assertArrayEquals(new int[] {8, 11}, tokenizer.encode("ab<|eot_id|>"));
      assertEquals("12312 ab", tokenizer.decode(new int[] {4, 3, 9}));
    }
  }

  @Test
  void failsClearlyOnMissingOrBrokenFiles(@TempDir Path dir) throws IOException {
    IOException missing = assertThrows(IOException.class, () -> Tokenizer.load(dir));
    assertTrue(missing.getMessage().contains("tokenizer.json"), missing.getMessage());
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
    assertThrows(IOException.class, () -> Tokenizer.load(dir));
    Files.writeString(
        dir.resolve("tokenizer.json"),
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}");
    assertThrows(IOException.class, () -> Tokenizer.load(dir));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "What is 347 + 589? 347 + 589 = 936",
        "é, café, naïve",
        "数学 is math",
        "emoji 😀👍🏽 and a ZWJ family 👨‍👩‍👧",
        "$\\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}$ and \\( x_{i}^{2} \\leq 10^{-3} \\)",
        "  two leading spaces\n\n\ttab and trailing  ",
        "<think>wait, let me check</think><answer>42</answer>",
        "",
      })
  void roundTrips(String text) {
    int[] ids = trained.encode(text);
    assertEquals(text, trained.decode(ids));
    assertEquals(text, trained.decode(ids, true), "no control tokens in this text");
  }

  @Test
  void neverTruncatesNorPads() {
    String longText = String.join("", MathCorpus.lines(400, 9));
    int[] ids = trained.encode(longText);
    assertTrue(ids.length > 2000, "long text gives " + ids.length + " tokens");
    assertEquals(longText, trained.decode(ids));

    List<String> texts = List.of("1", "What is 347 + 589?", longText);
    int[][] batch = trained.encodeBatch(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(trained.encode(texts.get(i)), batch[i], "batch item " + i);
    }
  }

  @Test
  void decodeRejectsIdsOutsideTheVocabulary() {
    assertThrows(
        IllegalArgumentException.class, () -> trained.decode(new int[] {trained.vocabSize()}));
    assertThrows(IllegalArgumentException.class, () -> trained.decode(new int[] {-1}));
  }

  /** Encoding runs over whole training corpora, so it must be fast. */
  @Test
  @Tag("slow")
  void encodesAMegabyteQuickly() {
    List<String> lines = MathCorpus.ofSize(1_000_000, 13);
    int chars = lines.stream().mapToInt(String::length).sum();
    for (int warm = 0; warm < 2; warm++) {
      lines.subList(0, 2000).forEach(trained::encode);
    }
    long start = System.nanoTime();
    long tokens = 0;
    for (String line : lines) {
      tokens += trained.encode(line).length;
    }
    double oneByOne = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    long batchTokens = 0;
    for (int from = 0; from < lines.size(); from += 1024) {
      for (int[] ids :
          trained.encodeBatch(lines.subList(from, Math.min(lines.size(), from + 1024)))) {
        batchTokens += ids.length;
      }
    }
    double batched = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    long wholeTokens = trained.encode(String.join("", lines)).length;
    double whole = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "Tokenizer.encode: %,d chars, %,d lines -> %,d tokens: one by one %.2f s (%.1f MB/s),"
            + " batches of 1024 %.2f s (%.1f MB/s), one string %.2f s (%.1f MB/s)%n",
        chars,
        lines.size(),
        tokens,
        oneByOne,
        chars / oneByOne / 1e6,
        batched,
        chars / batched / 1e6,
        whole,
        chars / whole / 1e6);
    assertEquals(tokens, batchTokens);
    assertEquals(tokens, wholeTokens);
    assertTrue(oneByOne < 20 && batched < 20 && whole < 20, "encoding 1 MB took over 20 s");
  }
}
