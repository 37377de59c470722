package aha.verifier.math;

/**
 * An answer text that is not in the accepted LaTeX subset. Thrown as control flow on every
 * unparseable answer, so it records no stack trace.
 */
final class AnswerParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AnswerParseException(String message) {
    super(message, null, false, false);
  }
}
