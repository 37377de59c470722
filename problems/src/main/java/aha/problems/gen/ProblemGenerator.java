package aha.problems.gen;

import aha.problems.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Generates problem sets from the families, deterministically: the same arguments give the same list,
 * byte for byte.
 *
 * <p>Problem {@code i} of family {@code f} at difficulty {@code d} in a run with seed {@code s} has the
 * id {@code "f-dD-sS-IIIII"} (for example {@code "addition-d3-s42-00017"}) and a seed derived from
 * (s, f, d, i). When its question repeats one already in the set, it is generated again from a seed
 * derived from that one, at most {@value #MAX_ATTEMPTS} times; {@code meta.seed} is the seed that made
 * the problem kept, so {@code family.generate(d, meta.seed, id)} gives it back.
 */
public final class ProblemGenerator {
  /** How many seeds one problem may try before the set is declared too large for its family. */
  public static final int MAX_ATTEMPTS = 200;

  private ProblemGenerator() {}

  /**
   * Generates {@code count} distinct problems of one family at one difficulty.
   *
   * @throws IllegalArgumentException on an unknown family, a difficulty outside 1-5 or a negative count
   * @throws IllegalStateException when the family cannot make that many distinct questions
   */
  public static List<Problem> generate(String family, int difficulty, int count, long seed) {
    ProblemFamily generator = Families.get(family);
    checkDifficulty(difficulty);
    checkCount(count);
    List<Problem> out = new ArrayList<>(count);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      out.add(distinct(generator, difficulty, seed, i, seen));
    }
    return out;
  }

  /**
   * Generates {@code count} problems mixed as the curriculum says, in a seeded shuffled order.
   *
   * @throws IllegalArgumentException on a negative count
   * @throws IllegalStateException when a family cannot make its share of distinct questions
   */
  public static List<Problem> generate(CurriculumSpec spec, int count) {
    checkCount(count);
    List<Problem> out = new ArrayList<>(count);
    Set<String> seen = new HashSet<>();
    for (CurriculumSpec.Share share : spec.allocate(count)) {
      ProblemFamily family = Families.get(share.family());
      for (int i = 0; i < share.count(); i++) {
        out.add(distinct(family, share.difficulty(), spec.seed(), i, seen));
      }
    }
    new Rng(Seeds.stream(spec.seed(), "curriculum-order")).shuffle(out);
    return out;
  }

  /**
   * Generates the curriculum's own {@code count}.
   *
   * @throws IllegalArgumentException when the curriculum names no count
   */
  public static List<Problem> generate(CurriculumSpec spec) {
    if (spec.count() == null) {
      throw new IllegalArgumentException("the curriculum sets no count; pass one");
    }
    return generate(spec, spec.count());
  }

  /** The id of problem {@code index}: "addition-d3-s42-00017". */
  public static String id(String family, int difficulty, long seed, int index) {
    return String.format(Locale.ROOT, "%s-d%d-s%d-%05d", family, difficulty, seed, index);
  }

  private static Problem distinct(
      ProblemFamily family, int difficulty, long runSeed, int index, Set<String> seen) {
    String id = id(family.name(), difficulty, runSeed, index);
    long base = Seeds.problem(runSeed, family.name(), difficulty, index);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Problem problem = family.generate(difficulty, Seeds.attempt(base, attempt), id);
      if (seen.add(problem.question())) {
        return problem;
      }
    }
    throw new IllegalStateException(
        "family " + family.name() + " at difficulty " + difficulty + " found no new question for problem "
            + index + " in " + MAX_ATTEMPTS + " attempts; it cannot make that many distinct problems,"
            + " ask for fewer");
  }

  static void checkDifficulty(int difficulty) {
    if (difficulty < 1 || difficulty > 5) {
      throw new IllegalArgumentException("difficulty must be 1 to 5, got " + difficulty);
    }
  }

  static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more, got " + count);
    }
  }
}
