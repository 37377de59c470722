package aha.verifier;

/**
 * Caps that keep hostile answers cheap. Anything past a cap is judged wrong with a reason that names
 * the cap, never evaluated.
 *
 * @param maxInputChars longest extracted answer text considered
 * @param maxDigits most digits in one number literal, and in any exact intermediate result
 * @param maxExponent largest integer exponent evaluated exactly (|n| in a^n)
 * @param maxFactorial largest n for which n! is evaluated
 * @param maxNesting deepest nesting of brackets, braces and operators
 */
public record Limits(
    int maxInputChars, int maxDigits, int maxExponent, int maxFactorial, int maxNesting) {

  /** Defaults generous for any real answer and small enough to evaluate in microseconds. */
  public static Limits defaults() {
    return new Limits(4_000, 400, 1_000, 200, 64);
  }
}
