package aha.verifier;

/**
 * The deadline and caps of one verdict. Every loop in parsing and evaluation calls {@link #check()},
 * so a verdict stops within a few microseconds of its deadline instead of relying on thread
 * interruption (far too slow at tens of thousands of verdicts per second).
 */
public final class Budget {
  private final long deadlineNanos;
  private final Limits limits;
  private int checks;

  private Budget(long deadlineNanos, Limits limits) {
    this.deadlineNanos = deadlineNanos;
    this.limits = limits;
  }

  /** A budget that expires {@code nanos} from now. */
  public static Budget startingNow(long nanos, Limits limits) {
    return new Budget(System.nanoTime() + nanos, limits);
  }

  /** A budget with no practical deadline, for tools that parse gold answers outside a verdict. */
  public static Budget unlimitedTime(Limits limits) {
    return new Budget(Long.MAX_VALUE, limits);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Throws when the deadline has passed. Reads the clock only every 64th call: {@code nanoTime} costs
   * about 20 ns, a check in a tight loop should cost less.
   *
   * @throws BudgetExceededException when the deadline has passed
   */
  public void check() {
    if ((++checks & 63) == 0 && System.nanoTime() - deadlineNanos > 0) {
      throw new BudgetExceededException("deadline exceeded");
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

  /** True when the deadline has passed (reads the clock). */
  public boolean expired() {
    return System.nanoTime() - deadlineNanos > 0;
  }
}
