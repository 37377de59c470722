package aha.grpo.reflection;

import java.util.Locale;

/**
 * What a reflection did to the answer: a candidate answer stated before a reflection marker, then
 * a different final answer, each judged against the gold.
 */
public enum Transition {
  /** No candidate before a marker that differs from the final answer. */
  NONE,
  /** The aha moment: a wrong candidate, then a correct final answer. */
  WRONG_TO_RIGHT,
  /** A correct candidate talked out of: the final answer is wrong. */
  RIGHT_TO_WRONG,
  /** A wrong candidate replaced by another wrong answer. */
  WRONG_TO_WRONG;

  /** The metric-name form: {@code wrong_to_right}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
