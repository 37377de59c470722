package aha.verifier.budget;

/**
 * Caps that keep hostile answers cheap. Anything past a cap is judged wrong with a reason that names
 * the cap, never evaluated.
 *
 * @param maxInputChars longest extracted answer text considered
 * @param maxDigits most digits in one number literal, and in any exact intermediate result
 * @param maxExponent largest integer exponent evaluated exactly (|n| in a^n)
 * @param maxFactorial largest n for which n! is evaluated
 * @param maxNesting deepest nesting of brackets, braces and operators
 * @param maxWork most steps ({@link Budget#check()} calls) of parsing and evaluation in one
 *     verdict: the deterministic budget that replaced a wall-clock deadline
 */
public record Limits(
    int maxInputChars, int maxDigits, int maxExponent, int maxFactorial, int maxNesting, long maxWork) {

  /**
   * The default work budget. A step costs about a microsecond once the JIT has compiled the
   * verifier, so this is some 20 ms of verdict; the heaviest legitimate cases measured, equivalent
   * exponential forms judged at 12 random points ({@code 2^{x}\cdot 2^{y+1}} against {@code
   * 2^{x+y+1}}, {@code e^{x}e^{y}} against {@code e^{x+y}}), take about 2,200 steps.
   */
  public static final long DEFAULT_MAX_WORK = 20_000;

  /** Defaults generous for any real answer and small enough to evaluate in microseconds. */
  public static Limits defaults() {
    return new Limits(4_000, 400, 1_000, 200, 64, DEFAULT_MAX_WORK);
  }
}
