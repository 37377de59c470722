package aha.verifier.math;

/**
 * One lexical token of an answer.
 *
 * @param type what kind of token
 * @param text NUMBER: the digits with an optional '.', separators removed; LETTER: the letter;
 *     COMMAND: the name without its backslash ("frac", "{" for {@code \{}); SYMBOL: the character
 * @param exponent NUMBER only: the power of ten of scientific notation ({@code 1.5e3} has 3)
 * @param position offset in the normalized text, for error messages
 */
record Token(Type type, String text, int exponent, int position) {

  enum Type {
    NUMBER,
    LETTER,
    COMMAND,
    SYMBOL,
    END
  }

  boolean is(Type wanted, String wantedText) {
    return type == wanted && text.equals(wantedText);
  }

  boolean isSymbol(String symbol) {
    return is(Type.SYMBOL, symbol);
  }

  boolean isCommand(String name) {
    return is(Type.COMMAND, name);
  }

  @Override
  public String toString() {
    return switch (type) {
      case COMMAND -> "\\" + text;
      case END -> "end of input";
      default -> text;
    };
  }
}
