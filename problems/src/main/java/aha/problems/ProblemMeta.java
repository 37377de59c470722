package aha.problems;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a problem came from.
 *
 * @param family generator family ("addition", "countdown", ...) or the import format ("gsm8k")
 * @param difficulty 1 (easiest) to 5; 0 when unknown (imported problems without a level)
 * @param seed the seed that generated this very problem; 0 for imported problems
 * @param source "generated", or the file an imported problem was read from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemMeta(String family, int difficulty, long seed, String source) {}
