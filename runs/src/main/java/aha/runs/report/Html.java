package aha.runs.report;

/** Text from run files made safe to put into an HTML page, as element content or attribute value. */
final class Html {

  private static final char REPLACEMENT = '\uFFFD';

  private Html() {}

  /**
   * {@code text} with {@code & < > " '} escaped, and with control characters (other than tab, line
   * feed and carriage return) and unpaired surrogates replaced by U+FFFD: a small model's
   * completions hold such bytes, and they are parse errors in HTML (or unencodable in UTF-8).
   * Null reads as the empty string.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n', '\r' -> out.append((char) c);
                default -> {
                  boolean control = c < 0x20 || (c >= 0x7F && c < 0xA0);
                  // String.codePoints() yields an unpaired surrogate as a code point of its own
                  boolean unpaired = Character.getType(c) == Character.SURROGATE;
                  if (control || unpaired) {
                    out.append(REPLACEMENT);
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.toString();
  }
}
