package aha.verifier.math;

/**
 * A value that does not exist: division by zero, an even root of a negative number, 0 to a negative
 * power. Thrown as control flow (also at single sample points), so it records no stack trace.
 */
final class UndefinedValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UndefinedValueException(String message) {
    super(message, null, false, false);
  }
}
