package aha.grpo.reflection;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates the analyses of each training step into the step's aha metrics, and remembers the
 * first step at which each marker appeared. One tracker per run; not thread-safe (the trainer
 * thread owns it).
 */
public final class AhaTracker {

  private final Map<String, Long> firstStepOfMarker = new LinkedHashMap<>();

  /**
   * The aha metrics of one step.
   *
   * @param keywordRate marker occurrences per response ({@code aha/keyword_rate})
   * @param responseShare share of responses with at least one marker ({@code aha/response_share})
   * @param transitions responses of each transition kind; {@code aha/transitions} is the
   *     wrong-to-right count
   * @param newMarkers markers seen for the first time in the run at this step
   */
  public record StepMetrics(
      double keywordRate,
      double responseShare,
      Map<Transition, Integer> transitions,
      List<String> newMarkers) {

    /** The aha moments: wrong-to-right transitions. */
    public int wrongToRight() {
      return transitions.getOrDefault(Transition.WRONG_TO_RIGHT, 0);
    }
  }

  /** Records a step's analyses and returns its metrics. */
  public StepMetrics record(long step, List<AhaDetector.Analysis> analyses) {
    Map<Transition, Integer> transitions = new EnumMap<>(Transition.class);
    for (Transition transition : Transition.values()) {
      if (transition != Transition.NONE) {
        transitions.put(transition, 0);
      }
    }
    long markerCount = 0;
    int withMarker = 0;
    List<String> newMarkers = new java.util.ArrayList<>();
    for (AhaDetector.Analysis analysis : analyses) {
      markerCount += analysis.markerCount();
      if (analysis.markerCount() > 0) {
        withMarker++;
      }
      if (analysis.transition() != Transition.NONE) {
        transitions.merge(analysis.transition(), 1, Integer::sum);
      }
      for (ReflectionMarkers.Hit hit : analysis.hits()) {
        if (firstStepOfMarker.putIfAbsent(hit.marker(), step) == null) {
          newMarkers.add(hit.marker());
        }
      }
    }
    int n = analyses.size();
    return new StepMetrics(
        n == 0 ? 0 : (double) markerCount / n,
        n == 0 ? 0 : (double) withMarker / n,
        Collections.unmodifiableMap(transitions),
        List.copyOf(newMarkers));
  }

  /**
   * Whether reflecting pays within a problem: over the groups that mix completions with and
   * without a reflection marker, the accuracy of each kind. GRPO's advantage compares completions
   * of the same problem, so only this contrast, not the accuracy of reflecting completions over
   * all problems, tells whether RL will amplify reflection.
   *
   * @param mixedGroups groups holding both kinds ({@code aha/mixed_groups})
   * @param reflectingAccuracy accuracy of the reflecting completions in them ({@code
   *     aha/within_group/reflecting}); NaN when there is no mixed group
   * @param plainAccuracy accuracy of the others ({@code aha/within_group/plain}); NaN likewise
   */
  public record Contrast(int mixedGroups, double reflectingAccuracy, double plainAccuracy) {}

  /** The within-group contrast of a step's analyses, one list per group. */
  public static Contrast contrast(List<List<AhaDetector.Analysis>> groups) {
    int mixed = 0;
    int reflecting = 0;
    int reflectingRight = 0;
    int plain = 0;
    int plainRight = 0;
    for (List<AhaDetector.Analysis> group : groups) {
      long withMarker = group.stream().filter(a -> a.markerCount() > 0).count();
      if (withMarker == 0 || withMarker == group.size()) {
        continue;
      }
      mixed++;
      for (AhaDetector.Analysis analysis : group) {
        if (analysis.markerCount() > 0) {
          reflecting++;
          reflectingRight += analysis.finalCorrect() ? 1 : 0;
        } else {
          plain++;
          plainRight += analysis.finalCorrect() ? 1 : 0;
        }
      }
    }
    return new Contrast(
        mixed,
        reflecting == 0 ? Double.NaN : (double) reflectingRight / reflecting,
        plain == 0 ? Double.NaN : (double) plainRight / plain);
  }

  /** The first step at which each marker appeared, in order of appearance. */
  public Map<String, Long> firstStepOfMarker() {
    return Collections.unmodifiableMap(firstStepOfMarker);
  }

  /** Restores the first-step table from a checkpoint, so resumed runs report the same steps. */
  public void restore(Map<String, Long> firstSteps) {
    firstStepOfMarker.clear();
    firstStepOfMarker.putAll(firstSteps);
  }
}
