package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.topology.LmsTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {
  private static final int PARTITIONS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final LmsTopics topics = LmsTopics.withPrefix("it.");

  @TempDir Path tempDir;

  @Test
  void provisionsTopicsAndKeepsThemAndCommittedRecordsAcrossARestart() throws Exception {
    Path dataDir = tempDir.resolve("kafka");
    String clusterId;

    // given a fresh broker with the LMS topics
    try (var kafka = EmbeddedKafka.start(dataDir, 0);
        var admin = admin(kafka)) {
      clusterId = kafka.clusterId();
      Set<String> created = provisioner(admin).provision(topics);
      assertThat(created).containsExactlyInAnyOrderElementsOf(allTopics());
      assertTopicsAsProvisioned(admin);

      // provisioning again changes nothing
      assertThat(provisioner(admin).provision(topics)).isEmpty();

      // when one transaction commits and another aborts
      try (var producer = transactionalProducer(kafka)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topics.commands().name(), "org-1", "committed"));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topics.commands().name(), "org-1", "aborted"));
        producer.flush();
        producer.abortTransaction();
      }

      // then a read_committed consumer sees only the committed record
      assertThat(readCommitted(kafka, 1)).containsExactly("committed");
    }

    // when the broker restarts on the same data directory (on other ports)
    try (var kafka = EmbeddedKafka.start(dataDir, 0);
        var admin = admin(kafka)) {
      // then it is the same cluster, with the same topics and the committed record
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
      assertThat(provisioner(admin).provision(topics)).isEmpty();
      assertTopicsAsProvisioned(admin);
      assertThat(readCommitted(kafka, 1)).containsExactly("committed");
    }
  }

  @Test
  void refusesAFixedPortThatIsTaken() throws Exception {
    try (var kafka = EmbeddedKafka.start(tempDir.resolve("first"), 0)) {
      int taken = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));

      assertThatThrownBy(() -> EmbeddedKafka.start(tempDir.resolve("second"), taken))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining(Integer.toString(taken))
          .hasMessageContaining("LMS_EMBEDDED_PORT");
    }
  }

  private void assertTopicsAsProvisioned(Admin admin) throws Exception {
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(allTopics()).allTopicNames().get(30, TimeUnit.SECONDS);
    assertThat(descriptions.values())
        .allSatisfy(d -> assertThat(d.partitions()).hasSize(PARTITIONS))
        .allSatisfy(d -> assertThat(d.partitions()).allSatisfy(p -> assertThat(p.leader()).isNotNull()));

    var resources = allTopics().stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
    Map<String, String> policies =
        configs.entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().name(),
                    e -> e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
    topics.streamTopics().forEach(t -> assertThat(policies).containsEntry(t, "delete"));
    topics.tableTopics().forEach(t -> assertThat(policies).containsEntry(t, "compact"));
  }

  private List<String> allTopics() {
    var all = new ArrayList<>(topics.streamTopics());
    all.addAll(topics.tableTopics());
    return all;
  }

  private static TopicProvisioner provisioner(Admin admin) {
    return new TopicProvisioner(admin, PARTITIONS, (short) 1, TIMEOUT);
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
        new StringSerializer(),
        new StringSerializer());
  }

  /** Reads the whole commands topic until {@code expected} records or the timeout. */
  private List<String> readCommitted(EmbeddedKafka kafka, int expected) {
    try (var consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new StringDeserializer(),
            new StringDeserializer())) {
      var partitions = new ArrayList<TopicPartition>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topics.commands().name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var values = new ArrayList<String>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      // One more poll: an aborted record that slipped through would show here.
      consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
      return values;
    }
  }
}
