package aha.grpo.corpus;

import aha.sampler.settings.Fields;
import aha.sampler.settings.InvalidFieldException;
import aha.problems.gen.WrittenArithmetic;

/**
 * How much text the base model is made from, and how much of it reflects.
 *
 * @param problems training problems generated from the curriculum; each gives one pretraining
 *     document
 * @param sftProblems how many of them (the first ones) also give an SFT conversation
 * @param carefulShare the share of SFT conversations written the careful way, every multi-digit
 *     operation worked out ({@link Routes})
 * @param terseShare the share of SFT conversations written tersely, one line per operation; the
 *     rest are written as the generator wrote them
 * @param documentCarefulShare the share of pretraining documents written the careful way
 * @param documentTerseShare the share of pretraining documents written tersely; the rest as
 *     generated. Apart from the conversations' shares, so that pretraining can teach the careful
 *     working on every problem while SFT sets how often the policy chooses it
 * @param working how careful working is laid out ({@link WrittenArithmetic.Layout}): {@code
 *     columns}, as the generators write it, or {@code peeled}, one digit a line built from the
 *     line above; with {@code peeled}, the addition and multiplication families' solutions are
 *     worked again that way
 * @param selfCheckShare the share of the traces not written carefully that hold a self-check
 * @param slipShare the share of self-checks that catch and correct a slip; the rest confirm
 * @param checkedSteps which steps a terse trace checks: {@code key}, the last step, one draw a
 *     trace; or {@code every}, each step with a multi-digit operation on its own draw
 * @param factSheets arithmetic drill sheets ({@link ArithmeticFacts}) per problem document, added
 *     to the pretraining documents
 * @param toolShare the share of SFT conversations that call the calculator ({@link ToolTraces});
 *     above 0, the base's tokenizer has the tool tags
 * @param toolStyle how those conversations call it: {@code calls}, each integer step of a
 *     conversation without a slip written as a call; or {@code checks}, the steps worked in the
 *     head as before and each self-check done with the calculator instead of by working, slips
 *     included
 * @param seed seeds the phrasing and self-check choices
 */
public record CorpusConfig(
    int problems,
    int sftProblems,
    double carefulShare,
    double terseShare,
    double documentCarefulShare,
    double documentTerseShare,
    WrittenArithmetic.Layout working,
    double selfCheckShare,
    double slipShare,
    SelfChecks.CheckedSteps checkedSteps,
    double factSheets,
    double toolShare,
    ToolTraces.Style toolStyle,
    long seed) {

  public CorpusConfig {
    Fields.atLeast("problems", problems, 1);
    Fields.atLeast("sft_problems", sftProblems, 1);
    if (sftProblems > problems) {
      throw new InvalidFieldException("sft_problems", "must be at most problems (" + problems + "), got " + sftProblems);
    }
    requireShares("", carefulShare, terseShare);
    requireShares("document_", documentCarefulShare, documentTerseShare);
    if (working == null) {
      throw new InvalidFieldException("working", "must be columns or peeled");
    }
    if (checkedSteps == null) {
      throw new InvalidFieldException("checked_steps", "must be key or every");
    }
    Fields.between("self_check_share", selfCheckShare, 0, 1);
    Fields.between("slip_share", slipShare, 0, 1);
    Fields.between("fact_sheets", factSheets, 0, 1);
    Fields.between("tool_share", toolShare, 0, 1);
    if (toolStyle == null) {
      throw new InvalidFieldException("tool_style", "must be calls or checks");
    }
    if (toolStyle == ToolTraces.Style.CHECKS && checkedSteps != SelfChecks.CheckedSteps.EVERY) {
      throw new InvalidFieldException(
          "tool_style", "checks works with checked_steps every (each checked step calls the calculator), got checked_steps "
              + checkedSteps.wireName());
    }
  }

  /**
   * Solutions as generated, the mix the lab started from: a quarter of the traces self-check, and 40% of those
   * catch a slip (10% of all traces hold a slip, 15% a confirmation); one arithmetic drill sheet per
   * ten documents.
   */
  public static CorpusConfig of(int problems, int sftProblems) {
    return new CorpusConfig(problems, sftProblems, 0, 0, 0, 0, WrittenArithmetic.Layout.COLUMNS, 0.25, 0.4, SelfChecks.CheckedSteps.KEY, 0.1, 0, ToolTraces.Style.CALLS, 1);
  }

  /**
   * The design of the default job (docs/grpo.md, "checks every step"): every pretraining document
   * written carefully, each multi-digit operation worked out in the peeled layout, so the base has
   * the skill; every SFT conversation terse, one line per operation, and 30% of the steps that can
   * be worked out are checked by working them out after the fact, half of those checks catching a
   * slip. Checking is then the only way the policy has to make a step reliable, and GRPO amplifies
   * it: responses grow longer and reflect more as accuracy rises. One drill sheet per ten
   * documents.
   */
  public static CorpusConfig checksEveryStep(int problems, int sftProblems) {
    return new CorpusConfig(
        problems, sftProblems, 0, 1, 1, 0, WrittenArithmetic.Layout.PEELED, 0.3, 0.5,
        SelfChecks.CheckedSteps.EVERY, 0.1, 0, ToolTraces.Style.CALLS, 1);
  }

  /** Shares of the careful and terse routes: each in [0, 1], together at most 1. */
  private static void requireShares(String prefix, double careful, double terse) {
    Fields.between(prefix + "careful_share", careful, 0, 1);
    Fields.between(prefix + "terse_share", terse, 0, 1);
    if (careful + terse > 1) {
      throw new InvalidFieldException(
          prefix + "terse_share",
          "the careful and terse shares add up to at most 1, got " + careful + " and " + terse);
    }
  }

  /** The same corpus with {@code careful} and {@code terse} shares of the routes, documents and conversations alike. */
  public CorpusConfig withRoutes(double careful, double terse) {
    return withRoutes(careful, terse, careful, terse);
  }

  /** The same corpus with the conversations' and the documents' shares of the routes. */
  public CorpusConfig withRoutes(double careful, double terse, double documentCareful, double documentTerse) {
    return new CorpusConfig(
        problems, sftProblems, careful, terse, documentCareful, documentTerse, working, selfCheckShare, slipShare,
        checkedSteps, factSheets, toolShare, toolStyle, seed);
  }

  /** The same shares and seed for other sizes. */
  public CorpusConfig withSizes(int newProblems, int newSftProblems) {
    return new CorpusConfig(newProblems, newSftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working, selfCheckShare, slipShare, checkedSteps, factSheets, toolShare, toolStyle, seed);
  }

  /** The same corpus with its careful working laid out as {@code layout}. */
  public CorpusConfig withWorking(WrittenArithmetic.Layout layout) {
    return new CorpusConfig(
        problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, layout,
        selfCheckShare, slipShare, checkedSteps, factSheets, toolShare, toolStyle, seed);
  }

  /** The same corpus with {@code selfCheck} of its traces self-checking, {@code slip} of those catching a slip. */
  public CorpusConfig withSelfChecks(double selfCheck, double slip) {
    return new CorpusConfig(
        problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working,
        selfCheck, slip, checkedSteps, factSheets, toolShare, toolStyle, seed);
  }

  /** The same corpus with {@code newFactSheets} drill sheets per document. */
  public CorpusConfig withFactSheets(double newFactSheets) {
    return new CorpusConfig(problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working, selfCheckShare, slipShare, checkedSteps, newFactSheets, toolShare, toolStyle, seed);
  }

  /** The same corpus with terse traces checking {@code steps}. */
  public CorpusConfig withCheckedSteps(SelfChecks.CheckedSteps steps) {
    return new CorpusConfig(problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working, selfCheckShare, slipShare, steps, factSheets, toolShare, toolStyle, seed);
  }

  /** The same corpus with {@code share} of its SFT conversations calling the calculator. */
  public CorpusConfig withToolShare(double share) {
    return new CorpusConfig(
        problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working,
        selfCheckShare, slipShare, checkedSteps, factSheets, share, toolStyle, seed);
  }

  /** The same corpus with its tool conversations calling the calculator in {@code style}. */
  public CorpusConfig withToolStyle(ToolTraces.Style style) {
    return new CorpusConfig(
        problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working,
        selfCheckShare, slipShare, checkedSteps, factSheets, toolShare, style, seed);
  }

  public CorpusConfig withSeed(long newSeed) {
    return new CorpusConfig(problems, sftProblems, carefulShare, terseShare, documentCarefulShare, documentTerseShare, working, selfCheckShare, slipShare, checkedSteps, factSheets, toolShare, toolStyle, newSeed);
  }
}
