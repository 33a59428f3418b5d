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
 * The single-node Kafka of {@link EmbeddedKafka}, with its settings (one combined broker and
 * controller, replication 1), run as a process of its own ({@code kafka.Kafka server.properties}) so
 * that it can be killed with SIGKILL and started again on the same ports and log directory, as an
 * operator restarts the embedded default or a node of {@code docker-compose.yml}.
 *
 * <p>A combined node killed and restarted at once can leave a hanging transaction (RELIABILITY.md,
 * <i>Found by the chaos run</i>): the run restarts it at once on purpose, and LMS must clear it.
 */
final class BrokerProcess {
  private final JavaProcess process;
  private final String bootstrapServers;

  private BrokerProcess(JavaProcess process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /** Writes the node's server.properties under {@code dir} and formats its log directory; starts nothing. */
  static BrokerProcess prepare(Path dir, Path libDir) throws IOException {
    int clientPort = freePort();
    int controllerPort = freePort();
    Properties props = EmbeddedKafka.brokerProperties(dir.resolve("log"), clientPort, controllerPort);
    EmbeddedKafka.format(props, Uuid.randomUuid().toString());
    Path file = dir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "LMS chaos run: the embedded Kafka's settings, as a process of its own");
    }
    JavaProcess process = new JavaProcess("kafka", List.of("-cp", libDir.toAbsolutePath() + "/*", "kafka.Kafka",
        file.toString()), Map.of(), dir.resolve("kafka.log"));
    return new BrokerProcess(process, "127.0.0.1:" + clientPort);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The node's process, the one the faults kill. */
  JavaProcess process() {
    return process;
  }

  /** Starts the node and returns once it answers. */
  void startAndAwait(Duration timeout) throws InterruptedException {
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
