package aha.sampler.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import aha.sampler.model.InferenceWeights;
import aha.sampler.model.KvCache;
import aha.sampler.model.MemoryEstimate;
import aha.sampler.model.ModelConfig;
import aha.sampler.model.Transformer;
import aha.sampler.tokenizer.ChatTemplate;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batched autoregressive generation over a {@link Transformer} with a {@link KvCache}.
 *
 * <p>One call of {@link #sample} left-pads the prompts to the longest one, runs them through the
 * model in one prefill, then takes one decode step per token for the whole batch: every row feeds
 * the token it just got and gets the next. A row ends at a stop token (kept as its last token,
 * {@link FinishReason#STOP}) or after {@code maxNewTokens} tokens ({@link FinishReason#LENGTH}). A
 * finished row keeps feeding its tokens so the batch stays rectangular, and what it gets is
 * ignored, until a quarter of the rows have ended: then the batch goes on with the rest alone
 * (their cache rows and random streams are kept, {@link KvCache#keepRows}), so that a few long
 * completions do not make every short one pay for their length. A row's tokens are the same either way, since
 * its draws and its attention depend on nothing but its own row (up to float rounding in
 * kernels that block by batch size). The call returns as soon as every row has ended.
 *
 * <p>Prefill: rows with the same prompt (GRPO's G completions of a question) are prefilled once
 * and share the result ({@link #prefill}).
 *
 * <p>Tool calls: with a {@link ToolUse}, a row that closes a call ({@code </calc>}) gets the tool's
 * answer written into it over the next steps, one token a step in place of its picks and marked
 * {@link Completion#injected}, while the other rows decode on (docs/tools.md).
 *
 * <p>Speed: each step is the model's forward plus about ten small ops that pick the tokens on the
 * device ({@link TokenPicker}); only B ids and B log-probabilities are copied to the host, to look
 * for stop tokens, and the picked ids stay on the device as the next step's input. The cache is
 * allocated once and reused by later calls with the same batch size and no longer sequences.
 *
 * <p>Memory: each step runs in its own {@link NDScope}; only the cache and the (B, 1) ids carried
 * from one step to the next outlive it, so native memory stays flat however long it runs.
 *
 * <p>Sequence room: a row holds its prompt and all but its last new token, so the cache needs the
 * longest prompt plus {@code maxNewTokens - 1} slots. When that exceeds the model's {@link
 * ModelConfig#maxPositions()}, fewer tokens are generated (and rows end with LENGTH); a prompt
 * longer than {@code maxPositions} is an error.
 *
 * <p>Dimensions: B prompts in the batch, T the longest prompt, V vocabulary. Not thread-safe: one
 * sampling worker owns an instance, as it owns the cache.
 */
public final class Generator implements CompletionSampler, AutoCloseable {

  /**
   * Rows below which finished rows are no longer dropped: copying a small cache costs about what
   * computing the few rows it saves does.
   */
  static final int MIN_ROWS_TO_DROP = 8;

  /**
   * Finished rows are dropped once 1/this of the batch has ended. Measured on GRPO's 32 x 8 rows
   * of the nano base: at a half, 78% of the rows a decode step computed were still going; at a
   * quarter 91%, and sampling took 8% less time; at an eighth the copies cost more than they saved
   * (4% slower than a quarter). Each drop copies the live rows' filled cache slots.
   */
  static final int DROP_WHEN_ENDED_OF = 4;

  private final Transformer model;
  private final ModelConfig config;
  private final boolean[] stops;
  private final NDManager manager;
  private final ToolUse tools; // null: no tool calls
  private KvCache cache;
  private long decodeSteps;
  private long decodeRows;
  private long prefillNanos;
  private long decodeNanos;

  /**
   * A generator over {@code model}, whose parameters must be initialized; its cache lives on the
   * model's device.
   *
   * @param stopTokenIds ids that end a completion, e.g. {@link ChatTemplate#stopTokenIds()}; may
   *     be empty, so that every completion runs to the token limit
   */
  public Generator(Transformer model, int[] stopTokenIds) {
    this(model, stopTokenIds, null);
  }

  /**
   * A generator whose rows may call a tool: see {@link #sample} on how a call is answered.
   *
   * @param tools the tool and its tags, or null for none
   */
  public Generator(Transformer model, int[] stopTokenIds, ToolUse tools) {
    this.tools = tools;
    this.model = model;
    this.config = model.config();
    this.stops = new boolean[config.vocabSize()];
    for (int id : stopTokenIds) {
      if (id < 0 || id >= stops.length) {
        throw new IllegalArgumentException(
            "stop token " + id + " is outside the model's vocabulary 0.." + (stops.length - 1));
      }
      stops[id] = true;
    }
    this.manager = NDManager.newBaseManager(model.device());
  }

  /**
   * A generator that ends a completion at the chat template's end of turn or end of text, and
   * answers calls to the template's tool when its tokenizer has the tool tags.
   */
  public static Generator forChat(Transformer model, ChatTemplate template) {
    ToolUse tools =
        template.tool() != null && template.hasTools() ? new ToolUse(template.tokenizer(), template.tool()) : null;
    return new Generator(model, template.stopTokenIds(), tools);
  }

  /** Whether this generator answers tool calls. */
  public boolean answersToolCalls() {
    return tools != null;
  }

  /** Decode steps (model calls after a prefill) taken by this generator so far, over all calls. */
  public long decodeSteps() {
    return decodeSteps;
  }

  /**
   * Rows computed by the decode steps so far, over all calls: each step counts the rows of the
   * batch as it ran, finished rows not yet dropped included. Beside the tokens generated it tells
   * how many decode slots went to rows that had already ended.
   */
  public long decodeRows() {
    return decodeRows;
  }

  /**
   * Wall time of the prefills (each call's first step: the prompts through the model and the
   * first picks) so far, over all calls, in nanoseconds. With {@link #decodeNanos()} it lets a
   * benchmark time the two phases of one call apart.
   */
  public long prefillNanos() {
    return prefillNanos;
  }

  /** Wall time of the decode steps (every step after a prefill) so far, over all calls, in ns. */
  public long decodeNanos() {
    return decodeNanos;
  }

  @Override
  @SuppressWarnings("try") // the step's NDScope exists to close what the step allocated
  public List<Completion> sample(List<int[]> prompts, SamplingParams params) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    int b = prompts.size();
    int longest = checkPrompts(prompts);
    // room for the prompt and every new token but the last, which is never fed back
    int newTokens = Math.min(params.maxNewTokens(), config.maxPositions() - longest + 1);
    int capacity = longest + newTokens - 1;
    // refused before allocating: a batch too big for the machine would otherwise end in an
    // allocation failure inside libtorch, or in the kernel killing the process; a cache this
    // generator already holds is memory it will reuse, not take again
    long held = cache == null ? 0 : MemoryEstimate.generationBytes(config, cache.batchSize(), 0, cache.capacity());
    MemoryEstimate.requireFits(
        String.format(Locale.ROOT, "a generation batch of %,d rows of up to %,d tokens", b, capacity),
        MemoryEstimate.generationBytes(config, b, longest, capacity) - held,
        "the rows generated together (--batch-rows)");
    int[] leftPadding = new int[b];
    for (int r = 0; r < b; r++) {
      leftPadding[r] = longest - prompts.get(r).length;
    }
    KvCache kv = cacheFor(leftPadding, capacity);
    KvCache compacted = null; // the rows still going, once some have been dropped; this call's own
    TokenPicker picker = new TokenPicker(params, b);
    int[] live = new int[b]; // live[i]: the prompt whose row is row i of the batch as it runs now
    for (int r = 0; r < b; r++) {
      live[r] = r;
    }

    int[][] tokens = new int[b][newTokens];
    float[][] logprobs = new float[b][newTokens];
    boolean[][] injected = new boolean[b][newTokens];
    int[] lengths = new int[b];
    // tool calls: where each row's open call started (-1: none), and the answer tokens still to
    // be written into a row after a call (null: none) with how far it has got
    int[] callOpenedAt = new int[b];
    Arrays.fill(callOpenedAt, -1);
    int[][] answering = new int[b][];
    int[] answered = new int[b];
    FinishReason[] reasons = new FinishReason[b];
    int unfinished = b;

    NDArray fed = null; // (B', 1) the last step's picks, kept out of its scope to feed the next
    // the weights in their sampling layout, made once for the call: the policy cannot change
    // inside it (a replica takes new weights between requests only)
    InferenceWeights weights = model.inferenceWeights();
    try {
      for (int step = 0; step < newTokens && unfinished > 0; step++) {
        long began = System.nanoTime();
        try (NDScope ignored = new NDScope()) {
          KvCache running = compacted == null ? kv : compacted;
          NDArray logits =
              step == 0
                  ? prefill(prompts, longest, kv, weights) // (B, V)
                  : model.forwardLast(fed, running, weights); // (B', V)
          TokenPicker.Picks picks = picker.pick(logits);
          long[] ids = picks.ids().toLongArray(); // (B') on the host
          float[] lps = picks.logprobs().toFloatArray(); // (B') on the host
          if (step > 0) {
            decodeSteps++;
            decodeRows += live.length;
          }
          boolean wroteAnswer = false; // a row got an answer token, not its pick: feed from the host
          for (int i = 0; i < live.length; i++) {
            int r = live[i];
            if (reasons[r] != null) {
              continue; // finished: its pick is ignored
            }
            if (answering[r] != null) {
              wroteAnswer = true;
              // the tool's answer is context, not an action: written in place of the pick (whose
              // draw is spent all the same, so a row's draws stay its own)
              tokens[r][lengths[r]] = answering[r][answered[r]++];
              injected[r][lengths[r]] = true;
              lengths[r]++;
              if (answered[r] == answering[r].length) {
                answering[r] = null;
              }
              if (lengths[r] == newTokens) {
                reasons[r] = FinishReason.LENGTH;
                unfinished--;
              }
              continue;
            }
            int id = (int) ids[i];
            tokens[r][lengths[r]] = id;
            logprobs[r][lengths[r]] = lps[i];
            lengths[r]++;
            if (stops[id]) {
              reasons[r] = FinishReason.STOP;
            } else if (lengths[r] == newTokens) {
              reasons[r] = FinishReason.LENGTH;
            }
            if (reasons[r] != null) {
              unfinished--;
            } else if (tools != null) {
              if (id == tools.callStart()) {
                callOpenedAt[r] = lengths[r];
              } else if (id == tools.callEnd() && callOpenedAt[r] >= 0) {
                answering[r] = tools.answer(Arrays.copyOfRange(tokens[r], callOpenedAt[r], lengths[r] - 1));
                answered[r] = 0;
                callOpenedAt[r] = -1;
              }
            }
          }
          // each row feeds the token it got: the pick, or an answer token written in its place
          NDArray next =
              wroteAnswer
                  ? lastTokens(live, tokens, lengths, ids) // (B', 1)
                  : picks.ids().reshape(live.length, 1); // (B', 1)
          if (unfinished > 0
              && unfinished <= live.length * (DROP_WHEN_ENDED_OF - 1) / DROP_WHEN_ENDED_OF
              && live.length >= MIN_ROWS_TO_DROP) {
            // a quarter of the rows or more have ended: carry on with the others alone, so that
            // later steps stop computing rows whose picks would be ignored (lengths vary a lot)
            int[] keep = new int[unfinished];
            int kept = 0;
            for (int i = 0; i < live.length; i++) {
              if (reasons[live[i]] == null) {
                keep[kept++] = i;
              }
            }
            KvCache smaller = running.keepRows(keep);
            if (compacted != null) {
              compacted.close();
            }
            compacted = smaller;
            picker.keepRows(keep);
            next = next.get(new NDIndex("{}", manager.create(toLongs(keep)))); // (B'', 1)
            int[] stillLive = new int[unfinished];
            for (int i = 0; i < unfinished; i++) {
              stillLive[i] = live[keep[i]];
            }
            live = stillLive;
          }
          if (fed != null) {
            fed.close();
          }
          fed = next;
          NDScope.unregister(fed);
        }
        long took = System.nanoTime() - began;
        if (step == 0) {
          prefillNanos += took;
        } else {
          decodeNanos += took;
        }
      }
    } finally {
      weights.close();
      if (fed != null) {
        fed.close();
      }
      if (compacted != null) {
        compacted.close();
      }
    }

    List<Completion> out = new ArrayList<>(b);
    for (int r = 0; r < b; r++) {
      out.add(
          new Completion(
              Arrays.copyOf(tokens[r], lengths[r]),
              Arrays.copyOf(logprobs[r], lengths[r]),
              reasons[r],
              Arrays.copyOf(injected[r], lengths[r])));
    }
    return out;
  }

  /**
   * The next step's input from the host, (B', 1): each live row's last token, or its pick when it
   * has ended (ignored then).
   */
  private NDArray lastTokens(int[] live, int[][] tokens, int[] lengths, long[] picks) {
    long[] next = new long[live.length];
    for (int i = 0; i < live.length; i++) {
      int r = live[i];
      next[i] = lengths[r] > 0 ? tokens[r][lengths[r] - 1] : picks[i];
    }
    return manager.create(next, new Shape(live.length, 1)); // (B', 1)
  }

  private static long[] toLongs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** Validates the prompts at the boundary and returns the longest length. */
  private int checkPrompts(List<int[]> prompts) {
    int longest = 0;
    for (int r = 0; r < prompts.size(); r++) {
      int[] prompt = prompts.get(r);
      if (prompt.length == 0) {
        throw new IllegalArgumentException("prompt " + r + " is empty");
      }
      for (int id : prompt) {
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException(
              "prompt " + r + " holds token " + id + ", outside the vocabulary 0.."
                  + (config.vocabSize() - 1));
        }
      }
      longest = Math.max(longest, prompt.length);
    }
    if (longest > config.maxPositions()) {
      throw new IllegalArgumentException(
          "a prompt of "
              + longest
              + " tokens does not fit the model's "
              + config.maxPositions()
              + " positions (maxPositions); shorten it or use a model with more positions");
    }
    return longest;
  }

  /**
   * The cache for a batch with this padding and at least {@code capacity} slots: the one held when
   * it has the same rows and room enough, else a new one (which keeps the old capacity if larger,
   * so that alternating lengths do not reallocate every call).
   */
  private KvCache cacheFor(int[] leftPadding, int capacity) {
    if (cache != null && cache.batchSize() == leftPadding.length) {
      if (cache.capacity() >= capacity) {
        cache.reset(leftPadding);
        return cache;
      }
      capacity = Math.max(capacity, cache.capacity());
    }
    if (cache != null) {
      cache.close();
      cache = null;
    }
    cache = new KvCache(config, manager, leftPadding, capacity);
    return cache;
  }

  /**
   * Runs the prompts through the model into {@code kv} and returns each row's next-token logits,
   * (B, V). Rows with the same prompt (a GRPO group's G completions of one question) share one
   * prefill: the distinct prompts are run into a scratch cache, and each row gets its prompt's
   * keys and values copied from it ({@link KvCache#copyPrefix}), so a group costs one prompt's
   * forward pass instead of G. The logits are computed on fewer rows, so they may differ from the
   * unshared ones in the last bits (kernels block by row count); a row's draws are its own either
   * way ({@link TokenPicker}).
   */
  private NDArray prefill(List<int[]> prompts, int longest, KvCache kv, InferenceWeights weights) {
    int b = prompts.size();
    Map<IntBuffer, Integer> distinctIndex = new HashMap<>(); // content-keyed: IntBuffer compares ints
    List<int[]> distinct = new ArrayList<>();
    int[] sourceRow = new int[b]; // row r's prompt is distinct prompt sourceRow[r]
    for (int r = 0; r < b; r++) {
      int[] prompt = prompts.get(r);
      Integer known = distinctIndex.putIfAbsent(IntBuffer.wrap(prompt), distinct.size());
      if (known == null) {
        distinct.add(prompt);
      }
      sourceRow[r] = known == null ? distinct.size() - 1 : known;
    }
    if (distinct.size() == b) {
      return model.forwardLast(prefillTokens(prompts, longest), kv, weights); // (B, V)
    }
    int[] distinctPadding = new int[distinct.size()];
    for (int d = 0; d < distinctPadding.length; d++) {
      distinctPadding[d] = longest - distinct.get(d).length;
    }
    try (KvCache shared = new KvCache(config, manager, distinctPadding, longest)) {
      NDArray distinctLogits =
          model.forwardLast(prefillTokens(distinct, longest), shared, weights); // (D, V)
      kv.copyPrefix(shared, sourceRow);
      return distinctLogits.get(new NDIndex("{}", manager.create(toLongs(sourceRow)))); // (B, V)
    }
  }

  /** The prompts left-padded (with id 0, never attended to) into one array, (B, T). */
  private NDArray prefillTokens(List<int[]> prompts, int longest) {
    int b = prompts.size();
    long[] flat = new long[b * longest];
    for (int r = 0; r < b; r++) {
      int[] prompt = prompts.get(r);
      int offset = r * longest + longest - prompt.length;
      for (int i = 0; i < prompt.length; i++) {
        flat[offset + i] = prompt[i];
      }
    }
    return manager.create(flat, new Shape(b, longest)); // (B, T)
  }

  /** Frees the cache and everything else this generator holds on the device. */
  @Override
  public void close() {
    cache = null;
    manager.close(); // closes the cache, a sub-manager of it
  }
}
