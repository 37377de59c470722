package aha.grpo.reflection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReflectionMarkersTest {
  private final ReflectionMarkers markers = ReflectionMarkers.defaults();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Wait, that is wrong.|wait",
        "so 41. WAIT|wait",
        "Let me check: 3+4=7|let me check",
        "let  me   check again|let me check",
        "I should double check this|double-check",
        "I should double-check this|double-check",
        "Actually the answer is 4|actually",
        "Hmm. 12 is not prime|hmm",
        "I made a mistake|mistake",
      })
  void findsMarkersAsWholeWords(String text, String marker) {
    List<ReflectionMarkers.Hit> hits = markers.find(text);
    assertEquals(1, hits.size(), text);
    assertEquals(marker, hits.get(0).marker());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"the waiter brought 3 plates", "await the result", "verifying is fun", "no markers here"})
  void ignoresPartsOfOtherWords(String text) {
    assertEquals(List.of(), markers.find(text));
  }

  @Test
  void hitsAreInOrderWithOffsets() {
    String text = "4. Wait, let me check: actually 5.";
    List<ReflectionMarkers.Hit> hits = markers.find(text);
    assertEquals(List.of("wait", "let me check", "actually"), hits.stream().map(ReflectionMarkers.Hit::marker).toList());
    assertEquals("let me check", text.substring(hits.get(1).start(), hits.get(1).end()));
  }

  @Test
  void customListsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new ReflectionMarkers(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ReflectionMarkers(List.of("wait", "Wait")));
    assertEquals(1, new ReflectionMarkers(List.of("oops")).find("Oops, 3 not 4").size());
  }
}
