package aha.grpo.reflection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The phrases that count as reflection, matched case-insensitively as whole words ("wait" matches
 * "Wait," but not "waiter"); spaces and hyphens inside a phrase match any run of spaces or one
 * hyphen, so "double-check" also finds "double check".
 */
public final class ReflectionMarkers {

  /** The markers tracked unless a run configures its own. */
  public static final List<String> DEFAULT_MARKERS =
      List.of(
          "wait",
          "let me check",
          "let me verify",
          "recheck",
          "double-check",
          "verify",
          "mistake",
          "actually",
          "hmm",
          "on second thought");

  /** One marker found in a text: which marker (as configured) and where. */
  public record Hit(String marker, int start, int end) {}

  private final List<String> markers;
  private final Pattern pattern;

  /**
   * @throws IllegalArgumentException when the list is empty or holds a blank or repeated marker
   */
  public ReflectionMarkers(List<String> markers) {
    if (markers.isEmpty()) {
      throw new IllegalArgumentException("reflection markers: the list is empty");
    }
    List<String> normalized = new ArrayList<>();
    for (String marker : markers) {
      if (marker == null || marker.isBlank()) {
        throw new IllegalArgumentException("reflection markers: a marker is blank");
      }
      String key = normalize(marker);
      if (normalized.contains(key)) {
        throw new IllegalArgumentException("reflection markers: \"" + marker + "\" is repeated");
      }
      normalized.add(key);
    }
    this.markers = List.copyOf(markers);
    // Longest first, so that "let me check" wins over a shorter marker starting at the same place.
    String alternation =
        normalized.stream()
            .sorted((a, b) -> b.length() - a.length())
            .map(ReflectionMarkers::phrasePattern)
            .collect(Collectors.joining("|"));
    this.pattern =
        Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:" + alternation + ")(?![\\p{L}\\p{N}])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** The default markers. */
  public static ReflectionMarkers defaults() {
    return new ReflectionMarkers(DEFAULT_MARKERS);
  }

  /** The markers as configured. */
  public List<String> markers() {
    return markers;
  }

  /** Every marker occurrence in {@code text}, in order, not overlapping. */
  public List<Hit> find(String text) {
    List<Hit> hits = new ArrayList<>();
    if (text == null) {
      return hits;
    }
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      hits.add(new Hit(markerOf(matcher.group()), matcher.start(), matcher.end()));
    }
    return hits;
  }

  /** Maps matched text back to the configured marker it came from. */
  private String markerOf(String matched) {
    String key = normalize(matched);
    for (String marker : markers) {
      if (normalize(marker).equals(key)) {
        return marker;
      }
    }
    throw new IllegalStateException("matched text maps to no marker: " + matched);
  }

  /** Lower case, hyphens and whitespace runs as single spaces: the identity of a phrase. */
  private static String normalize(String phrase) {
    return phrase.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", " ");
  }

  private static String phrasePattern(String normalizedPhrase) {
    List<String> words = List.of(normalizedPhrase.split(" "));
    return words.stream().map(Pattern::quote).collect(Collectors.joining("(?:\\s+|-)"));
  }
}
