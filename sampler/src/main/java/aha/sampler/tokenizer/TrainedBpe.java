package aha.sampler.tokenizer;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A trained byte-level BPE: what {@link BpeTrainer} learned, ready to save as a HuggingFace {@code
 * tokenizer.json}.
 *
 * <p>The file holds: the added tokens ({@code special} true for {@code specialTokens}, false for
 * {@code addedTokens}; never normalized, never stripped); no normalizer, so that decode returns the
 * exact text that was encoded; the pre-tokenizer {@code Split(}{@link BpeTrainer#SPLIT_REGEX}{@code
 * , Isolated)} then {@code ByteLevel} without its own regex or prefix space, as Qwen2 does; a BPE
 * model with the vocabulary and merges and no unknown token (every byte is in the vocabulary); a
 * {@code ByteLevel} decoder; and no truncation, padding or post-processor, so nothing is cut and no
 * BOS/EOS is added behind the caller's back.
 *
 * @param specialTokens added tokens marked special, ids {@code 0..} in order
 * @param addedTokens added tokens not marked special, ids right after the special ones
 * @param vocab every token string, indexed by id: added tokens, the 256 bytes, then merges
 * @param merges the merges in the order learned (their rank)
 */
public record TrainedBpe(
    List<String> specialTokens, List<String> addedTokens, List<String> vocab, List<Merge> merges) {

  /** One merge: two adjacent tokens, in byte-level form, that become one. */
  public record Merge(String left, String right) {}

  public TrainedBpe {
    specialTokens = List.copyOf(specialTokens);
    addedTokens = List.copyOf(addedTokens);
    vocab = List.copyOf(vocab);
    merges = List.copyOf(merges);
  }

  public int vocabSize() {
    return vocab.size();
  }

  /** The {@code tokenizer.json} text; the same model always gives the same bytes. */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");

    ArrayNode added = root.putArray("added_tokens");
    int id = 0;
    for (String token : specialTokens) {
      added.add(addedToken(f, id++, token, true));
    }
    for (String token : addedTokens) {
      added.add(addedToken(f, id++, token, false));
    }

    root.putNull("normalizer");
    ObjectNode preTokenizer = root.putObject("pre_tokenizer");
    preTokenizer.put("type", "Sequence");
    ArrayNode steps = preTokenizer.putArray("pretokenizers");
    ObjectNode split = steps.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", BpeTrainer.SPLIT_REGEX);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    byteLevel(steps.addObject());
    root.putNull("post_processor");
    byteLevel(root.putObject("decoder"));

    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocabNode = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      vocabNode.put(vocab.get(i), i);
    }
    // "left right" strings: byte-level tokens never hold a space, and every tokenizers version
    // reads it
    ArrayNode mergesNode = model.putArray("merges");
    for (Merge merge : merges) {
      mergesNode.add(merge.left() + " " + merge.right());
    }

    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render tokenizer.json", e);
    }
  }

  /** Writes {@link #toJson()} to {@code tokenizerJson}, replacing it whole or not at all. */
  public void save(Path tokenizerJson) throws IOException {
    Path target = tokenizerJson.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(temp, toJson(), StandardCharsets.UTF_8);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static ObjectNode addedToken(JsonNodeFactory f, int id, String content, boolean special) {
    ObjectNode token = f.objectNode();
    token.put("id", id);
    token.put("content", content);
    token.put("single_word", false);
    token.put("lstrip", false);
    token.put("rstrip", false);
    token.put("normalized", false);
    token.put("special", special);
    return token;
  }

  private static void byteLevel(ObjectNode node) {
    node.put("type", "ByteLevel");
    node.put("add_prefix_space", false);
    node.put("trim_offsets", false);
    node.put("use_regex", false);
  }
}
