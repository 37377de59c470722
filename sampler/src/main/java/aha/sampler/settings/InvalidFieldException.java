package aha.sampler.settings;

/**
 * A settings record refused a value, and says which field: the config loader puts the record's
 * own path in front ({@code grpo} + {@code rollout.group_size}) and reports the whole key without
 * reading the message.
 */
public final class InvalidFieldException extends IllegalArgumentException {

  private final String field;
  private final String problem;

  /**
   * @param field the field's snake_case name as config files spell it, dotted when it sits in a
   *     nested record ({@code rollout.group_size})
   * @param problem what is wrong with its value ({@code must be >= 2, got 1})
   */
  public InvalidFieldException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The field, as config files spell it. */
  public String field() {
    return field;
  }

  /** What is wrong, without the field's name. */
  public String problem() {
    return problem;
  }

  /** The same problem, found while building the record at {@code prefix} inside another. */
  public InvalidFieldException under(String prefix) {
    InvalidFieldException nested = new InvalidFieldException(prefix + "." + field, problem);
    nested.initCause(this);
    return nested;
  }
}
