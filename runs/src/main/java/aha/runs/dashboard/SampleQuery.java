package aha.runs.dashboard;

import java.util.function.Function;

/**
 * A page of the sample browser: which problem records of {@code samples.jsonl} to show, newest
 * step first.
 *
 * @param correct keep only completions that were right (true) or wrong (false); null keeps all. A
 *     record with no completion left is left out.
 * @param problem keep only this problem id; null keeps all
 * @param step keep only this step; null keeps all
 * @param offset records to skip (after filtering)
 * @param limit most records to return
 */
record SampleQuery(Boolean correct, String problem, Long step, int offset, int limit) {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 200;

  SampleQuery {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0, got " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Every record, first page. */
  static SampleQuery all() {
    return new SampleQuery(null, null, null, 0, DEFAULT_LIMIT);
  }

  /**
   * Reads {@code correct}, {@code problem}, {@code step}, {@code offset} and {@code limit} from
   * query parameters; absent or empty ones take their defaults.
   *
   * @throws IllegalArgumentException naming the parameter that is not valid
   */
  static SampleQuery parse(Function<String, String> param) {
    String correct = blankToNull(param.apply("correct"));
    Boolean right = null;
    if (correct != null) {
      right =
          switch (correct) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException(
                    "correct must be true or false, got '" + correct + "'");
          };
    }
    String step = blankToNull(param.apply("step"));
    String offset = blankToNull(param.apply("offset"));
    String limit = blankToNull(param.apply("limit"));
    return new SampleQuery(
        right,
        blankToNull(param.apply("problem")),
        step == null ? null : number("step", step),
        offset == null ? 0 : Math.toIntExact(Math.min(number("offset", offset), Integer.MAX_VALUE)),
        limit == null ? DEFAULT_LIMIT : (int) Math.min(number("limit", limit), Integer.MAX_VALUE));
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
