package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A decode step (one new position per row, sampling weights) run as one TorchScript call instead
 * of a few hundred DJL operations.
 *
 * <p>Why: a micro decode step at batch 16 is about 260 native operations, and each costs a few
 * microseconds of fixed price on top of its arithmetic (the JNI crossing, DJL's array handle and
 * its bookkeeping, the dispatcher): about a quarter of the step went between operations. libtorch's
 * TorchScript interpreter runs the same operations from C++ without that per-operation price.
 *
 * <p>What: {@code decode_step.torchscript} (a resource beside this class) is the step written as
 * TorchScript, operation for operation what {@link Transformer#forwardLast} does for one position
 * with {@link InferenceWeights}, so that both compute the same bits ({@code ScriptedDecodeTest}
 * holds them to that). It is wrapped here, in memory, as the archive {@code torch.jit.save} writes
 * (a zip of the code, a pickled module object of no tensors, and a version), which libtorch
 * compiles when it loads; no Python is involved. The rotation, the padding mask and the token
 * picking stay in Java, and the step writes the cache in place as the eager step does.
 *
 * <p>{@code -Daha.decode=eager} turns it off, for a before/after measurement.
 *
 * <p>Thread-safe: libtorch runs one loaded module on several threads at once, and every call
 * passes its own arrays. Loaded once per process, on first use.
 */
final class ScriptedDecode {

  /**
   * The system property that picks the decode path: {@code scripted} (the default) or {@code
   * eager}.
   */
  static final String PROPERTY = "aha.decode";

  private static final String SOURCE = "decode_step.torchscript";

  /**
   * The pickled module object: a {@code __torch__.DecodeStep} (protocol 2: GLOBAL, empty args,
   * NEWOBJ) whose state is {@code {"training": False, "_is_full_backward_hook": None}}, the two
   * attributes every scripted module declares. {@code training} is what {@code eval()} would leave
   * it; the step has no dropout or other operation that reads it.
   */
  private static final byte[] MODULE_PICKLE = modulePickle();

  /** An empty constant table (protocol 2, an empty tuple). */
  private static final byte[] NO_CONSTANTS = {(byte) 0x80, 0x02, ')', '.'};

  private static volatile ScriptedDecode shared;

  private final PtSymbolBlock module;

  private ScriptedDecode(PtSymbolBlock module) {
    this.module = module;
  }

  /** Whether decode steps run scripted in this process ({@link #PROPERTY}). */
  static boolean enabled() {
    String path = System.getProperty(PROPERTY, "scripted");
    return switch (path) {
      case "scripted" -> true;
      case "eager" -> false;
      default -> throw new IllegalArgumentException(
          "-D" + PROPERTY + " must be scripted or eager, got " + path);
    };
  }

  /** The process's scripted step, loaded on first use. */
  static ScriptedDecode shared() {
    ScriptedDecode step = shared;
    if (step == null) {
      synchronized (ScriptedDecode.class) {
        step = shared;
        if (step == null) {
          step = load();
          shared = step;
        }
      }
    }
    return step;
  }

  private static ScriptedDecode load() {
    // the module lives as long as the process, in a manager of its own
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
    try (InputStream archive = new ByteArrayInputStream(archive(source()))) {
      return new ScriptedDecode(JniUtils.loadModule(manager, archive, true, false));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw new IllegalStateException(
          "libtorch cannot compile the scripted decode step (" + SOURCE + "); -D" + PROPERTY
              + "=eager runs the Java step instead",
          e);
    }
  }

  /**
   * Logits of one decode step, (B, V); writes the step's keys and values at slot {@code start} of
   * {@code cache}, which the caller then advances. The arguments that hold for a whole generate
   * call (the weights, the model's shape, the cache's arrays) are made once and kept by {@code
   * weights} and {@code cache} ({@link WeightArguments}, {@link CacheArguments}): made afresh,
   * they cost 120–160 us a step (micro, measured), 4% of a step at batch 16.
   *
   * @param tokens the step's tokens, (B, 1) int64 or int32
   * @param embed the embedding table, (V, C)
   * @param rotation the position's rotation from {@link Rotary#angles}: (hs, hs), or (B, 1, hs,
   *     hs) with padding
   * @param mask the padding bias (B, 1, 1, 1, Tkv), or null when no row is padded
   * @param start the cache slot of this step
   */
  NDArray logits(
      ModelConfig config,
      NDArray tokens,
      NDArray embed,
      InferenceWeights weights,
      KvCache cache,
      NDArray rotation,
      NDArray mask,
      int start) {
    WeightArguments model = weights.scriptArguments(config, embed);
    CacheArguments kv = cache.scriptArguments();
    IValue[] stepArguments = new IValue[4]; // made in the try, so that a failure closes them too
    try {
      stepArguments[0] = IValue.from((PtNDArray) tokens); // (B, 1)
      stepArguments[1] = IValue.from((PtNDArray) rotation); // (hs, hs) or (B, 1, hs, hs)
      stepArguments[2] =
          mask == null
              ? IValue.listFrom(new PtNDArray[0]) // no mask: an empty list stands for None
              : IValue.listFrom((PtNDArray) mask); // [(B, 1, 1, 1, Tkv)]
      stepArguments[3] = IValue.from((long) start);
      IValue[] inputs = {
        stepArguments[0],
        model.embed,
        model.projections,
        model.biases,
        model.head,
        model.eps,
        stepArguments[1],
        kv.keys,
        kv.values,
        stepArguments[2],
        stepArguments[3],
        model.numHeads,
        model.numKvHeads,
        model.headSize,
        model.intermediateSize
      };
      // libtorch's graph optimizer would run the first calls in a profiling mode and then
      // specialize the graph, and on a GPU fuse elementwise operations into generated kernels that
      // round differently from the Java step; the plain graph runs the same operations as it
      // (measured on micro at batch 16 and 64: no slower). The setting is per thread.
      JniUtils.setGraphExecutorOptimize(false);
      try (IValue output = module.forward(inputs)) {
        return output.toTensor((PtNDManager) tokens.getManager()); // (B, V)
      }
    } finally {
      closeAll(stepArguments);
    }
  }

  /**
   * The step's arguments that hold while a model's sampling weights do: the embedding table, the
   * projections, biases, head and epsilon of {@link InferenceWeights}, and the model's shape.
   * {@link InferenceWeights} makes them on a first scripted step and closes them with itself; they
   * hold references to its arrays, not copies.
   */
  static final class WeightArguments implements AutoCloseable {

    private final IValue embed;
    private final IValue projections;
    private final IValue biases;
    private final IValue head;
    private final IValue eps;
    private final IValue numHeads;
    private final IValue numKvHeads;
    private final IValue headSize;
    private final IValue intermediateSize;

    WeightArguments(ModelConfig config, NDArray embedTable, InferenceWeights weights) {
      int layers = config.numLayers();
      List<PtNDArray> layerProjections = new ArrayList<>(4 * layers);
      List<PtNDArray> layerBiases = new ArrayList<>(layers);
      for (int i = 0; i < layers; i++) {
        InferenceWeights.LayerWeights layer = weights.layer(i);
        layerProjections.add((PtNDArray) layer.qkv()); // (C, W)
        layerProjections.add((PtNDArray) layer.out()); // (C, C)
        layerProjections.add((PtNDArray) layer.gateUp()); // (C, 2I)
        layerProjections.add((PtNDArray) layer.down()); // (I, C)
        if (layer.qkvBias() != null) {
          layerBiases.add((PtNDArray) layer.qkvBias()); // (W)
        }
      }
      embed = IValue.from((PtNDArray) embedTable); // (V, C)
      projections = IValue.listFrom(layerProjections.toArray(PtNDArray[]::new));
      biases = IValue.listFrom(layerBiases.toArray(PtNDArray[]::new));
      head = IValue.from((PtNDArray) weights.head()); // (C, V)
      eps = IValue.from((PtNDArray) weights.eps()); // ()
      numHeads = IValue.from((long) config.numHeads());
      numKvHeads = IValue.from((long) config.numKvHeads());
      headSize = IValue.from((long) config.headSize());
      intermediateSize = IValue.from((long) config.intermediateSize());
    }

    @Override
    public void close() {
      closeAll(
          embed, projections, biases, head, eps, numHeads, numKvHeads, headSize, intermediateSize);
    }
  }

  /**
   * A cache's per-layer keys and values as the step's two list arguments. {@link KvCache} makes
   * them on a first scripted step and closes them with itself; the step writes through them into
   * the cache's own arrays.
   */
  static final class CacheArguments implements AutoCloseable {

    private final IValue keys;
    private final IValue values;

    CacheArguments(NDArray[] layerKeys, NDArray[] layerValues) {
      keys = IValue.listFrom(asPt(layerKeys)); // (B, nkv, hs, Tmax) each
      values = IValue.listFrom(asPt(layerValues)); // (B, nkv, Tmax, hs) each
    }

    @Override
    public void close() {
      closeAll(keys, values);
    }
  }

  private static PtNDArray[] asPt(NDArray[] arrays) {
    PtNDArray[] out = new PtNDArray[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      out[i] = (PtNDArray) arrays[i];
    }
    return out;
  }

  /** Closes each of {@code values} that was made (null where it was not). */
  private static void closeAll(IValue... values) {
    for (IValue value : values) {
      if (value != null) {
        value.close();
      }
    }
  }

  private static String source() {
    try (InputStream in = ScriptedDecode.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SOURCE + " is missing from the sampler jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SOURCE, e);
    }
  }

  /**
   * The archive {@code torch.jit.save} would write for a module of {@code code} with no tensors:
   * uncompressed zip entries under one folder, as libtorch's reader expects.
   */
  static byte[] archive(String code) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      // the serialization format version of the code: libtorch rewrites ("upgrades") calls of
      // operators whose schema changed after the version an archive declares, so the step must
      // declare the one its code is written for. 4 is what torch 1.13 wrote for this code, and
      // libtorch 2.5.1 loads it with no operator of the step upgraded (the tests compare bits)
      stored(zip, "decode_step/version", "4\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "decode_step/data.pkl", MODULE_PICKLE);
      stored(zip, "decode_step/constants.pkl", NO_CONSTANTS);
      stored(zip, "decode_step/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  private static byte[] modulePickle() {
    ByteArrayOutputStream pickle = new ByteArrayOutputStream();
    pickle.write(0x80); // PROTO 2
    pickle.write(2);
    writeAscii(pickle, "c__torch__\nDecodeStep\n"); // GLOBAL: the class
    pickle.write(')'); // EMPTY_TUPLE: no constructor arguments
    pickle.write(0x81); // NEWOBJ
    pickle.write('}'); // EMPTY_DICT: the state
    pickle.write('('); // MARK
    binUnicode(pickle, "training");
    pickle.write(0x89); // NEWFALSE
    binUnicode(pickle, "_is_full_backward_hook");
    pickle.write('N'); // NONE
    pickle.write('u'); // SETITEMS
    pickle.write('b'); // BUILD: the object takes the state
    pickle.write('.'); // STOP
    return pickle.toByteArray();
  }

  /** BINUNICODE: the length as 4 bytes little-endian, then the UTF-8 bytes. */
  private static void binUnicode(ByteArrayOutputStream out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.write('X');
    for (int shift = 0; shift < 32; shift += 8) {
      out.write((utf8.length >>> shift) & 0xff);
    }
    out.write(utf8, 0, utf8.length);
  }

  private static void writeAscii(ByteArrayOutputStream out, String text) {
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    out.write(ascii, 0, ascii.length);
  }
}
