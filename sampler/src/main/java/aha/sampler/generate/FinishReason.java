package aha.sampler.generate;

import java.util.Locale;

/** Why a completion ended. */
public enum FinishReason {
  /** It produced a stop token (end of turn or end of text); that token is its last. */
  STOP,
  /** It reached the limit of new tokens without a stop token: truncated. */
  LENGTH;

  /** The name in JSON and on the command line: {@code stop} or {@code length}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
