package aha.runs.cli;

/**
 * Bad input from the user (a file, a flag, a value): printed as one line and exit code 2, without a
 * stack trace.
 */
public final class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
