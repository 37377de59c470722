package aha.runs.dashboard;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to serve the dashboard.
 *
 * @param runsRoot the folder whose run directories are shown (it may not exist yet)
 * @param host the address to bind; {@value #LOOPBACK} unless a person asked for another
 * @param port the port; 0 takes any free one (see {@link Dashboard#port()})
 * @param pollMillis how often a live page's stream looks for new metric lines
 * @param warn receives warnings (a malformed line skipped, a request that failed)
 */
public record DashboardOptions(
    Path runsRoot, String host, int port, long pollMillis, Consumer<String> warn) {

  /** The default address: this machine only. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The default port of {@code aha dashboard}. */
  public static final int DEFAULT_PORT = 8088;

  /** The default poll interval of live streams. */
  public static final long DEFAULT_POLL_MILLIS = 500;

  public DashboardOptions {
    Objects.requireNonNull(runsRoot, "runsRoot");
    Objects.requireNonNull(warn, "warn");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 (0: any free port), got " + port);
    }
    if (pollMillis < 10) {
      throw new IllegalArgumentException("pollMillis must be at least 10, got " + pollMillis);
    }
  }

  /** Serving {@code runsRoot} on {@code host:port}, polling twice a second, warnings to stderr. */
  public static DashboardOptions of(Path runsRoot, String host, int port) {
    return new DashboardOptions(
        runsRoot,
        host,
        port,
        DEFAULT_POLL_MILLIS,
        warning -> System.err.println("aha dashboard: warning: " + warning));
  }

  public DashboardOptions withPollMillis(long millis) {
    return new DashboardOptions(runsRoot, host, port, millis, warn);
  }

  public DashboardOptions withWarn(Consumer<String> sink) {
    return new DashboardOptions(runsRoot, host, port, pollMillis, sink);
  }
}
