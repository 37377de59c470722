package aha.sampler.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-unicode alphabet: each of the 256 byte values maps to one printable character, so
 * that byte-level tokens are plain strings in {@code tokenizer.json}. Printable Latin-1 bytes map
 * to themselves; the other 68 (controls, space, DEL, NBSP, soft hyphen) map to U+0100 onwards in
 * byte order, which is why a space shows as {@code Ġ} and a newline as {@code Ċ}.
 */
final class ByteLevel {

  private static final char[] BYTE_TO_CHAR = buildTable();

  private ByteLevel() {}

  private static char[] buildTable() {
    char[] table = new char[256];
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      table[b] = printable ? (char) b : (char) (256 + shifted++);
    }
    return table;
  }

  /** The character standing for byte {@code b} (0..255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b];
  }

  /** The byte-level form of a piece of text: its UTF-8 bytes, one alphabet character each. */
  static String encode(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    char[] chars = new char[utf8.length];
    for (int i = 0; i < utf8.length; i++) {
      chars[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
    }
    return new String(chars);
  }
}
