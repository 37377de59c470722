package aha.runs.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * A clustered Vert.x member: its event bus reaches every member's consumers, and the Hazelcast
 * cluster manager keeps the membership.
 *
 * @param vertx the clustered instance; {@link #close} leaves the cluster and closes it
 * @param manager the membership, as Vert.x's cluster manager sees it
 */
public record ClusterVertx(Vertx vertx, HazelcastClusterManager manager) {

  /**
   * Starts a member and joins the cluster {@code settings} describe; the future completes once it
   * has joined (or formed a cluster of one when no listed member answers).
   */
  public static Future<ClusterVertx> start(ClusterSettings settings) {
    return start(settings, null);
  }

  /**
   * As {@link #start(ClusterSettings)}, its meters (event bus, worker pools, HTTP) reported into
   * {@code registry} (the dashboard's {@code /metrics}) unless it is null.
   */
  public static Future<ClusterVertx> start(ClusterSettings settings, PrometheusMeterRegistry registry) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(settings));
    EventBusOptions bus =
        new EventBusOptions()
            .setHost(settings.host())
            .setPort(settings.busPort())
            .setClusterPublicHost(settings.host());
    VertxOptions options = new VertxOptions().setEventBusOptions(bus);
    VertxBuilder builder = Vertx.builder().withClusterManager(manager);
    if (registry != null) {
      options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    return builder.with(options).buildClustered().map(vertx -> new ClusterVertx(vertx, manager));
  }

  /** This member's node id, as {@link #members} lists it. */
  public String nodeId() {
    return manager.getNodeId();
  }

  /**
   * Vert.x's own Hazelcast config (the maps and multimaps its event bus needs) with the network
   * narrowed to what {@code settings} name: TCP/IP join with the listed members, multicast,
   * auto-detection and phone-home off, bound to the one address, Hazelcast's logging through
   * SLF4J (quiet unless --verbose).
   */
  static Config hazelcastConfig(ClusterSettings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.hazelcastClusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // join at once rather than after the default 5 s of waiting for more members
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // members that started apart (a trainer that listed nodes not up yet) find each other within
    // seconds rather than Hazelcast's default five minutes
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    if (settings.host().matches("[0-9.]+")) { // Hazelcast's interfaces are IPv4 patterns, not names
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.host()));
    }
    network.setPublicAddress(settings.host() + ":" + settings.port());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    return config;
  }

  /** The node ids of the cluster's members, this one included. */
  public List<String> members() {
    return manager.getNodes();
  }

  /** Leaves the cluster and closes the instance. */
  public Future<Void> close() {
    return vertx.close();
  }
}
