package aha.sampler.checkpoint;

import aha.sampler.model.ModelConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Maps {@link ModelConfig} to and from a HuggingFace {@code config.json} of a Llama ({@code
 * LlamaForCausalLM}, model_type llama) or Qwen2 ({@code Qwen2ForCausalLM}, model_type qwen2, q/k/v
 * biases) model.
 *
 * <p>aha writes a config with q/k/v biases as Qwen2, since HF Llama's {@code attention_bias} would
 * also put a bias on o_proj. Settings aha's blocks cannot honour (rope scaling, sliding windows, a
 * head size other than hidden/heads, MLP or o_proj biases, an activation other than SiLU) are
 * refused rather than ignored.
 */
public final class HfConfig {

  /** HF architecture names aha reads and writes. */
  public static final String LLAMA = "LlamaForCausalLM";

  public static final String QWEN2 = "Qwen2ForCausalLM";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HfConfig() {}

  /** Reads {@code file} (a config.json). */
  public static ModelConfig read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "missing; a checkpoint directory needs a config.json", e);
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file, "not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file, "not a JSON object");
    }
    return fromJson(root, file);
  }

  /** Parses a config.json tree; {@code file} only names it in errors. */
  public static ModelConfig fromJson(JsonNode root, Path file) throws CheckpointException {
    boolean qwen2 = isQwen2(root, file);
    int heads = requiredInt(root, "num_attention_heads", file);
    int hidden = requiredInt(root, "hidden_size", file);
    refuse(root, file, "rope_scaling", n -> !n.isNull(), "rope scaling is not supported");
    refuse(root, file, "hidden_act", n -> !n.asText().equals("silu"), "only \"silu\" is supported");
    refuse(root, file, "mlp_bias", JsonNode::asBoolean, "MLP biases are not supported");
    refuse(
        root,
        file,
        "use_sliding_window",
        JsonNode::asBoolean,
        "sliding-window attention is not supported");
    if (!qwen2) {
      refuse(
          root,
          file,
          "attention_bias",
          JsonNode::asBoolean,
          "Llama attention_bias (q/k/v and o_proj biases) is not supported");
    }
    refuse(
        root,
        file,
        "head_dim",
        n -> !n.isNull() && heads > 0 && n.asInt() != hidden / heads,
        "a head size other than hidden_size / num_attention_heads is not supported");
    try {
      return new ModelConfig(
          requiredInt(root, "vocab_size", file),
          hidden,
          requiredInt(root, "intermediate_size", file),
          requiredInt(root, "num_hidden_layers", file),
          heads,
          optionalInt(root, "num_key_value_heads", heads, file),
          requiredInt(root, "max_position_embeddings", file),
          optionalDouble(root, "rope_theta", 10000.0, file),
          optionalDouble(root, "rms_norm_eps", 1e-6, file),
          optionalBoolean(root, "tie_word_embeddings", false, file),
          qwen2);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage(), e);
    }
  }

  /** The config.json tree for {@code config}, with weights stored as {@code dtype}. */
  public static ObjectNode toJson(ModelConfig config, DType dtype) {
    boolean qwen2 = config.qkvBias();
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add(qwen2 ? QWEN2 : LLAMA);
    root.put("model_type", qwen2 ? "qwen2" : "llama");
    root.put("vocab_size", config.vocabSize());
    root.put("hidden_size", config.hiddenSize());
    root.put("intermediate_size", config.intermediateSize());
    root.put("num_hidden_layers", config.numLayers());
    root.put("num_attention_heads", config.numHeads());
    root.put("num_key_value_heads", config.numKvHeads());
    root.put("max_position_embeddings", config.maxPositions());
    root.put("rope_theta", config.ropeTheta());
    root.put("rms_norm_eps", config.rmsNormEps());
    root.put("tie_word_embeddings", config.tieEmbeddings());
    root.put("hidden_act", "silu");
    if (qwen2) {
      root.put("use_sliding_window", false);
    } else {
      root.put("attention_bias", false);
      root.put("mlp_bias", false);
    }
    root.putNull("rope_scaling");
    root.put("torch_dtype", dtype.torchName());
    return root;
  }

  /** Writes {@code config} to {@code file} as a config.json. */
  public static void write(ModelConfig config, DType dtype, Path file) throws IOException {
    SafeTensors.writeText(file, text(config, dtype));
  }

  /** The text of config.json, as {@link #write} writes it. */
  public static String text(ModelConfig config, DType dtype) {
    try {
      return JSON.writeValueAsString(toJson(config, dtype)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a config of names and numbers always serializes", e);
    }
  }

  private static boolean isQwen2(JsonNode root, Path file) throws CheckpointException {
    JsonNode architectures = root.get("architectures");
    JsonNode modelType = root.get("model_type");
    String architecture = null;
    if (architectures != null && !architectures.isNull()) {
      if (!architectures.isArray()
          || architectures.size() == 0
          || !architectures.get(0).isTextual()) {
        throw new CheckpointException(
            file, "field \"architectures\": expected a list of names, got " + architectures);
      }
      architecture = architectures.get(0).asText();
      if (!architecture.equals(LLAMA) && !architecture.equals(QWEN2)) {
        throw new CheckpointException(
            file,
            "field \"architectures\": unsupported architecture \""
                + architecture
                + "\"; expected "
                + LLAMA
                + " or "
                + QWEN2);
      }
    }
    String type = modelType == null || modelType.isNull() ? null : modelType.asText();
    if (type != null && !type.equals("llama") && !type.equals("qwen2")) {
      throw new CheckpointException(
          file,
          "field \"model_type\": unsupported model type \"" + type + "\"; expected llama or qwen2");
    }
    if (architecture == null && type == null) {
      throw new CheckpointException(
          file, "neither \"architectures\" nor \"model_type\" says what model this is");
    }
    boolean qwen2 = architecture != null ? architecture.equals(QWEN2) : type.equals("qwen2");
    if (type != null && type.equals("qwen2") != qwen2) {
      throw new CheckpointException(
          file,
          "field \"model_type\": \""
              + type
              + "\" contradicts architectures \""
              + architecture
              + "\"");
    }
    return qwen2;
  }

  private interface Check {
    boolean bad(JsonNode value);
  }

  private static void refuse(JsonNode root, Path file, String field, Check check, String why)
      throws CheckpointException {
    JsonNode value = root.get(field);
    if (value != null && !value.isNull() && check.bad(value)) {
      throw new CheckpointException(file, "field \"" + field + "\": " + value + ": " + why);
    }
  }

  private static int requiredInt(JsonNode root, String field, Path file)
      throws CheckpointException {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      throw new CheckpointException(file, "field \"" + field + "\": missing");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new CheckpointException(
          file, "field \"" + field + "\": expected an integer, got " + value);
    }
    return value.asInt();
  }

  private static int optionalInt(JsonNode root, String field, int fallback, Path file)
      throws CheckpointException {
    JsonNode value = root.get(field);
    return value == null || value.isNull() ? fallback : requiredInt(root, field, file);
  }

  private static double optionalDouble(JsonNode root, String field, double fallback, Path file)
      throws CheckpointException {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new CheckpointException(
          file, "field \"" + field + "\": expected a number, got " + value);
    }
    return value.asDouble();
  }

  private static boolean optionalBoolean(JsonNode root, String field, boolean fallback, Path file)
      throws CheckpointException {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new CheckpointException(
          file, "field \"" + field + "\": expected true or false, got " + value);
    }
    return value.asBoolean();
  }
}
