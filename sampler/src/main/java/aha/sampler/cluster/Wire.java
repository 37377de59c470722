package aha.sampler.cluster;

import aha.sampler.generate.Completion;
import aha.sampler.generate.FinishReason;
import aha.sampler.generate.SamplingParams;
import ai.djl.Device;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages a trainer and its sampler nodes exchange over the clustered event bus, and their
 * addresses. Control messages are JSON; completions travel as a compact binary buffer (floats by
 * their bits, so a log-probability arrives exactly as the node computed it).
 */
final class Wire {

  /** Nodes announce themselves here; the trainer answers with the model and its version. */
  static final String ANNOUNCE = "aha.cluster.trainer.announce";

  /** The trainer asks every node to announce itself (published when it starts). */
  static final String ROLL_CALL = "aha.cluster.roll-call";

  /** The trainer tells every node of a new policy version (published), so they fetch it at once. */
  static final String VERSIONS = "aha.cluster.versions";

  /** The header that says what a message to a node asks. */
  static final String ACTION = "action";

  static final String SAMPLE = "sample";

  /** Failure code of a weights chunk asked for a version the trainer no longer holds. */
  static final int GONE = 410;

  /** Failure code of a request a node refused (bad parameters, a prompt too long). */
  static final int BAD_REQUEST = 400;

  /** Failure code of a request a node failed on. */
  static final int FAILED = 500;

  private Wire() {}

  /** A device as nodes report it: cpu, or gpu:N. */
  static String deviceName(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  /** The address a node takes work at. */
  static String node(String nodeId) {
    return "aha.cluster.node." + nodeId;
  }

  /**
   * One item of work: sample {@code g} completions of each prompt, rows group-major, as one batch
   * with {@code params} (whose seed is already the item's), with the weights of {@code version}.
   */
  record Item(long version, List<int[]> prompts, int g, SamplingParams params) {

    /** The batch's rows: each prompt repeated G times, in group order. */
    List<int[]> rows() {
      List<int[]> rows = new ArrayList<>(prompts.size() * g);
      for (int[] prompt : prompts) {
        for (int i = 0; i < g; i++) {
          rows.add(prompt);
        }
      }
      return rows;
    }

    JsonObject toJson() {
      JsonArray promptArray = new JsonArray();
      for (int[] prompt : prompts) {
        JsonArray tokens = new JsonArray();
        for (int token : prompt) {
          tokens.add(token);
        }
        promptArray.add(tokens);
      }
      return new JsonObject()
          .put("version", version)
          .put("g", g)
          .put("temperature", params.temperature())
          .put("top_k", params.topK())
          .put("top_p", params.topP())
          .put("max_new_tokens", params.maxNewTokens())
          .put("seed", params.seed())
          .put("prompts", promptArray);
    }

    static Item fromJson(JsonObject json) {
      List<int[]> prompts = new ArrayList<>();
      for (Object entry : json.getJsonArray("prompts")) {
        JsonArray tokens = (JsonArray) entry;
        int[] prompt = new int[tokens.size()];
        for (int i = 0; i < prompt.length; i++) {
          prompt[i] = tokens.getInteger(i);
        }
        prompts.add(prompt);
      }
      SamplingParams params =
          new SamplingParams(
              json.getDouble("temperature"),
              json.getInteger("top_k"),
              json.getDouble("top_p"),
              json.getInteger("max_new_tokens"),
              json.getLong("seed"));
      return new Item(json.getLong("version"), prompts, json.getInteger("g"), params);
    }
  }

  /**
   * A node's answer to an {@link Item}: its completions in row order and what they cost.
   *
   * @param loadMillis how long the node took to fetch and load the weights of {@code version}
   */
  record Sampled(long version, double sampleMillis, double loadMillis, List<Completion> completions) {

    Buffer toBuffer() {
      Buffer out = Buffer.buffer();
      out.appendLong(version).appendDouble(sampleMillis).appendDouble(loadMillis).appendInt(completions.size());
      for (Completion c : completions) {
        out.appendByte((byte) c.finishReason().ordinal()).appendInt(c.length());
        for (int i = 0; i < c.length(); i++) {
          out.appendInt(c.tokens()[i])
              .appendInt(Float.floatToRawIntBits(c.logprobs()[i]))
              .appendByte((byte) (c.injected()[i] ? 1 : 0));
        }
      }
      return out;
    }

    static Sampled fromBuffer(Buffer in) {
      int at = 0;
      long version = in.getLong(at);
      at += Long.BYTES;
      double millis = in.getDouble(at);
      at += Double.BYTES;
      double loadMillis = in.getDouble(at);
      at += Double.BYTES;
      int rows = in.getInt(at);
      at += Integer.BYTES;
      List<Completion> completions = new ArrayList<>(rows);
      for (int row = 0; row < rows; row++) {
        FinishReason reason = FinishReason.values()[in.getByte(at)];
        at += 1;
        int length = in.getInt(at);
        at += Integer.BYTES;
        int[] tokens = new int[length];
        float[] logprobs = new float[length];
        boolean[] injected = new boolean[length];
        for (int i = 0; i < length; i++) {
          tokens[i] = in.getInt(at);
          logprobs[i] = Float.intBitsToFloat(in.getInt(at + 4));
          injected[i] = in.getByte(at + 8) != 0;
          at += 9;
        }
        completions.add(new Completion(tokens, logprobs, reason, injected));
      }
      return new Sampled(version, millis, loadMillis, completions);
    }
  }
}
