package aha.runs.config;

/**
 * A config that cannot be used: a syntax error (file, line, column), an unknown key (with the
 * closest known one), or a bad value (the dotted key and what was expected). An
 * IllegalArgumentException, so the command line reports it as bad input: one line, exit code 2.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The dotted key that is wrong ({@code grpo.rollout.group_size}), or null when the error has none. */
  public String key() {
    return key;
  }
}
