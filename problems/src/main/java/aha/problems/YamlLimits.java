package aha.problems;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * What the lab accepts in a YAML file a user wrote (run configs, curricula) before it is read: at
 * most {@link #MAX_CHARS} characters, no aliases ({@code *name}) and one document. An alias reuses
 * an anchored value, and a few lines of them nest into billions ("billion laughs"); a config needs
 * neither, so one is refused at once with its line instead of being expanded or read back as its
 * name. A second document (after a {@code ---} line) would be silently ignored by the reader, so
 * it is refused with its line too.
 */
public final class YamlLimits {

  /** Longest YAML document read: far above any config or curriculum. */
  public static final int MAX_CHARS = 1 << 20;

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlLimits() {}

  /**
   * Checks {@code yaml} against the limits.
   *
   * @return null when it is within them, else what is wrong ("line 3: ...")
   */
  public static String problem(String yaml) {
    if (yaml.length() > MAX_CHARS) {
      return "longer than " + MAX_CHARS + " characters; a config or curriculum is far shorter";
    }
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      int depth = 0;
      boolean documentEnded = false; // the first document's root value is complete
      while (parser.nextToken() != null) {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.NOT_AVAILABLE) {
          break;
        }
        if (documentEnded) {
          return "line " + parser.currentTokenLocation().getLineNr()
              + ": a second YAML document is not supported; put everything in one";
        }
        if (parser.isCurrentAlias()) {
          return "line " + parser.currentTokenLocation().getLineNr() + ": YAML aliases (*"
              + parser.getText() + ") are not supported; write the value out";
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        documentEnded = depth == 0;
      }
    } catch (IOException e) {
      return null; // a syntax error: the reader that follows reports it with its own message
    }
    return null;
  }
}
