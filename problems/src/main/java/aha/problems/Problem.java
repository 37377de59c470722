package aha.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One verifiable problem, one line of a problem-set JSONL file.
 *
 * @param id unique within a problem set
 * @param question the text shown to the model
 * @param answer the gold answer, as text the verifier parses for this {@code kind}
 * @param kind how {@code answer} is read and compared
 * @param solution an optional step-by-step reference solution ending in the final answer; null when
 *     absent
 * @param meta provenance: family, difficulty, seed, source
 */
@JsonPropertyOrder({"id", "question", "answer", "kind", "solution", "meta"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String id, String question, String answer, AnswerKind kind, String solution, ProblemMeta meta) {}
