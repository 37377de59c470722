package aha.sampler.checkpoint;

import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Saves and loads a {@link Transformer} as a HuggingFace checkpoint directory: {@code config.json}
 * plus {@code model.safetensors}, or shards {@code model-00001-of-0000N.safetensors} listed in
 * {@code model.safetensors.index.json}. Tensor names and layouts are HF Llama's, so a directory aha
 * writes loads in {@code transformers}, and a local HF Llama or Qwen2 checkpoint loads here.
 *
 * <p>Loading checks everything (config, every tensor's presence, dtype and shape) before allocating
 * the model, and names the file and tensor or field of the first problem.
 */
public final class Checkpoints {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";

  /** What a weights file's header says of its format, as PyTorch's writer does. */
  private static final Map<String, String> METADATA = Map.of("format", "pt");

  private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoints() {}

  /** Saves {@code model} to {@code dir} as F32 in one file. */
  public static void save(Transformer model, Path dir) throws IOException {
    save(model, dir, DType.F32, Long.MAX_VALUE);
  }

  /**
   * Saves {@code model} to {@code dir}, its weights stored as {@code dtype} (F32, F16 or BF16;
   * rounded to nearest even), split into shards of at most {@code maxShardBytes} each (a larger
   * tensor gets a shard of its own). Weight files of an earlier save in {@code dir} that this save
   * does not rewrite are deleted, so that the directory holds one consistent checkpoint.
   */
  public static void save(Transformer model, Path dir, DType dtype, long maxShardBytes)
      throws IOException {
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException("weights must be saved as a float type, not " + dtype);
    }
    Files.createDirectories(dir);
    List<List<SafeTensors.Tensor>> shards = new ArrayList<>();
    List<SafeTensors.Tensor> current = new ArrayList<>();
    long currentBytes = 0;
    for (String name : model.hfTensorNames()) {
      long[] shape = model.hfTensorShape(name).getShape();
      long bytes = SafeTensors.elements(shape) * dtype.bytes();
      if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(tensor(model, name, dtype));
      currentBytes += bytes;
    }
    shards.add(current);

    Map<String, String> metadata = METADATA;
    Set<String> written = new LinkedHashSet<>();
    if (shards.size() == 1) {
      SafeTensors.write(dir.resolve(WEIGHTS), shards.get(0), metadata);
      written.add(WEIGHTS);
    } else {
      Map<String, String> weightMap = new TreeMap<>();
      long total = 0;
      for (int i = 0; i < shards.size(); i++) {
        String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
        total += SafeTensors.write(dir.resolve(file), shards.get(i), metadata);
        for (SafeTensors.Tensor t : shards.get(i)) {
          weightMap.put(t.name(), file);
        }
        written.add(file);
      }
      ObjectNode index = JSON.createObjectNode();
      index.putObject("metadata").put("total_size", total);
      ObjectNode map = index.putObject("weight_map");
      weightMap.forEach(map::put);
      SafeTensors.writeText(dir.resolve(INDEX), JSON.writeValueAsString(index) + "\n");
      written.add(INDEX);
    }
    HfConfig.write(model.config(), dtype, dir.resolve(CONFIG));
    deleteStaleWeights(dir, written);
  }

  /**
   * The bytes {@link #save(Transformer, Path)} writes to {@code model.safetensors}, in memory (F32,
   * one file): a policy version as a trainer serves it to its sampler nodes.
   */
  public static byte[] weightsBytes(Transformer model) {
    List<SafeTensors.Tensor> tensors = new ArrayList<>();
    for (String name : model.hfTensorNames()) {
      tensors.add(tensor(model, name, DType.F32));
    }
    return SafeTensors.encode(tensors, METADATA);
  }

  /** {@code model}'s config.json for F32 weights, as {@link #save(Transformer, Path)} writes it. */
  public static String configJson(Transformer model) {
    return HfConfig.text(model.config(), DType.F32);
  }

  private static SafeTensors.Tensor tensor(Transformer model, String name, DType dtype) {
    return SafeTensors.Tensor.floats(name, dtype, model.hfTensorShape(name).getShape(), () -> model.hfTensor(name));
  }

  private static void deleteStaleWeights(Path dir, Set<String> keep) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean weights =
            name.equals(WEIGHTS) || name.equals(INDEX) || SHARD.matcher(name).matches();
        if (weights && !keep.contains(name)) {
          Files.delete(file);
        }
      }
    }
  }

  /** Reads only the config of the checkpoint in {@code dir}. */
  public static ModelConfig readConfig(Path dir) throws IOException {
    return HfConfig.read(dir.resolve(CONFIG));
  }

  /**
   * Loads the checkpoint in {@code dir} into a new model whose parameters live on {@code manager}
   * (and its device). F16 and BF16 weights are widened to F32 in Java.
   *
   * @throws CheckpointException naming the file and the tensor or field when the config is
   *     unsupported, a tensor is missing, misshapen or not a float, or a file is truncated
   */
  public static Transformer load(Path dir, NDManager manager) throws IOException {
    Transformer model = new Transformer(readConfig(dir));
    read(dir, model, () -> model.initializeEmpty(manager));
    return model;
  }

  /**
   * Overwrites the weights of {@code model}, already initialized, with those of the checkpoint in
   * {@code dir}, checked as {@link #load} checks them; a checkpoint of another shape is refused
   * before any weight changes. A sampler node takes each new policy version this way, without the
   * second copy a fresh model would cost.
   */
  public static void loadInto(Path dir, Transformer model) throws IOException {
    ModelConfig config = readConfig(dir);
    if (!config.equals(model.config())) {
      throw new CheckpointException(dir, "holds a model of another shape: " + config + ", not " + model.config());
    }
    read(dir, model, () -> {});
  }

  /** Checks every tensor of {@code dir} against {@code model}, runs {@code beforeWriting}, then sets them. */
  private static void read(Path dir, Transformer model, Runnable beforeWriting) throws IOException {
    List<SafeTensors> files = openWeights(dir);
    try {
      Map<String, SafeTensors> source = locate(dir, model, files);
      beforeWriting.run();
      for (Map.Entry<String, SafeTensors> e : source.entrySet()) {
        model.setHfTensor(e.getKey(), e.getValue().readFloats(e.getKey()));
      }
    } finally {
      for (SafeTensors f : files) {
        f.close();
      }
    }
  }

  /** Opens the single weights file, or every shard the index names. */
  private static List<SafeTensors> openWeights(Path dir) throws IOException {
    Path index = dir.resolve(INDEX);
    List<Path> paths = new ArrayList<>();
    if (Files.exists(index)) {
      JsonNode root;
      try {
        root = JSON.readTree(Files.readString(index, StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new CheckpointException(index, "not JSON: " + e.getOriginalMessage(), e);
      }
      JsonNode weightMap = root == null ? null : root.get("weight_map");
      if (weightMap == null || !weightMap.isObject()) {
        throw new CheckpointException(index, "field \"weight_map\": missing or not an object");
      }
      Set<String> names = new LinkedHashSet<>();
      for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
        String file = e.getValue().asText();
        if (!e.getValue().isTextual() || file.contains("/") || file.contains("\\")) {
          throw new CheckpointException(
              index,
              "weight_map entry " + e.getKey() + ": \"" + e.getValue() + "\" is not a file name");
        }
        names.add(file);
      }
      for (String name : names) {
        Path shard = dir.resolve(name);
        if (!Files.isRegularFile(shard)) {
          throw new CheckpointException(
              index, "names shard " + name + ", which does not exist in " + dir);
        }
        paths.add(shard);
      }
    } else if (Files.isRegularFile(dir.resolve(WEIGHTS))) {
      paths.add(dir.resolve(WEIGHTS));
    } else {
      throw new CheckpointException(dir, "holds neither " + WEIGHTS + " nor " + INDEX);
    }
    List<SafeTensors> files = new ArrayList<>();
    try {
      for (Path p : paths) {
        files.add(SafeTensors.open(p));
      }
    } catch (IOException | RuntimeException e) {
      for (SafeTensors f : files) {
        f.close();
      }
      throw e;
    }
    return files;
  }

  /**
   * Finds each of the model's tensors in the files and checks its dtype and shape; refuses tensors
   * the model has no place for (except rotary tables and a duplicate of a tied LM head).
   */
  private static Map<String, SafeTensors> locate(
      Path dir, Transformer model, List<SafeTensors> files) throws CheckpointException {
    Map<String, SafeTensors> where = new LinkedHashMap<>();
    for (SafeTensors f : files) {
      for (String name : f.names()) {
        SafeTensors previous = where.putIfAbsent(name, f);
        if (previous != null) {
          throw new CheckpointException(
              f.path(), "tensor " + name + ": also present in " + previous.path().getFileName());
        }
      }
    }
    Map<String, SafeTensors> source = new LinkedHashMap<>();
    Path describe = files.size() == 1 ? files.get(0).path() : dir.resolve(INDEX);
    for (String name : model.hfTensorNames()) {
      SafeTensors f = where.remove(name);
      if (f == null) {
        throw new CheckpointException(
            describe, "tensor " + name + ": missing (the config in " + CONFIG + " needs it)");
      }
      SafeTensors.Info info = f.info(name);
      Shape expected = model.hfTensorShape(name);
      if (!Arrays.equals(info.shape(), expected.getShape())) {
        throw new CheckpointException(
            f.path(),
            "tensor "
                + name
                + ": shape "
                + info.shapeText()
                + " but the config needs "
                + Arrays.toString(expected.getShape()));
      }
      if (!info.dtype().isFloating()) {
        throw new CheckpointException(
            f.path(), "tensor " + name + ": dtype " + info.dtype() + ", expected a float type");
      }
      source.put(name, f);
    }
    for (Map.Entry<String, SafeTensors> extra : where.entrySet()) {
      String name = extra.getKey();
      boolean harmless =
          name.endsWith(".rotary_emb.inv_freq")
              || (name.equals("lm_head.weight") && model.config().tieEmbeddings());
      if (!harmless) {
        throw new CheckpointException(
            extra.getValue().path(),
            "tensor " + name + ": not part of the model that " + CONFIG + " describes");
      }
    }
    return source;
  }
}
