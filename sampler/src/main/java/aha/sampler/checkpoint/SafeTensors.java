package aha.sampler.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}} with an
 * optional {@code "__metadata__"} map of strings), then the raw little-endian data, offsets counted
 * from the end of the header.
 *
 * <p>Opening reads and checks only the header; each tensor is read from the file when asked for, so
 * a large checkpoint is never held twice in memory.
 */
public final class SafeTensors implements AutoCloseable {

  /** Where one tensor lies: byte offsets relative to the start of the data section. */
  public record Info(String name, DType dtype, long[] shape, long begin, long end) {

    /** Number of elements. */
    public long size() {
      return elements(shape);
    }

    /** The shape as text, e.g. {@code [2, 3]}. */
    public String shapeText() {
      return Arrays.toString(shape);
    }
  }

  /** A tensor to write: its bytes are produced only when the writer reaches it. */
  public record Tensor(String name, DType dtype, long[] shape, Supplier<ByteBuffer> data) {

    /** Float values stored as {@code dtype} (F32, F64, F16 or BF16), rounding to nearest even. */
    public static Tensor floats(String name, DType dtype, long[] shape, Supplier<float[]> values) {
      if (!dtype.isFloating()) {
        throw new IllegalArgumentException(
            "tensor " + name + ": " + dtype + " is not a float type");
      }
      return new Tensor(name, dtype, shape, () -> dtype.fromFloats(values.get()));
    }

    /** Integers stored as I64. */
    public static Tensor longs(String name, long[] shape, long[] values) {
      return new Tensor(name, DType.I64, shape, () -> DType.fromLongs(values));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L << 20;
  private static final String METADATA = "__metadata__";

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Info> tensors;
  private final Map<String, String> metadata;

  private SafeTensors(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, Info> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens {@code file} and checks its header: every tensor's dtype is known and its byte range
   * matches its shape and lies inside the file.
   *
   * @throws CheckpointException naming the file and the tensor when the header is bad or the file
   *     is truncated
   */
  public static SafeTensors open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new CheckpointException(file, "truncated: " + fileSize + " bytes, no header length");
      }
      ByteBuffer lengthBytes = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
        throw new CheckpointException(
            file,
            "header length "
                + headerLength
                + " does not fit a file of "
                + fileSize
                + " bytes (truncated, or not a safetensors file)");
      }
      ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, file);
      String headerText =
          new String(headerBytes.array(), 0, (int) headerLength, StandardCharsets.UTF_8);
      JsonNode header;
      try {
        header = JSON.readTree(headerText);
      } catch (JsonProcessingException e) {
        throw new CheckpointException(file, "header is not JSON: " + e.getOriginalMessage(), e);
      }
      if (header == null || !header.isObject()) {
        throw new CheckpointException(file, "header is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      long dataSize = fileSize - dataStart;
      Map<String, Info> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : header.properties()) {
        if (field.getKey().equals(METADATA)) {
          field
              .getValue()
              .properties()
              .forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        Info info = parseInfo(file, field.getKey(), field.getValue());
        if (info.end() > dataSize) {
          throw new CheckpointException(
              file,
              "tensor "
                  + info.name()
                  + ": data ends at byte "
                  + info.end()
                  + " of the data section but the file holds only "
                  + dataSize
                  + " (truncated?)");
        }
        tensors.put(info.name(), info);
      }
      return new SafeTensors(
          file,
          channel,
          dataStart,
          Collections.unmodifiableMap(tensors),
          Collections.unmodifiableMap(metadata));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Info parseInfo(Path file, String name, JsonNode node) throws CheckpointException {
    String where = "tensor " + name + ": ";
    if (!node.isObject()) {
      throw new CheckpointException(file, where + "header entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new CheckpointException(file, where + "field \"dtype\" missing or not a string");
    }
    DType dtype = DType.parse(dtypeNode.asText());
    if (dtype == null) {
      throw new CheckpointException(
          file,
          where
              + "unknown dtype \""
              + dtypeNode.asText()
              + "\"; known: "
              + Arrays.toString(DType.values()));
    }
    long[] shape = longArray(file, where + "field \"shape\"", node.get("shape"), -1);
    long[] offsets = longArray(file, where + "field \"data_offsets\"", node.get("data_offsets"), 2);
    long expected;
    try {
      expected = Math.multiplyExact(elements(shape), dtype.bytes());
    } catch (ArithmeticException e) {
      throw new CheckpointException(
          file, where + "shape " + Arrays.toString(shape) + " is too large");
    }
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != expected) {
      throw new CheckpointException(
          file,
          where
              + "data_offsets "
              + Arrays.toString(offsets)
              + " span "
              + (offsets[1] - offsets[0])
              + " bytes but "
              + dtype
              + " "
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
    return new Info(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longArray(Path file, String what, JsonNode node, int length)
      throws CheckpointException {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new CheckpointException(
          file, what + " missing or not an array" + (length >= 0 ? " of " + length : ""));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = node.get(i);
      if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
        throw new CheckpointException(file, what + " holds " + n + ", not a non-negative integer");
      }
      out[i] = n.asLong();
    }
    return out;
  }

  /** The file this was opened from. */
  public Path path() {
    return path;
  }

  /** Tensor names in header order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** The header entry of {@code name}, or null when the file has no such tensor. */
  public Info info(String name) {
    return tensors.get(name);
  }

  /** The {@code __metadata__} strings of the header (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Tensor {@code name} as F32 values, converted from F64, F16 or BF16 when stored so. */
  public float[] readFloats(String name) throws IOException {
    Info info = require(name);
    if (!info.dtype().isFloating()) {
      throw new CheckpointException(
          path, "tensor " + name + ": dtype " + info.dtype() + " is not a float type");
    }
    return info.dtype().toFloats(readBytes(info), count(info));
  }

  /** Tensor {@code name} as longs; it must have an integer or bool dtype. */
  public long[] readLongs(String name) throws IOException {
    Info info = require(name);
    if (info.dtype().isFloating()) {
      throw new CheckpointException(
          path, "tensor " + name + ": dtype " + info.dtype() + " is not an integer type");
    }
    return info.dtype().toLongs(readBytes(info), count(info));
  }

  private Info require(String name) throws CheckpointException {
    Info info = tensors.get(name);
    if (info == null) {
      throw new CheckpointException(path, "no tensor named " + name);
    }
    return info;
  }

  private int count(Info info) throws CheckpointException {
    if (info.end() - info.begin() > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(
          path, "tensor " + info.name() + ": over 2 GiB, too large to read");
    }
    return Math.toIntExact(info.size());
  }

  private ByteBuffer readBytes(Info info) throws IOException {
    return readFully(channel, dataStart + info.begin(), (int) (info.end() - info.begin()), path);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new CheckpointException(
            file, "truncated: wanted " + length + " bytes at offset " + position);
      }
    }
    buffer.flip();
    return buffer;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Writes {@code tensors}, in order, to {@code file}: to a temporary file beside it first, then
   * renamed over it, so a reader never sees half a file.
   *
   * @return the number of data bytes written (the sum of the tensors' sizes)
   */
  public static long write(Path file, List<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ByteBuffer head = header(tensors, metadata);
    atomically(
        file,
        out -> {
          writeFully(out, head);
          for (Tensor t : tensors) {
            writeFully(out, checkedData(t));
          }
        });
    return dataBytes(tensors);
  }

  /**
   * The bytes {@link #write} would put in a file, in memory: what a trainer serves its sampler
   * nodes for each policy version, without a round trip through the disk.
   */
  public static byte[] encode(List<Tensor> tensors, Map<String, String> metadata) {
    ByteBuffer head = header(tensors, metadata);
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(head.remaining() + dataBytes(tensors)));
    out.put(head);
    for (Tensor t : tensors) {
      out.put(checkedData(t));
    }
    return out.array();
  }

  /** The length prefix and JSON header of a file holding {@code tensors} in order. */
  private static ByteBuffer header(List<Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : tensors) {
      long bytes = Math.multiplyExact(elements(t.shape()), t.dtype().bytes());
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", t.dtype().name());
      ArrayNode shape = entry.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a header of names and numbers always serializes", e);
    }
    // pad with spaces so that the data section starts 8-byte aligned, as HF's writer does
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    return head;
  }

  private static long dataBytes(List<Tensor> tensors) {
    long total = 0;
    for (Tensor t : tensors) {
      total += Math.multiplyExact(elements(t.shape()), t.dtype().bytes());
    }
    return total;
  }

  /** A tensor's data, refused when its length does not match its shape and type. */
  private static ByteBuffer checkedData(Tensor t) {
    ByteBuffer data = t.data().get();
    long expected = elements(t.shape()) * t.dtype().bytes();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          "tensor "
              + t.name()
              + ": "
              + data.remaining()
              + " bytes for shape "
              + Arrays.toString(t.shape())
              + " "
              + t.dtype()
              + ", which needs "
              + expected);
    }
    return data;
  }

  /** Writes UTF-8 {@code text} to {@code file} atomically, as {@link #write} does. */
  static void writeText(Path file, String text) throws IOException {
    atomically(
        file, out -> writeFully(out, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
  }

  private interface ChannelWriter {
    void writeTo(FileChannel out) throws IOException;
  }

  /**
   * Writes to a temporary file beside {@code file}, syncs it, then renames it over {@code file}.
   */
  private static void atomically(Path file, ChannelWriter writer) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path temp =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        writer.writeTo(out);
        out.force(true);
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      out.write(data);
    }
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
