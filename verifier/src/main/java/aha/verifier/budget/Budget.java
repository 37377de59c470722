package aha.verifier.budget;

/**
 * The work budget and caps of one verdict. Every loop in parsing and evaluation calls {@link
 * #check()}, one step each; a verdict that takes more than {@link Limits#maxWork()} steps stops
 * with "work budget exceeded", on an idle machine or a loaded one alike, so the same (gold,
 * response) always gets the same verdict. A wall-clock guard remains only as a last resort against
 * a loop that does not count its steps (a bug); it has its own reason, "wall-clock guard", and
 * {@code aha bench verify} counts how often it fired.
 */
public final class Budget {
  /** The reason of a verdict stopped by the wall-clock guard. */
  public static final String WALL_CLOCK_GUARD = "wall-clock guard";

  private final long guardNanos;
  private final Limits limits;
  private long work;
  private boolean wallClockFired;

  private Budget(long guardNanos, Limits limits) {
    this.guardNanos = guardNanos;
    this.limits = limits;
  }

  /** A budget whose wall-clock guard fires {@code nanos} from now. */
  public static Budget startingNow(long nanos, Limits limits) {
    return new Budget(System.nanoTime() + nanos, limits);
  }

  /**
   * A budget with no step limit and no guard, for tools that parse gold answers outside a verdict
   * (their input is bounded by the other caps).
   */
  public static Budget unlimitedTime(Limits limits) {
    Limits unlimited =
        new Limits(limits.maxInputChars(), limits.maxDigits(), limits.maxExponent(), limits.maxFactorial(),
            limits.maxNesting(), Long.MAX_VALUE);
    return new Budget(Long.MAX_VALUE, unlimited);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Counts one step of work. Reads the clock only every 64th step: {@code nanoTime} costs about
   * 20 ns, a step in a tight loop should cost less.
   *
   * @throws BudgetExceededException when the steps exceed the work budget, or the guard fired
   */
  public void check() {
    if (++work > limits.maxWork()) {
      throw new BudgetExceededException("work budget exceeded (" + limits.maxWork() + " steps)");
    }
    if ((work & 63) == 0 && System.nanoTime() - guardNanos > 0) {
      wallClockFired = true;
      throw new BudgetExceededException(WALL_CLOCK_GUARD);
    }
  }

  /**
   * Throws when a value exceeds a cap.
   *
   * @param what the cap's name for the reason, e.g. "digits"
   * @throws BudgetExceededException when {@code value > cap}
   */
  public void require(String what, long value, long cap) {
    if (value > cap) {
      throw new BudgetExceededException(what + " " + value + " exceeds the cap of " + cap);
    }
  }

  /**
   * True when the verdict as a whole must stop: the work budget is spent or the guard fired. A
   * cap exceeded by one candidate or one evaluation point is not that.
   */
  public boolean expired() {
    return work > limits.maxWork() || wallClockFired;
  }

  /** Steps counted so far. */
  public long work() {
    return work;
  }
}
