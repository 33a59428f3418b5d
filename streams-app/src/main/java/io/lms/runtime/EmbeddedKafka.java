package io.lms.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) inside this JVM, so that one
 * command runs the whole product on a laptop. Its data directory survives restarts: topics,
 * committed offsets and transactions are still there on the next start.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final String clusterId;
  private final Path dataDir;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, String clusterId, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.clusterId = clusterId;
    this.dataDir = dataDir;
  }

  /**
   * Formats {@code dataDir} if it is new, starts the broker and returns once it answers.
   *
   * @param port the client port; 0 picks a free one
   */
  public static EmbeddedKafka start(Path dataDir, int port) throws InterruptedException {
    Path dir = dataDir.toAbsolutePath().normalize();
    createDirectories(dir);
    var ports = choosePorts(port);
    Properties props = brokerProperties(dir, ports.client(), ports.controller());
    Optional<String> existingClusterId = readClusterId(dir);
    String clusterId = existingClusterId.orElseGet(() -> Uuid.randomUuid().toString());
    format(props, clusterId);
    if (existingClusterId.isEmpty()) {
      log.info("Formatted a new embedded Kafka data directory {} (cluster id {})", dir, clusterId);
    }

    long startNanos = System.nanoTime();
    var server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    String bootstrap = HOST + ":" + ports.client();
    try {
      server.startup();
      awaitReady(bootstrap, READY_TIMEOUT);
    } catch (RuntimeException | InterruptedException e) {
      // startup() leaves the controller running when the broker half fails (a port taken, say).
      try {
        stop(server);
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
    log.info(
        "Embedded Kafka ready at {} in {} ms (data in {})",
        bootstrap,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dir);
    return new EmbeddedKafka(server, bootstrap, clusterId, dir);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String clusterId() {
    return clusterId;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and waits for it: logs are flushed and the data directory unlocked. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(server);
    log.info("Embedded Kafka at {} stopped", bootstrapServers);
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private record Ports(int client, int controller) {}

  private static Ports choosePorts(int clientPort) {
    if (clientPort != 0) {
      refuseIfTaken(clientPort);
    }
    // Both sockets stay open until both ports are known, so the two can never be the same.
    try (var first = bindFree(); var second = bindFree()) {
      return clientPort == 0
          ? new Ports(first.getLocalPort(), second.getLocalPort())
          : new Ports(clientPort, first.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for the embedded Kafka", e);
    }
  }

  private static ServerSocket bindFree() throws IOException {
    var socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
    return socket;
  }

  /** The broker's own message for a taken port comes late and buried in a stack trace. */
  private static void refuseIfTaken(int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    } catch (IOException e) {
      throw new InvalidSettingException(
          "Port " + port + " for the embedded Kafka (" + Setting.EMBEDDED_PORT.env()
              + ") is already in use: is a Kafka broker running there? Set "
              + Setting.BOOTSTRAP_SERVERS.env() + " to use it, or " + Setting.EMBEDDED_PORT.env()
              + "=0 to pick a free port");
    }
  }

  /**
   * The settings of a single-node KRaft broker (broker and controller in one) on 127.0.0.1. Public
   * for the chaos test, which runs the same broker as a process of its own ({@code kafka.Kafka}).
   */
  public static Properties brokerProperties(Path dir, int clientPort, int controllerPort) {
    var props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", Integer.toString(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", dir.toString()),
            // One node: the internal topics cannot have more replicas, and exactly-once needs
            // the transaction log's min ISR to be reachable.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            // Fifty partitions each (the defaults) are sized for a cluster's many groups and
            // producers. Created on the first group join and first transaction, they cost seconds
            // of the first start and two files mapped per partition, for nothing on one node.
            Map.entry("offsets.topic.num.partitions", "6"),
            Map.entry("transaction.state.log.num.partitions", "6"),
            // Nobody else will join the group: waiting for them only delays the first rebalance.
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Topics come from the provisioner with the right policies, never from a typo.
            Map.entry("auto.create.topics.enable", "false"),
            // After a kill -9 the restarted node finds its own last registration still alive and
            // must wait out that session before it may register again: 9 s by default. Alone,
            // its heartbeats never cross a network, so a short session costs nothing.
            Map.entry("broker.session.timeout.ms", "3000"),
            Map.entry("broker.heartbeat.interval.ms", "750"),
            // After a kill -9 every segment written since the last recovery point is read again
            // (1 GB segments by default): small segments bound that work per partition.
            Map.entry("log.segment.bytes", Integer.toString(32 * 1024 * 1024)),
            // A killed producer's open transaction holds back every read_committed reader until
            // its coordinator aborts it: check for timed-out ones every second, not every 10.
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
            // A stream thread that commits after every burst of writes starts its next
            // transaction while the last one's markers are still being written: its first
            // records are refused (CONCURRENT_TRANSACTIONS) and retried here after this backoff,
            // 20 ms by default, most of a write's budget. The markers take about a millisecond
            // on a single node. At 200 writes/s the producer's flush at its 99th percentile went
            // from 20 to 10 ms.
            Map.entry("add.partitions.to.txn.retry.backoff.ms", "1")));
    return props;
  }

  /** The cluster id the directory was formatted with, so a restart keeps it (and its data). */
  private static Optional<String> readClusterId(Path dir) {
    Path meta = dir.resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    var props = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + meta, e);
    }
    return Optional.ofNullable(props.getProperty("cluster.id")).filter(id -> !id.isBlank());
  }

  /** Formats the log directory of {@code props} for {@code clusterId}; a formatted one is left alone. */
  public static void format(Properties props, String clusterId) {
    Path file = null;
    var output = new ByteArrayOutputStream();
    try {
      file = Files.createTempFile("lms-embedded-kafka", ".properties");
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "LMS embedded Kafka: written on every start, for the storage formatter");
      }
      int code;
      try (var printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        code =
            StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", file.toString(), "--ignore-formatted"},
                printer);
      }
      log.debug("Storage formatter: {}", output.toString(StandardCharsets.UTF_8).strip());
      if (code != 0) {
        throw new IllegalStateException(
            "Formatting the embedded Kafka data directory failed (exit code " + code + "): "
                + output.toString(StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the embedded Kafka properties", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          log.debug("Could not delete {}", file, e);
        }
      }
    }
  }

  /** Returns once the Kafka at {@code bootstrap} answers a describeCluster with a node. */
  public static void awaitReady(String bootstrap, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          log.debug("Embedded Kafka not ready yet: {}", e.toString());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Kafka at " + bootstrap + " not ready after " + timeout.toSeconds() + " s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the embedded Kafka data directory " + dir, e);
    }
  }
}
