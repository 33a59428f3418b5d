package io.lms.chaos;

import io.lms.runtime.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The single-node Kafka of {@link EmbeddedKafka} (same settings, replication 1), run as processes
 * of their own ({@code kafka.Kafka server.properties}) so that the broker can be killed with SIGKILL
 * and started again on the same ports and log directory.
 *
 * <p>The KRaft controller runs beside the broker, in a process of its own, as in production. In
 * combined mode (broker and controller in one process, as the embedded default runs) a SIGKILL
 * and restart hits a broker bug: the restarted controller still holds the dead incarnation's
 * registration until its session expires, the restarted broker meanwhile acts as leader from that
 * stale image and lets its transaction coordinator abort the transactions the kill left open; when
 * the old registration expires every partition is briefly leaderless, and the coordinator drops the
 * abort markers of leaderless partitions as "likely deleted". The partition is left with a hanging
 * transaction: its last stable offset never moves again, read_committed readers (the task's own
 * restore included) stall for good. See RELIABILITY.md.
 */
final class BrokerProcess {
  /** The controller expires a dead broker's registration after this (Kafka's default, set here to rely on it). */
  static final Duration BROKER_SESSION_TIMEOUT = Duration.ofSeconds(9);

  private final JavaProcess controller;
  private final JavaProcess process;
  private final String bootstrapServers;

  private BrokerProcess(JavaProcess controller, JavaProcess process, String bootstrapServers) {
    this.controller = controller;
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /** Writes the two server.properties under {@code dir} and formats both log directories; starts nothing. */
  static BrokerProcess prepare(Path dir, Path libDir) throws IOException {
    int clientPort = freePort();
    int controllerPort = freePort();
    String clusterId = Uuid.randomUuid().toString();

    Properties controllerProps = EmbeddedKafka.brokerProperties(dir.resolve("controller-log"), clientPort, controllerPort);
    controllerProps.put("process.roles", "controller");
    controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
    controllerProps.remove("advertised.listeners");
    controllerProps.remove("inter.broker.listener.name");
    controllerProps.put("broker.session.timeout.ms", Long.toString(BROKER_SESSION_TIMEOUT.toMillis()));

    Properties brokerProps = EmbeddedKafka.brokerProperties(dir.resolve("log"), clientPort, controllerPort);
    brokerProps.put("process.roles", "broker");
    brokerProps.put("node.id", "2");
    brokerProps.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    // A zombie's open transaction blocks the new owner's restore until the coordinator aborts it:
    // look for timed-out transactions every second instead of every ten, to keep the run short.
    // Transactions still time out after transaction.timeout.ms (Kafka Streams: 10 s), as in production.
    brokerProps.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    JavaProcess controller = javaProcess("controller", controllerProps, clusterId, dir, libDir);
    JavaProcess broker = javaProcess("broker", brokerProps, clusterId, dir, libDir);
    return new BrokerProcess(controller, broker, "127.0.0.1:" + clientPort);
  }

  private static JavaProcess javaProcess(String name, Properties props, String clusterId, Path dir, Path libDir)
      throws IOException {
    EmbeddedKafka.format(props, clusterId);
    Path file = dir.resolve(name + ".properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "LMS chaos run: the embedded Kafka's settings, as a process of its own");
    }
    return new JavaProcess(name, List.of("-cp", libDir.toAbsolutePath() + "/*", "kafka.Kafka", file.toString()),
        Map.of(), dir.resolve(name + ".log"));
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's process, the one the faults kill. */
  JavaProcess process() {
    return process;
  }

  JavaProcess controller() {
    return controller;
  }

  /** Starts the controller (first time only) and the broker, and returns once the broker answers. */
  void startAndAwait(Duration timeout) throws InterruptedException {
    if (!controller.isAlive()) {
      controller.start();
    }
    process.start();
    awaitReady(timeout);
  }

  void awaitReady(Duration timeout) throws InterruptedException {
    EmbeddedKafka.awaitReady(bootstrapServers, timeout);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
