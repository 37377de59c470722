package aha.sampler.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {

  @TempDir Path dir;

  /** A file laid out by hand, byte by byte, as the format describes it. */
  @Test
  void readsAFileWrittenByHand() throws IOException {
    String header =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[8,12]},"
            + "\"c\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[12,16]},"
            + "\"d\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]}}";
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(1.5f).putFloat(-2f);
    data.putShort((short) 0x3fc0).putShort((short) 0xc100); // bf16 1.5, -8
    data.putShort((short) 0x3c00).putShort((short) 0x0001); // f16 1, smallest subnormal
    data.putLong(-42);
    Path file = dir.resolve("hand.safetensors");
    Files.write(file, concat(header, data.array()));

    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("a", "b", "c", "d"), List.copyOf(st.names()));
      assertEquals(Map.of("format", "pt"), st.metadata());
      assertArrayEquals(new float[] {1.5f, -2f}, st.readFloats("a"));
      assertArrayEquals(new float[] {1.5f, -8f}, st.readFloats("b"));
      assertArrayEquals(new long[] {1, 2}, st.info("b").shape());
      assertArrayEquals(new float[] {1f, 0x1p-24f}, st.readFloats("c"));
      assertArrayEquals(new long[] {-42}, st.readLongs("d"));
    }
  }

  @Test
  void writesWhatItReadsInEveryFloatType() throws IOException {
    float[] values = {0f, -0f, 1f, -1.5f, 3.140625f, 1024f, 0.25f, -65504f};
    Path file = dir.resolve("all.safetensors");
    SafeTensors.write(
        file,
        List.of(
            SafeTensors.Tensor.floats("f32", DType.F32, new long[] {2, 4}, () -> values),
            SafeTensors.Tensor.floats("f16", DType.F16, new long[] {8}, () -> values),
            SafeTensors.Tensor.floats("bf16", DType.BF16, new long[] {8}, () -> values),
            SafeTensors.Tensor.floats("f64", DType.F64, new long[] {8}, () -> values),
            SafeTensors.Tensor.longs("ids", new long[] {3}, new long[] {1, -2, Long.MAX_VALUE})),
        Map.of("format", "pt"));
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + headerLength) % 8, "data section is 8-byte aligned");
    try (SafeTensors st = SafeTensors.open(file)) {
      assertArrayEquals(values, st.readFloats("f32"));
      assertArrayEquals(values, st.readFloats("f16")); // all exactly representable
      assertArrayEquals(values, st.readFloats("f64"));
      assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, st.readLongs("ids"));
      assertEquals(DType.BF16, st.info("bf16").dtype());
      float[] bf16 = st.readFloats("bf16");
      assertEquals(3.140625f, bf16[4]);
      assertEquals(-65536f, bf16[7], "bf16 rounds -65504 to nearest even");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "1.0, 0x3c00",
    "65504, 0x7bff",
    "0.1, 0x2e66",
    "5.9604645E-8, 0x0001",
    "1.0E-9, 0x0000",
    "100000, 0x7c00",
    "-2.0, 0xc000",
    "1.00048828125, 0x3c00",
    "1.00146484375, 0x3c02",
  })
  void halfPrecisionRoundsToNearestEven(float value, String bits) {
    short expected = (short) Integer.parseInt(bits.substring(2), 16);
    assertEquals(expected, DType.floatToHalf(value), () -> value + " -> " + bits);
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    assertEquals((short) 0x3f80, DType.floatToBfloat16(1f));
    assertEquals(
        (short) 0x3f80, DType.floatToBfloat16(Float.intBitsToFloat(0x3f808000))); // tie, even
    assertEquals(
        (short) 0x3f82, DType.floatToBfloat16(Float.intBitsToFloat(0x3f818000))); // tie, up
    assertEquals((short) 0x3f81, DType.floatToBfloat16(Float.intBitsToFloat(0x3f808001)));
    assertTrue(Float.isNaN(Float.intBitsToFloat(DType.floatToBfloat16(Float.NaN) << 16)));
  }

  @Test
  void aTruncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
    Path file = dir.resolve("cut.safetensors");
    SafeTensors.write(
        file,
        List.of(
            SafeTensors.Tensor.floats("first", DType.F32, new long[] {4}, () -> new float[4]),
            SafeTensors.Tensor.floats("second", DType.F32, new long[] {4}, () -> new float[4])),
        Map.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("tensor second"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Files.write(file, java.util.Arrays.copyOf(bytes, 20));
    e = assertThrows(CheckpointException.class, () -> SafeTensors.open(file));
    assertTrue(e.getMessage().contains("header length"), e.getMessage());
  }

  @Test
  void anUnknownDtypeNamesTheTensorAndTheDtype() throws IOException {
    String header = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}";
    Path file = dir.resolve("fp8.safetensors");
    Files.write(file, concat(header, new byte[2]));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(file));
    assertTrue(e.getMessage().contains("tensor w"), e.getMessage());
    assertTrue(e.getMessage().contains("F8_E4M3"), e.getMessage());
    assertTrue(e.getMessage().contains("fp8.safetensors"), e.getMessage());
  }

  @Test
  void offsetsThatDisagreeWithTheShapeAreRefused() throws IOException {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, concat(header, new byte[8]));
    CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.open(file));
    assertTrue(
        e.getMessage().contains("tensor w: data_offsets [0, 8] span 8 bytes"), e.getMessage());
  }

  private static byte[] concat(String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
    out.writeBytes(length.array());
    out.writeBytes(json);
    out.writeBytes(data);
    return out.toByteArray();
  }
}
