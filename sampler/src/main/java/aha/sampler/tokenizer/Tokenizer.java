package aha.sampler.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Text to token ids and back, through HuggingFace tokenizers (DJL's binding to the Rust library),
 * for a {@code tokenizer.json} that {@link TrainedBpe} wrote or that came with a HuggingFace model
 * (Llama, Qwen2, ...).
 *
 * <p>Exactly the text's tokens, nothing more: truncation and padding are off (DJL's defaults cut at
 * 512 tokens and pad), and no special tokens are added (no BOS); templates add their own. Added
 * tokens in the text, such as {@code <|im_start|>}, encode to their single id.
 *
 * <p>{@link #vocabSize()} is one more than the largest id in the file; a model's embedding may be
 * larger (Qwen2 pads its own). Encoding and decoding may run on several threads at once; close the
 * tokenizer once, after all of them.
 */
public final class Tokenizer implements AutoCloseable {

  private static final TokenizersLibrary NATIVE = TokenizersLibrary.LIB;

  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final Path file;
  private final HuggingFaceTokenizer hf;
  private final Map<String, Integer> addedTokenIds;
  private final int vocabSize;

  private Tokenizer(
      Path file, HuggingFaceTokenizer hf, Map<String, Integer> addedTokenIds, int vocabSize) {
    this.file = file;
    this.hf = hf;
    this.addedTokenIds = addedTokenIds;
    this.vocabSize = vocabSize;
  }

  /**
   * Loads a {@code tokenizer.json}, given as the file or as the directory holding it (a HuggingFace
   * model directory).
   *
   * @throws IOException if the file is missing, unreadable or not a tokenizer the library accepts
   */
  public static Tokenizer load(Path tokenizerJsonOrDir) throws IOException {
    Path file =
        Files.isDirectory(tokenizerJsonOrDir)
            ? tokenizerJsonOrDir.resolve("tokenizer.json")
            : tokenizerJsonOrDir;
    if (!Files.isRegularFile(file)) {
      throw new IOException("no tokenizer.json at " + file);
    }
    byte[] bytes = Files.readAllBytes(file);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (IOException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    Map<String, Integer> added = new HashMap<>();
    int maxId = -1;
    for (JsonNode token : root.path("added_tokens")) {
      int id = token.path("id").asInt();
      added.put(token.path("content").asText(), id);
      maxId = Math.max(maxId, id);
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) { // BPE, WordPiece, WordLevel: token -> id
      for (Iterator<JsonNode> ids = vocab.elements(); ids.hasNext(); ) {
        maxId = Math.max(maxId, ids.next().asInt());
      }
    } else if (vocab.isArray()) { // Unigram: [token, score] by id
      maxId = Math.max(maxId, vocab.size() - 1);
    } else {
      throw new IOException(file + " has no model.vocab: not a tokenizer.json");
    }
    HuggingFaceTokenizer hf;
    try {
      hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
    } catch (RuntimeException e) {
      throw new IOException(
          "HuggingFace tokenizers cannot load " + file + ": " + e.getMessage(), e);
    }
    return new Tokenizer(file, hf, Collections.unmodifiableMap(added), maxId + 1);
  }

  /** The token ids of {@code text}, with no special tokens added. */
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    // Straight to the native encoding: DJL's Encoding would also fetch token strings, offsets and
    // masks we never use, which halves the speed (0.7 vs 1.5 MB/s of math text on one core).
    long encoding = NATIVE.encode(hf.getHandle(), text, false);
    try {
      return toInts(NATIVE.getTokenIds(encoding));
    } finally {
      NATIVE.deleteEncoding(encoding);
    }
  }

  /**
   * The token ids of each text, encoded in parallel by the native library. Encode a corpus as
   * documents or lines: one huge string encodes slower than its lines.
   */
  public int[][] encodeBatch(List<String> texts) {
    long[] encodings = NATIVE.batchEncode(hf.getHandle(), texts.toArray(new String[0]), false);
    int[][] ids = new int[encodings.length][];
    try {
      for (int i = 0; i < encodings.length; i++) {
        ids[i] = toInts(NATIVE.getTokenIds(encodings[i]));
      }
    } finally {
      for (long encoding : encodings) {
        NATIVE.deleteEncoding(encoding);
      }
    }
    return ids;
  }

  /**
   * The text of {@code ids}, special tokens included, so that a rendered chat decodes to itself.
   */
  public String decode(int[] ids) {
    return decode(ids, false);
  }

  /**
   * The text of {@code ids}; with {@code skipSpecialTokens}, tokens marked special (the chat
   * control tokens) are left out, while plain added tokens such as {@code <think>} stay.
   */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException(
            "token id "
                + ids[i]
                + " at "
                + i
                + " is outside the vocabulary [0, "
                + vocabSize
                + ")");
      }
      longs[i] = ids[i];
    }
    return hf.decode(longs, skipSpecialTokens);
  }

  /** One more than the largest token id. */
  public int vocabSize() {
    return vocabSize;
  }

  /**
   * The id of an added token (a special token such as {@code <|im_end|>}).
   *
   * @throws IllegalArgumentException if the tokenizer has no such added token
   */
  public int tokenId(String addedToken) {
    Integer id = addedTokenIds.get(addedToken);
    if (id == null) {
      throw new IllegalArgumentException(
          "tokenizer "
              + file
              + " has no added token "
              + addedToken
              + "; it has "
              + addedTokenIds.keySet().stream().sorted().toList());
    }
    return id;
  }

  /** Whether {@code addedToken} is one of the added (special or plain) tokens. */
  public boolean hasToken(String addedToken) {
    return addedTokenIds.containsKey(addedToken);
  }

  /** The {@code tokenizer.json} this was loaded from. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    hf.close();
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }
}
