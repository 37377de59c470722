package aha.grpo.corpus;

/**
 * How much text the base model is made from, and how much of it reflects.
 *
 * @param problems training problems generated from the curriculum; each gives one pretraining
 *     document
 * @param sftProblems how many of them (the first ones) also give an SFT conversation
 * @param carefulShare the share of traces written the careful way, every multi-digit operation
 *     worked out ({@link Routes})
 * @param terseShare the share written tersely, one line per operation; the rest are written as
 *     the generator wrote them
 * @param selfCheckShare the share of the traces not written carefully that hold a self-check
 * @param slipShare the share of self-checks that catch and correct a slip; the rest confirm
 * @param factSheets arithmetic drill sheets ({@link ArithmeticFacts}) per problem document, added
 *     to the pretraining documents
 * @param seed seeds the phrasing and self-check choices
 */
public record CorpusConfig(
    int problems,
    int sftProblems,
    double carefulShare,
    double terseShare,
    double selfCheckShare,
    double slipShare,
    double factSheets,
    long seed) {

  public CorpusConfig {
    if (problems < 1 || sftProblems < 1 || sftProblems > problems) {
      throw new IllegalArgumentException(
          "need 1 <= SFT problems <= problems, got " + sftProblems + " of " + problems);
    }
    if (!(carefulShare >= 0 && terseShare >= 0 && carefulShare + terseShare <= 1)) {
      throw new IllegalArgumentException(
          "careful and terse shares must be >= 0 and add up to at most 1, got " + carefulShare + " and " + terseShare);
    }
    if (!(selfCheckShare >= 0 && selfCheckShare <= 1) || !(slipShare >= 0 && slipShare <= 1)) {
      throw new IllegalArgumentException(
          "self-check and slip shares must be in [0, 1], got " + selfCheckShare + ", " + slipShare);
    }
    if (!(factSheets >= 0 && factSheets <= 1)) {
      throw new IllegalArgumentException("fact sheets per document must be in [0, 1], got " + factSheets);
    }
  }

  /**
   * The default mix: solutions as generated; a quarter of the traces self-check, and 40% of those
   * catch a slip (10% of all traces hold a slip, 15% a confirmation); one arithmetic drill sheet per
   * ten documents.
   */
  public static CorpusConfig of(int problems, int sftProblems) {
    return new CorpusConfig(problems, sftProblems, 0, 0, 0.25, 0.4, 0.1, 1);
  }

  /** The same corpus with {@code careful} and {@code terse} shares of the routes. */
  public CorpusConfig withRoutes(double careful, double terse) {
    return new CorpusConfig(problems, sftProblems, careful, terse, selfCheckShare, slipShare, factSheets, seed);
  }

  /** The same shares and seed for other sizes. */
  public CorpusConfig withSizes(int newProblems, int newSftProblems) {
    return new CorpusConfig(newProblems, newSftProblems, carefulShare, terseShare, selfCheckShare, slipShare, factSheets, seed);
  }

  /** The same corpus with {@code newFactSheets} drill sheets per document. */
  public CorpusConfig withFactSheets(double newFactSheets) {
    return new CorpusConfig(problems, sftProblems, carefulShare, terseShare, selfCheckShare, slipShare, newFactSheets, seed);
  }

  public CorpusConfig withSeed(long newSeed) {
    return new CorpusConfig(problems, sftProblems, carefulShare, terseShare, selfCheckShare, slipShare, factSheets, newSeed);
  }
}
