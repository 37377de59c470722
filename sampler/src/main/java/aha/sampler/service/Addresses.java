package aha.sampler.service;

/**
 * Every event-bus address of the sampling service. All messages are local (never clustered) and
 * carry Java objects through {@link LocalCodec}.
 *
 * <p>One address per sampler replica, not one shared address: the facade picks the replica for each
 * share of a request, and a weights update must reach every replica, in order with the requests
 * sent to it. A single consumer per address keeps that order.
 */
public final class Addresses {

  /** Prefix of every address of the sampling service. */
  public static final String PREFIX = "aha.sampler.";

  private Addresses() {}

  /**
   * Where replica {@code replica} of the service {@code service} takes its commands: sampling
   * requests (answered with scored groups) and weights updates (answered with the new version).
   */
  public static String sampler(String service, int replica) {
    return PREFIX + service + ".replica." + replica;
  }
}
