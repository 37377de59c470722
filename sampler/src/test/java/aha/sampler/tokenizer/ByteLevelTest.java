package aha.sampler.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {

  @Test
  void everyByteHasItsOwnPrintableCharacter() {
    Set<Character> seen = new HashSet<>();
    for (int b = 0; b < 256; b++) {
      char c = ByteLevel.charOf(b);
      seen.add(c);
      assertEquals(false, Character.isWhitespace(c) || Character.isISOControl(c), "byte " + b);
    }
    assertEquals(256, seen.size());
  }

  @Test
  void matchesGpt2Alphabet() {
    assertEquals('A', ByteLevel.charOf('A'));
    assertEquals('~', ByteLevel.charOf('~'));
    assertEquals('\u0100', ByteLevel.charOf(0));
    assertEquals('\u010A', ByteLevel.charOf('\n')); // Ċ
    assertEquals('\u0120', ByteLevel.charOf(' ')); // Ġ
    assertEquals('\u0121', ByteLevel.charOf(0x7F));
    assertEquals('\u0143', ByteLevel.charOf(0xAD)); // the last shifted byte
    assertEquals('\u00FF', ByteLevel.charOf(0xFF));
    assertEquals("ĠÃ©", ByteLevel.encode(" é"));
  }
}
