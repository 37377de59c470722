package aha.runs.cluster;

import aha.sampler.settings.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How one member joins a cluster of aha processes (a trainer and its sampler nodes).
 *
 * <p>Members find each other by TCP/IP only, at the addresses listed in {@code members}; multicast
 * and cloud auto-detection stay off, so a member never looks beyond the machines it is told of.
 * The password keeps strangers out: the Hazelcast cluster name is {@code name} and a digest of the
 * password, and Hazelcast refuses a member whose cluster name differs. The open-source Hazelcast
 * has no authentication beyond that and does not encrypt, so across untrusted networks run the
 * cluster inside a VPN or SSH tunnels (docs/scale-out.md).
 *
 * @param name the cluster's name (letters, digits, '-'), the same on every member
 * @param password the shared secret; at least 8 characters
 * @param host the address this member binds and is reached at (127.0.0.1 unless told otherwise)
 * @param port this member's Hazelcast port (1-65535)
 * @param busPort the port of this member's event bus connections; 0: any free port
 * @param members the other members' {@code host:port} to join (empty: start a cluster of one,
 *     which others may join)
 */
public record ClusterSettings(
    String name, String password, String host, int port, int busPort, List<String> members) {

  /** The address a member binds when not told otherwise: this machine only. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The Hazelcast port a member uses when not told otherwise. */
  public static final int DEFAULT_PORT = 5701;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  private static final Pattern MEMBER = Pattern.compile("[^\\s:]+:\\d{1,5}");

  public ClusterSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidFieldException(
          "name", "use letters, digits and '-' (at most 64), got '" + name + "'");
    }
    if (password == null || password.length() < 8) {
      throw new InvalidFieldException("password", "must be at least 8 characters");
    }
    if (host == null || host.isBlank()) {
      throw new InvalidFieldException("host", "must be an address, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidFieldException("port", "must be 1 to 65535, got " + port);
    }
    if (busPort < 0 || busPort > 65535) {
      throw new InvalidFieldException("bus_port", "must be 0 (any) to 65535, got " + busPort);
    }
    members = List.copyOf(members == null ? List.of() : members);
    for (String member : members) {
      if (!MEMBER.matcher(member).matches()) {
        throw new InvalidFieldException("members", "each is host:port, got '" + member + "'");
      }
    }
  }

  /**
   * The name Hazelcast sees: {@code name} and the first 16 hex digits of SHA-256 over the name and
   * password, so the password itself never goes on the wire and members with different passwords
   * form different clusters.
   */
  public String hazelcastClusterName() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((name + "\n" + password).getBytes(StandardCharsets.UTF_8));
      return name + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
