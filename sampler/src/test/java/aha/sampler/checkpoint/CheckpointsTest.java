package aha.sampler.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aha.sampler.model.ModelConfig;
import aha.sampler.model.TestModels;
import aha.sampler.model.Transformer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // NDScope resources exist to close what the step allocated
class CheckpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest(name = "qkvBias={0}, tied={1}")
  @CsvSource({"false, false", "true, true"})
  void saveThenLoadGivesIdenticalLogits(boolean qkvBias, boolean tied) throws IOException {
    ModelConfig config = TestModels.tiny(qkvBias, tied);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 3);
      Checkpoints.save(model, dir);
      assertTrue(Files.exists(dir.resolve("model.safetensors")));
      Transformer loaded = Checkpoints.load(dir, manager);
      assertEquals(config, loaded.config());
      assertArrayEquals(logits(model, manager), logits(loaded, manager));
    }
  }

  @Test
  void configJsonIsAnHfLlamaOrQwen2Config() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.save(TestModels.randomized(TestModels.tiny(false, true), manager, 1), dir);
      JsonNode llama = JSON.readTree(dir.resolve("config.json").toFile());
      assertEquals("LlamaForCausalLM", llama.get("architectures").get(0).asText());
      assertEquals("llama", llama.get("model_type").asText());
      assertEquals(16, llama.get("hidden_size").asInt());
      assertEquals(2, llama.get("num_key_value_heads").asInt());
      assertTrue(llama.get("tie_word_embeddings").asBoolean());
      assertEquals("float32", llama.get("torch_dtype").asText());

      Path qwenDir = dir.resolve("qwen");
      Checkpoints.save(TestModels.randomized(TestModels.tiny(true, false), manager, 1), qwenDir);
      JsonNode qwen = JSON.readTree(qwenDir.resolve("config.json").toFile());
      assertEquals("Qwen2ForCausalLM", qwen.get("architectures").get(0).asText());
      assertEquals("qwen2", qwen.get("model_type").asText());
      try (SafeTensors st = SafeTensors.open(qwenDir.resolve("model.safetensors"))) {
        assertTrue(st.names().contains("model.layers.1.self_attn.k_proj.bias"));
        assertTrue(st.names().contains("lm_head.weight"));
        assertArrayEquals(
            new long[] {8, 16}, st.info("model.layers.0.self_attn.v_proj.weight").shape());
        assertArrayEquals(
            new long[] {40, 16}, st.info("model.layers.0.mlp.up_proj.weight").shape());
        assertArrayEquals(
            new long[] {16, 40}, st.info("model.layers.0.mlp.down_proj.weight").shape());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"BF16", "F16"})
  void aHalfPrecisionCheckpointLoadsAsTheRoundedWeights(DType dtype) throws IOException {
    ModelConfig config = TestModels.tiny(true, false);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 4);
      Checkpoints.save(model, dir, dtype, Long.MAX_VALUE);
      try (SafeTensors st = SafeTensors.open(dir.resolve("model.safetensors"))) {
        assertEquals(dtype, st.info("model.norm.weight").dtype());
      }
      assertEquals(
          dtype.torchName(),
          JSON.readTree(dir.resolve("config.json").toFile()).get("torch_dtype").asText());
      Transformer loaded = Checkpoints.load(dir, manager);
      for (String name : model.hfTensorNames()) {
        float[] original = model.hfTensor(name);
        float[] rounded = dtype.toFloats(dtype.fromFloats(original), original.length);
        assertArrayEquals(rounded, loaded.hfTensor(name), name);
      }
      float[] before = logits(model, manager);
      float[] after = logits(loaded, manager);
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i], after[i], 0.1, "logit " + i + " after " + dtype + " rounding");
      }
    }
  }

  @Test
  void theBytesATrainerServesAreTheFileSaveWritesAndLoadIntoReadsThemInPlace() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(TestModels.tiny(false, false), manager, 3);
      Checkpoints.save(model, dir);
      assertArrayEquals(Files.readAllBytes(dir.resolve(Checkpoints.WEIGHTS)), Checkpoints.weightsBytes(model));
      assertEquals(Files.readString(dir.resolve("config.json")), Checkpoints.configJson(model));

      Transformer other = TestModels.randomized(TestModels.tiny(false, false), manager, 4);
      Checkpoints.loadInto(dir, other);
      assertEquals(TestModels.weights(model).keySet(), TestModels.weights(other).keySet());
      TestModels.weights(model).forEach((name, values) -> assertArrayEquals(values, other.hfTensor(name), name));

      Transformer wider = TestModels.randomized(TestModels.tiny(true, false), manager, 5);
      float[] before = wider.hfTensor("model.norm.weight");
      CheckpointException refused = assertThrows(CheckpointException.class, () -> Checkpoints.loadInto(dir, wider));
      assertTrue(refused.getMessage().contains("another shape"), refused.getMessage());
      assertArrayEquals(before, wider.hfTensor("model.norm.weight"));
    }
  }

  @Test
  void aShardedCheckpointLoads() throws IOException {
    ModelConfig config = TestModels.tiny(false, false);
    try (NDManager manager = NDManager.newBaseManager()) {
      Transformer model = TestModels.randomized(config, manager, 5);
      Checkpoints.save(model, dir); // a single file first: the sharded save must replace it
      Checkpoints.save(model, dir, DType.BF16, 4096);
      assertFalse(Files.exists(dir.resolve("model.safetensors")));
      JsonNode index = JSON.readTree(dir.resolve("model.safetensors.index.json").toFile());
      List<String> shards = new ArrayList<>();
      index
          .get("weight_map")
          .properties()
          .forEach(
              e -> {
                if (!shards.contains(e.getValue().asText())) {
                  shards.add(e.getValue().asText());
                }
              });
      assertTrue(shards.size() > 2, "shards: " + shards);
      assertEquals(model.hfTensorNames().size(), index.get("weight_map").size());
      long onDisk;
      try (Stream<Path> files = Files.list(dir)) {
        onDisk =
            files
                .filter(
                    p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                .count();
      }
      assertEquals(shards.size(), onDisk);

      Transformer loaded = Checkpoints.load(dir, manager);
      Path single = dir.resolve("single");
      Checkpoints.save(model, single, DType.BF16, Long.MAX_VALUE);
      Transformer fromSingle = Checkpoints.load(single, manager);
      assertArrayEquals(logits(fromSingle, manager), logits(loaded, manager));
    }
  }

  @Test
  void aMissingTensorIsNamed() throws IOException {
    Path file = saveTiny();
    rewriteWithout(file, "model.layers.1.mlp.gate_proj.weight");
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(
        e.getMessage().contains("tensor model.layers.1.mlp.gate_proj.weight: missing"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void aWrongShapeIsNamedWithBothShapes() throws IOException {
    Path file = saveTiny();
    Map<String, float[]> tensors = readAll(file);
    tensors.put("model.norm.weight", new float[8]);
    writeAll(file, tensors, Map.of("model.norm.weight", new long[] {8}));
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(
        e.getMessage().contains("tensor model.norm.weight: shape [8] but the config needs [16]"),
        e.getMessage());
  }

  @Test
  void anUnexpectedTensorIsNamed() throws IOException {
    Path file = saveTiny();
    Map<String, float[]> tensors = readAll(file);
    tensors.put("model.layers.0.self_attn.o_proj.bias", new float[16]);
    writeAll(file, tensors, Map.of("model.layers.0.self_attn.o_proj.bias", new long[] {16}));
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(
        e.getMessage().contains("tensor model.layers.0.self_attn.o_proj.bias: not part"),
        e.getMessage());
  }

  @Test
  void aTruncatedWeightsFileIsReported() throws IOException {
    Path file = saveTiny();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "architectures | [\"MistralForCausalLM\"] | field \"architectures\": unsupported"
            + " architecture \"MistralForCausalLM\"",
        "model_type | \"gpt2\" | field \"model_type\": unsupported model type \"gpt2\"",
        "hidden_size | \"sixteen\" | field \"hidden_size\": expected an integer",
        "num_attention_heads | 3 | hidden_size: 16 is not divisible by num_heads 3",
        "rope_scaling | {\"rope_type\": \"llama3\"} | field \"rope_scaling\"",
        "attention_bias | true | field \"attention_bias\": true",
        "vocab_size | null | field \"vocab_size\": missing",
      })
  void aBadConfigNamesTheField(String field, String value, String message) throws IOException {
    saveTiny();
    Path configFile = dir.resolve("config.json");
    ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
    config.set(field, JSON.readTree(value));
    Files.writeString(configFile, config.toString());
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(e.getMessage().startsWith(configFile.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void aQwen2ConfigAsHfWritesItLoadsWithBiases() throws IOException {
    String qwen =
        """
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
         "hidden_size": 16, "intermediate_size": 40, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64,
         "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 64,
         "use_sliding_window": false, "max_window_layers": 2, "tie_word_embeddings": true,
         "torch_dtype": "bfloat16", "vocab_size": 32, "bos_token_id": 1, "eos_token_id": 2}
        """;
    ModelConfig config = HfConfig.fromJson(JSON.readTree(qwen), Path.of("config.json"));
    assertEquals(new ModelConfig(32, 16, 40, 2, 4, 2, 64, 1e6, 1e-6, true, true), config);
  }

  @Test
  void aDirectoryWithoutWeightsSaysWhatItLacks() throws IOException {
    saveTiny();
    Files.delete(dir.resolve("model.safetensors"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> load());
    assertTrue(
        e.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"),
        e.getMessage());
  }

  // ---- helpers ----

  private Path saveTiny() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.save(TestModels.randomized(TestModels.tiny(false, false), manager, 6), dir);
    }
    return dir.resolve("model.safetensors");
  }

  private Transformer load() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      return Checkpoints.load(dir, manager);
    }
  }

  private static Map<String, float[]> readAll(Path file) throws IOException {
    Map<String, float[]> out = new java.util.LinkedHashMap<>();
    try (SafeTensors st = SafeTensors.open(file)) {
      for (String name : st.names()) {
        out.put(name, st.readFloats(name));
      }
    }
    return out;
  }

  private static void rewriteWithout(Path file, String name) throws IOException {
    Map<String, float[]> tensors = readAll(file);
    tensors.remove(name);
    writeAll(file, tensors, Map.of());
  }

  private static void writeAll(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes)
      throws IOException {
    Map<String, long[]> original = new java.util.HashMap<>();
    try (SafeTensors st = SafeTensors.open(file)) {
      for (String name : st.names()) {
        original.put(name, st.info(name).shape());
      }
    }
    List<SafeTensors.Tensor> out = new ArrayList<>();
    tensors.forEach(
        (name, values) ->
            out.add(
                SafeTensors.Tensor.floats(
                    name, DType.F32, shapes.getOrDefault(name, original.get(name)), () -> values)));
    SafeTensors.write(file, out, Map.of());
  }

  private static float[] logits(Transformer model, NDManager manager) {
    try (NDScope ignored = new NDScope()) {
      int[] tokens = TestModels.tokens(12, model.config().vocabSize(), 99);
      NDArray input = manager.create(tokens, new Shape(2, 6)).toType(DataType.INT64, false);
      return model.forward(input, (int[]) null).toFloatArray();
    }
  }
}
