package aha.runs.cluster;

import aha.sampler.settings.InvalidFieldException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A cluster file: how a trainer ({@code run.cluster}) or a sampler node ({@code aha sampler serve
 * --cluster}) joins its cluster. YAML, for example:
 *
 * <pre>
 * name: lab                  # the same on every member
 * password: correct-horse    # the same on every member; keep the file private (chmod 600)
 * host: 10.0.0.1             # this member's address (default 127.0.0.1: this machine only)
 * port: 5701                 # this member's Hazelcast port (default 5701)
 * bus_port: 0                # its event-bus port (default 0: any free port)
 * members: [10.0.0.2:5701]   # the others to join (default none: start a cluster others join)
 * item_timeout_s: 60         # the trainer's: a node silent this long over an item loses it
 * weights_port: 0            # the trainer's: its weights server's port (default 0: any free port)
 * </pre>
 *
 * @param settings how this member joins
 * @param itemTimeout how long the trainer waits for a node's item (its weights fetch included)
 * @param weightsPort the port of the trainer's weights server (0: any free port)
 */
public record ClusterFile(ClusterSettings settings, Duration itemTimeout, int weightsPort) {

  /** How long a node may take over one item, unless the file says otherwise. */
  public static final Duration DEFAULT_ITEM_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<String> KEYS =
      Set.of("name", "password", "host", "port", "bus_port", "members", "item_timeout_s", "weights_port");

  /**
   * Reads {@code file}.
   *
   * @throws IOException when it cannot be read or is not YAML
   * @throws IllegalArgumentException naming the file and the key when a value is wrong or a key
   *     unknown
   */
  public static ClusterFile read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new IOException(file + ": not YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected keys such as name, password and members");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(file + ": " + key + ": unknown key; expected one of " + KEYS);
      }
    }
    try {
      List<String> members = new ArrayList<>();
      JsonNode listed = root.path("members");
      if (listed.isArray()) {
        listed.forEach(member -> members.add(member.asText()));
      } else if (!listed.isMissingNode() && !listed.isNull()) {
        throw new InvalidFieldException("members", "expected a list of host:port");
      }
      ClusterSettings settings =
          new ClusterSettings(
              text(root, "name", null),
              text(root, "password", null),
              text(root, "host", ClusterSettings.LOOPBACK),
              number(root, "port", ClusterSettings.DEFAULT_PORT),
              number(root, "bus_port", 0),
              members);
      int timeout = number(root, "item_timeout_s", (int) DEFAULT_ITEM_TIMEOUT.toSeconds());
      if (timeout < 1) {
        throw new InvalidFieldException("item_timeout_s", "must be at least 1, got " + timeout);
      }
      int weightsPort = number(root, "weights_port", 0);
      if (weightsPort < 0 || weightsPort > 65535) {
        throw new InvalidFieldException("weights_port", "must be 0 (any) to 65535, got " + weightsPort);
      }
      return new ClusterFile(settings, Duration.ofSeconds(timeout), weightsPort);
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode root, String key, String fallback) {
    JsonNode value = root.get(key);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  private static int number(JsonNode root, String key, int fallback) {
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new InvalidFieldException(key, "expected a whole number, got '" + value.asText() + "'");
    }
    return value.intValue();
  }
}
