package aha.verifier.budget;

/** A verdict ran past its deadline or a cap; the answer is judged wrong with this message. */
public final class BudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BudgetExceededException(String message) {
    super(message, null, false, false);
  }
}
