package aha.sampler.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Preallocated keys and values of every layer for a batch of B sequences, filled in place as {@link
 * Transformer#forward(NDArray, KvCache)} runs: no per-step concatenation, no reallocation.
 *
 * <p>Rows are left-padded: a batch of prompts of different lengths is padded on the left to a
 * common length, and {@code leftPadding[b]} says how many slots of row b are padding. Those slots
 * are never attended to, and positions (for the rotary embedding) count from the first real token,
 * so a row's logits do not depend on how much it was padded. All rows then advance together, one
 * slot per decode step; a finished row keeps feeding any token and its outputs are ignored.
 *
 * <p>Shapes: keys of each layer are stored transposed, (B, nkv, hs, Tmax), values as (B, nkv, Tmax,
 * hs), where Tmax is the capacity; slots [0, {@link #length()}) are valid. Transposed keys make the
 * attention scores a plain batched (g, hs) x (hs, Tkv) matmul, which libtorch's CPU kernels run
 * faster than the same product against a transposed (Tkv, hs) operand (measured on micro at batch
 * 64: about 2x on data hot in cache, 1.3x inside a decode step); the price, a strided write of each
 * step's keys, is smaller.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final int layers;
  private final int capacity;
  private final NDArray[] keys; // (B, nkv, hs, Tmax) each
  private final NDArray[] values; // (B, nkv, Tmax, hs) each
  private final NDArray[] keysBatched; // (B nkv, hs, Tmax) each, views of keys
  private final NDArray[] valuesBatched; // (B nkv, Tmax, hs) each, views of values
  private int[] leftPadding;
  private NDArray padding; // (B, 1) int64, or null when no row is padded
  private NDArray paddingBias; // (B, 1, 1, 1, Tmax) float32, or null when no row is padded
  private int length;
  private ScriptedDecode.CacheArguments scriptArguments; // made by the first scripted step

  /**
   * Allocates a cache on {@code parent}'s device (zeroed; closed with this cache).
   *
   * @param leftPadding padding slots at the start of each row; its length is the batch size B
   * @param capacity Tmax, the most slots (prompt + generated) a row will hold
   */
  public KvCache(ModelConfig config, NDManager parent, int[] leftPadding, int capacity) {
    if (capacity <= 0 || capacity > config.maxPositions()) {
      throw new IllegalArgumentException(
          "cache capacity "
              + capacity
              + " must be in 1.."
              + config.maxPositions()
              + " (maxPositions)");
    }
    this.manager = parent.newSubManager();
    this.layers = config.numLayers();
    this.capacity = capacity;
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.keysBatched = new NDArray[layers];
    this.valuesBatched = new NDArray[layers];
    int b = leftPadding.length;
    Shape keyShape = new Shape(b, config.numKvHeads(), config.headSize(), capacity);
    Shape valueShape = new Shape(b, config.numKvHeads(), capacity, config.headSize());
    for (int i = 0; i < layers; i++) {
      keys[i] = manager.zeros(keyShape, DataType.FLOAT32); // (B, nkv, hs, Tmax)
      values[i] = manager.zeros(valueShape, DataType.FLOAT32); // (B, nkv, Tmax, hs)
      // the same memory with batch and kv heads as one axis, the shape attention multiplies in,
      // made once here rather than by a reshape per layer and step
      long bn = (long) b * config.numKvHeads();
      keysBatched[i] = keys[i].reshape(bn, config.headSize(), capacity); // (B nkv, hs, Tmax)
      valuesBatched[i] = values[i].reshape(bn, capacity, config.headSize()); // (B nkv, Tmax, hs)
      NDScope.unregister(keys[i], values[i], keysBatched[i], valuesBatched[i]);
    }
    reset(leftPadding);
  }

  /**
   * A new cache holding only the given rows of this one, in that order, with everything they hold
   * so far: keys, values, padding and length. This cache is left as it was. A decode loop uses it
   * to drop the rows that have finished, so that later steps compute only the rows still going.
   * Only the filled slots are copied, into memory left uninitialized past them (a slot is always
   * written before it is read), so a drop costs what the rows hold, not the cache's capacity.
   *
   * @param rows indices of the rows to keep, each in [0, B), at least one
   */
  public KvCache keepRows(int[] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("keep at least one row");
    }
    int[] keptPadding = new int[rows.length];
    long[] index = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= leftPadding.length) {
        throw new IllegalArgumentException(
            "row " + rows[i] + " is outside the cache's 0.." + (leftPadding.length - 1));
      }
      keptPadding[i] = leftPadding[rows[i]];
      index[i] = rows[i];
    }
    NDManager parent = manager.getParentManager();
    KvCache kept = new KvCache(parent, layers, capacity, keptPadding);
    try (NDManager scratch = manager.newSubManager()) {
      NDIndex taken = new NDIndex("{}", scratch.create(index)); // the kept rows, (B') int64
      for (int i = 0; i < layers; i++) {
        Shape keyShape = keys[i].getShape().slice(1); // (nkv, hs, Tmax)
        Shape valueShape = values[i].getShape().slice(1); // (nkv, Tmax, hs)
        NDArray keptKeys = scratch.create(new Shape(rows.length).addAll(keyShape)); // (B', nkv, hs, Tmax)
        NDArray keptValues = scratch.create(new Shape(rows.length).addAll(valueShape)); // (B', nkv, Tmax, hs)
        if (length > 0) {
          // gathered, not a view: the kept rows get their own contiguous memory
          NDIndex filledKeys = new NDIndex("..., :{}", length);
          NDIndex filledValues = new NDIndex("..., :{}, :", length);
          try (NDArray keyPrefix = keys[i].get(filledKeys); // (B, nkv, hs, L), a view
              NDArray valuePrefix = values[i].get(filledValues)) { // (B, nkv, L, hs), a view
            try (NDArray takenKeys = keyPrefix.get(taken); // (B', nkv, hs, L)
                NDArray takenValues = valuePrefix.get(taken)) { // (B', nkv, L, hs)
              keptKeys.set(filledKeys, takenKeys);
              keptValues.set(filledValues, takenValues);
            }
          }
        }
        kept.install(i, keptKeys, keptValues);
      }
    }
    kept.length = length;
    return kept;
  }

  /**
   * Fills this empty cache from {@code source}'s filled slots: row r gets the keys and values of
   * slots [0, source.length()) of source row {@code rows[r]}, and this cache's length becomes
   * source's. Rows that share a prompt are prefilled once this way. Their padding must agree.
   *
   * @param rows for each row of this cache, the source row it copies
   */
  public void copyPrefix(KvCache source, int[] rows) {
    if (length != 0) {
      throw new IllegalStateException("copyPrefix fills an empty cache; this one holds " + length + " slots");
    }
    if (rows.length != leftPadding.length) {
      throw new IllegalArgumentException(
          "cache holds " + leftPadding.length + " rows, got " + rows.length + " to copy");
    }
    long[] index = new long[rows.length];
    for (int r = 0; r < rows.length; r++) {
      int from = rows[r];
      index[r] = from;
      if (from < 0 || from >= source.leftPadding.length || source.leftPadding[from] != leftPadding[r]) {
        throw new IllegalArgumentException(
            "row " + r + " cannot copy source row " + from + ": outside the source or padded differently");
      }
    }
    int slots = source.length;
    if (slots > capacity) {
      throw new IllegalArgumentException(
          "source holds " + slots + " slots, more than this cache's capacity " + capacity);
    }
    NDIndex filledKeys = new NDIndex("..., :{}", slots);
    NDIndex filledValues = new NDIndex("..., :{}, :", slots);
    try (NDManager scratch = manager.newSubManager()) {
      NDIndex taken = new NDIndex("{}", scratch.create(index)); // (B) int64
      for (int i = 0; i < layers; i++) {
        try (NDArray takenKeys = source.keys[i].get(taken); // (B, nkv, hs, Ts)
            NDArray takenValues = source.values[i].get(taken)) { // (B, nkv, Ts, hs)
          keys[i].set(filledKeys, takenKeys.get(filledKeys));
          values[i].set(filledValues, takenValues.get(filledValues));
        }
      }
    }
    length = slots;
  }

  /** An empty shell for {@link #keepRows}: padding set, arrays to be installed layer by layer. */
  private KvCache(NDManager parent, int layers, int capacity, int[] leftPadding) {
    this.manager = parent.newSubManager();
    this.layers = layers;
    this.capacity = capacity;
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.keysBatched = new NDArray[layers];
    this.valuesBatched = new NDArray[layers];
    this.leftPadding = leftPadding.clone();
    setPadding();
  }

  /** Moves one layer's kept keys (B', nkv, hs, Tmax) and values (B', nkv, Tmax, hs) into this cache. */
  private void install(int layer, NDArray layerKeys, NDArray layerValues) {
    layerKeys.attach(manager);
    layerValues.attach(manager);
    Shape keyShape = layerKeys.getShape();
    long bn = keyShape.get(0) * keyShape.get(1);
    keys[layer] = layerKeys; // (B', nkv, hs, Tmax)
    values[layer] = layerValues; // (B', nkv, Tmax, hs)
    keysBatched[layer] = layerKeys.reshape(bn, keyShape.get(2), capacity); // (B' nkv, hs, Tmax)
    valuesBatched[layer] = layerValues.reshape(bn, capacity, keyShape.get(2)); // (B' nkv, Tmax, hs)
    NDScope.unregister(keys[layer], values[layer], keysBatched[layer], valuesBatched[layer]);
  }

  /**
   * Empties the cache for a new batch of the same size, keeping its memory.
   *
   * @param newLeftPadding padding slots at the start of each row of the new batch
   */
  public void reset(int[] newLeftPadding) {
    if (newLeftPadding.length != keys[0].getShape().get(0)) {
      throw new IllegalArgumentException(
          "cache holds " + keys[0].getShape().get(0) + " rows, got " + newLeftPadding.length);
    }
    for (int p : newLeftPadding) {
      if (p < 0 || p >= capacity) {
        throw new IllegalArgumentException(
            "left padding " + p + " must be in 0.." + (capacity - 1) + " for capacity " + capacity);
      }
    }
    if (padding != null) {
      padding.close();
      paddingBias.close();
      padding = null;
      paddingBias = null;
    }
    leftPadding = newLeftPadding.clone();
    setPadding();
    length = 0;
  }

  /** Builds the padding arrays of {@link #leftPadding} (none when no row is padded). */
  private void setPadding() {
    if (Arrays.stream(leftPadding).anyMatch(p -> p > 0)) {
      long[] asLongs = Arrays.stream(leftPadding).asLongStream().toArray();
      padding = manager.create(asLongs, new Shape(leftPadding.length, 1)); // (B, 1)
      float[] bias = new float[leftPadding.length * capacity];
      for (int r = 0; r < leftPadding.length; r++) {
        Arrays.fill(bias, r * capacity, r * capacity + leftPadding[r], Transformer.MASKED);
      }
      paddingBias =
          manager.create(bias, new Shape(leftPadding.length, 1, 1, 1, capacity)); // (B,1,1,1,Tmax)
      NDScope.unregister(padding, paddingBias);
    }
  }

  /** B, the number of rows. */
  public int batchSize() {
    return leftPadding.length;
  }

  /** Tmax, the most slots a row can hold. */
  public int capacity() {
    return capacity;
  }

  /** Slots filled so far (padding included), the same for every row. */
  public int length() {
    return length;
  }

  /** A copy of the padding slots at the start of each row. */
  public int[] leftPadding() {
    return leftPadding.clone();
  }

  /** Layer {@code layer}'s keys, transposed: (B, nkv, hs, Tmax). */
  NDArray keysTransposed(int layer) {
    return keys[layer];
  }

  /** Layer {@code layer}'s values, (B, nkv, Tmax, hs). */
  NDArray values(int layer) {
    return values[layer];
  }

  /** Layer {@code layer}'s transposed keys of slots [0, {@code keys}): (B nkv, hs, Tkv), a view. */
  NDArray keysPrefix(int layer, int keys) {
    return keysBatched[layer].get(new NDIndex("..., :{}", keys)); // one slice, not three
  }

  /** Layer {@code layer}'s values of slots [0, {@code keys}): (B nkv, Tkv, hs), a view. */
  NDArray valuesPrefix(int layer, int keys) {
    return valuesBatched[layer].get(new NDIndex(":, :{}", keys));
  }

  /** The padding slots of each row, this cache's own array (not to be changed), or null when no row is padded. */
  int[] paddingSlots() {
    return padding == null ? null : leftPadding;
  }

  /** The padding as an array, (B, 1) int64, or null when no row is padded. */
  NDArray padding() {
    return padding;
  }

  /**
   * The additive attention mask of a decode step, whose one query per row sees every filled slot
   * but the row's padding: 0 for real slots and {@link Transformer#MASKED} for padding, (B, 1, 1,
   * 1, Tkv) over slots [0, {@code keys}). Built once per batch by {@link #reset}, so that a decode
   * step slices it instead of building a mask. Null when no row is padded.
   */
  NDArray paddingBias(int keys) {
    return paddingBias == null ? null : paddingBias.get(new NDIndex("..., :{}", keys));
  }

  /** Fails unless {@code count} more slots fit. */
  void checkRoom(long count) {
    if (length + count > capacity) {
      throw new IllegalStateException(
          "KV cache full: " + length + " + " + count + " slots exceed capacity " + capacity);
    }
  }

  /** Marks {@code count} more slots as filled, after every layer has written them. */
  void advance(int count) {
    length += count;
  }

  /**
   * This cache's keys and values as the scripted step's arguments: made on the first call, closed
   * with the cache. They refer to the arrays, which stay the same for the cache's life ({@link
   * #reset} and {@link #copyPrefix} write into them).
   */
  ScriptedDecode.CacheArguments scriptArguments() {
    if (scriptArguments == null) {
      scriptArguments = new ScriptedDecode.CacheArguments(keys, values);
    }
    return scriptArguments;
  }

  @Override
  public void close() {
    if (scriptArguments != null) {
      scriptArguments.close();
    }
    manager.close();
  }
}
