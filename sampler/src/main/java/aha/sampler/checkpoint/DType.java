package aha.sampler.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Element types of safetensors files, with the conversions aha needs. Half-precision values become
 * F32 here in Java, before they reach DJL: DJL's PyTorch engine aborts the JVM on BF16 arrays on
 * the CPU.
 */
public enum DType {
  F64(8, true, "float64"),
  F32(4, true, "float32"),
  F16(2, true, "float16"),
  BF16(2, true, "bfloat16"),
  I64(8, false, null),
  I32(4, false, null),
  I16(2, false, null),
  I8(1, false, null),
  U8(1, false, null),
  BOOL(1, false, null);

  private final int bytes;
  private final boolean floating;
  private final String torchName;

  DType(int bytes, boolean floating, String torchName) {
    this.bytes = bytes;
    this.floating = floating;
    this.torchName = torchName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether this is a floating-point type (one that model weights may have). */
  public boolean isFloating() {
    return floating;
  }

  /** The name HF's config.json uses for it in {@code torch_dtype} (floating types only). */
  public String torchName() {
    return torchName;
  }

  /** The type named {@code name} in a safetensors header, or null if aha does not know it. */
  public static DType parse(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Decodes {@code count} floating values from little-endian {@code data} to F32. */
  float[] toFloats(ByteBuffer data, int count) {
    ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    switch (this) {
      case F32 -> in.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) in.getDouble(i * 8);
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = halfToFloat(in.getShort(i * 2));
        }
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((in.getShort(i * 2) & 0xffff) << 16);
        }
      }
      default -> throw new IllegalStateException(this + " is not a floating type");
    }
    return out;
  }

  /** Decodes {@code count} integer values from little-endian {@code data}. */
  long[] toLongs(ByteBuffer data, int count) {
    ByteBuffer in = data.order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] =
          switch (this) {
            case I64 -> in.getLong(i * 8);
            case I32 -> in.getInt(i * 4);
            case I16 -> in.getShort(i * 2);
            case I8 -> in.get(i);
            case U8, BOOL -> in.get(i) & 0xff;
            default -> throw new IllegalStateException(this + " is not an integer type");
          };
    }
    return out;
  }

  /** Encodes F32 values as this floating type, little-endian, rounding to nearest even. */
  ByteBuffer fromFloats(float[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
    switch (this) {
      case F32 -> out.asFloatBuffer().put(values);
      case F64 -> {
        for (int i = 0; i < values.length; i++) {
          out.putDouble(i * 8, values[i]);
        }
      }
      case F16 -> {
        for (int i = 0; i < values.length; i++) {
          out.putShort(i * 2, floatToHalf(values[i]));
        }
      }
      case BF16 -> {
        for (int i = 0; i < values.length; i++) {
          out.putShort(i * 2, floatToBfloat16(values[i]));
        }
      }
      default -> throw new IllegalStateException(this + " is not a floating type");
    }
    return out;
  }

  /** Encodes integers as I64, little-endian. */
  static ByteBuffer fromLongs(long[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    out.asLongBuffer().put(values);
    return out;
  }

  /** IEEE half to float; exact. */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f; // zero or subnormal
      return sign != 0 ? -value : value;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // inf or NaN
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Float to IEEE half, rounding to nearest even; overflow gives infinity. */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 31) {
      return (short) (sign | 0x7c00);
    }
    int half;
    int remainder;
    int halfway;
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      // subnormal half: shift the full significand (implicit 1 included) right
      int significand = mantissa | 0x800000;
      int shift = 14 - e;
      half = significand >> shift;
      remainder = significand & ((1 << shift) - 1);
      halfway = 1 << (shift - 1);
    } else {
      half = (e << 10) | (mantissa >> 13);
      remainder = mantissa & 0x1fff;
      halfway = 0x1000;
    }
    if (remainder > halfway || (remainder == halfway && (half & 1) != 0)) {
      half++; // a carry into the exponent is the correct rounding, up to infinity
    }
    return (short) (sign | half);
  }

  /** Float to bfloat16, rounding to nearest even; NaN stays NaN. */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
