package aha.problems.gen;

import aha.problems.Problem;

/**
 * A procedural generator of one kind of problem, at difficulty levels 1 (tiny numbers, one step) to 5
 * (many digits or many steps).
 *
 * <p>Every generated problem carries a step-by-step {@code solution}: short lines separated by
 * {@code "\n"} whose last line is exactly {@code "#### " + answer} (for countdown, {@code "#### "} and
 * an expression that hits the target). Its {@code meta} is (name(), difficulty, problemSeed,
 * "generated").
 */
public interface ProblemFamily {

  /** The family name used in curricula, ids and {@code meta.family}: "addition", "countdown", ... */
  String name();

  /** One line saying what the family asks, for help texts. */
  String description();

  /**
   * Generates one problem. The same arguments always give an equal problem.
   *
   * @param difficulty 1 to 5
   * @param problemSeed the seed of this very problem; stored as {@code meta.seed}
   * @param id the problem's id
   * @throws IllegalArgumentException when difficulty is outside 1-5
   */
  Problem generate(int difficulty, long problemSeed, String id);
}
