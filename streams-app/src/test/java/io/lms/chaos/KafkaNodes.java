package io.lms.chaos;

import io.lms.runtime.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka cluster of {@code docker-compose.yml} as three processes on this machine: three KRaft
 * nodes, each broker and controller at once, replication 3 and {@code min.insync.replicas} 2 for
 * every topic (the transaction and offsets logs included), so that one node may be down. Each node
 * keeps its ports and log directory across restarts, so that it can be killed with SIGKILL and
 * started again as the same node.
 *
 * <p>Only what a single machine needs differs from the compose file: the loopback address, 6
 * partitions for the offsets and transaction logs instead of 50 (created at the first group join
 * and transaction, they cost seconds on two cores), and no wait before a group's first rebalance.
 */
final class KafkaNodes implements AutoCloseable {
  static final int COUNT = 3;

  private final List<JavaProcess> nodes;
  private final String bootstrapServers;

  private KafkaNodes(List<JavaProcess> nodes, String bootstrapServers) {
    this.nodes = nodes;
    this.bootstrapServers = bootstrapServers;
  }

  /** Writes every node's server.properties under {@code dir} and formats their log directories. */
  static KafkaNodes prepare(Path dir, Path libDir) throws IOException {
    int[] clientPorts = new int[COUNT];
    int[] controllerPorts = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      clientPorts[i] = BrokerProcess.freePort();
      controllerPorts[i] = BrokerProcess.freePort();
    }
    String voters = java.util.stream.IntStream.range(0, COUNT)
        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i]).collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    List<JavaProcess> nodes = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      int nodeId = i + 1;
      Properties props = EmbeddedKafka.brokerProperties(dir.resolve("node-" + nodeId), clientPorts[i], controllerPorts[i]);
      props.putAll(Map.ofEntries(
          Map.entry("node.id", Integer.toString(nodeId)),
          Map.entry("controller.quorum.voters", voters),
          Map.entry("default.replication.factor", "3"),
          Map.entry("min.insync.replicas", "2"),
          Map.entry("offsets.topic.replication.factor", "3"),
          Map.entry("transaction.state.log.replication.factor", "3"),
          Map.entry("transaction.state.log.min.isr", "2"),
          Map.entry("share.coordinator.state.topic.replication.factor", "3"),
          Map.entry("share.coordinator.state.topic.min.isr", "2"),
          Map.entry("add.partitions.to.txn.retry.backoff.ms", "2")));
      // The compose file keeps Kafka's own timings for a node among others: a dead node is fenced
      // after its 9 s session, and timed-out transactions are looked for every 10 s.
      props.remove("broker.session.timeout.ms");
      props.remove("broker.heartbeat.interval.ms");
      props.remove("log.segment.bytes");
      props.remove("transaction.abort.timed.out.transaction.cleanup.interval.ms");
      EmbeddedKafka.format(props, clusterId);
      Path file = dir.resolve("node-" + nodeId + ".properties");
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "LMS cluster test: node " + nodeId + " of the docker-compose.yml cluster");
      }
      nodes.add(new JavaProcess("kafka-" + nodeId,
          List.of("-cp", libDir.toAbsolutePath() + "/*", "kafka.Kafka", file.toString()), Map.of(),
          dir.resolve("kafka-" + nodeId + ".log")));
    }
    String bootstrap = java.util.Arrays.stream(clientPorts).mapToObj(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
    return new KafkaNodes(List.copyOf(nodes), bootstrap);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Node 1, 2 or 3. */
  JavaProcess node(int nodeId) {
    return nodes.get(nodeId - 1);
  }

  /** Starts every node (each waits for a quorum of the others) and returns once the cluster answers. */
  void startAndAwait(Duration timeout) throws InterruptedException {
    nodes.forEach(JavaProcess::start);
    EmbeddedKafka.awaitReady(bootstrapServers, timeout);
  }

  List<Path> logs() {
    return nodes.stream().map(JavaProcess::log).toList();
  }

  /** Kills every node; never throws. */
  @Override
  public void close() {
    Killable.killEach(nodes);
  }
}
