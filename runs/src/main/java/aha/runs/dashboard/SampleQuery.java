package aha.runs.dashboard;

import java.util.function.Function;

/**
 * A page of the sample browser: which problem records of {@code samples.jsonl} to show, newest
 * step first.
 *
 * @param correct keep only completions that were right (true) or wrong (false); null keeps all. A
 *     record with no completion left is left out.
 * @param marker keep only completions with this reflection marker ("wait"); null keeps all
 * @param transition keep only completions whose answer changed so ({@code wrong_to_right}, {@code
 *     right_to_wrong}, {@code wrong_to_wrong}, {@code none}); null keeps all
 * @param problem keep only this problem id; null keeps all
 * @param family keep only problems of this family; null keeps all
 * @param step keep only this step; null keeps all
 * @param offset records to skip (after filtering)
 * @param limit most records to return
 */
record SampleQuery(
    Boolean correct, String marker, String transition, String problem, String family, Long step, int offset,
    int limit) {

  /** The transitions a completion can record (docs/run-format.md). */
  static final java.util.List<String> TRANSITIONS = java.util.List.of("none", "wrong_to_right", "right_to_wrong", "wrong_to_wrong");

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 200;

  SampleQuery {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0, got " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    if (transition != null && !TRANSITIONS.contains(transition)) {
      throw new IllegalArgumentException(
          "transition must be one of " + String.join(", ", TRANSITIONS) + ", got '" + transition + "'");
    }
  }

  /** Whether a completion passes the completion filters (correct, marker, transition). */
  boolean keeps(com.fasterxml.jackson.databind.JsonNode completion) {
    if (correct != null && correct != completion.path("correct").asBoolean(false)) {
      return false;
    }
    if (transition != null && !transition.equals(completion.path("transition").asText("none"))) {
      return false;
    }
    if (marker != null) {
      for (com.fasterxml.jackson.databind.JsonNode hit : completion.path("markers")) {
        if (marker.equalsIgnoreCase(hit.path("marker").asText())) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  /** Whether any completion filter is set: then a record with no completion left is left out. */
  boolean filtersCompletions() {
    return correct != null || marker != null || transition != null;
  }

  /** Every record, first page. */
  static SampleQuery all() {
    return new SampleQuery(null, null, null, null, null, null, 0, DEFAULT_LIMIT);
  }

  /**
   * Reads {@code correct}, {@code marker}, {@code transition}, {@code problem}, {@code family},
   * {@code step}, {@code offset} and {@code limit} from query parameters; absent or empty ones take
   * their defaults.
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
        blankToNull(param.apply("marker")),
        blankToNull(param.apply("transition")),
        blankToNull(param.apply("problem")),
        blankToNull(param.apply("family")),
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
