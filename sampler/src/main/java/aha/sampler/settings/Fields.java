package aha.sampler.settings;

/** The checks settings records make most, each failing with the field's name. */
public final class Fields {

  private Fields() {}

  /** {@code value >= least}. */
  public static void atLeast(String field, long value, long least) {
    if (value < least) {
      throw new InvalidFieldException(field, "must be >= " + least + ", got " + value);
    }
  }

  /** A finite {@code value > 0}. */
  public static void positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidFieldException(field, "must be positive, got " + value);
    }
  }

  /** A finite {@code value >= 0}. */
  public static void nonNegative(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidFieldException(field, "must be >= 0, got " + value);
    }
  }

  /** {@code low <= value <= high}. */
  public static void between(String field, double value, double low, double high) {
    if (!(value >= low && value <= high)) {
      throw new InvalidFieldException(field, "must be in [" + low + ", " + high + "], got " + value);
    }
  }

  /** {@code 0 <= value < 1}: a decay rate, a clipping margin. */
  public static void belowOne(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new InvalidFieldException(field, "must be in [0, 1), got " + value);
    }
  }

  /** A value that is there. */
  public static <T> T present(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, "missing");
    }
    return value;
  }
}
