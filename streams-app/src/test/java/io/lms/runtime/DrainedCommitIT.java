package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command partition that runs dry is committed at once, not at the next commit interval: with
 * an interval of ten minutes, results of commands sent one at a time and in a burst still come.
 */
class DrainedCommitIT {
  static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);
  static final SingleObjectCodec<CommandResult> RESULTS = SingleObjectCodec.of(CommandResult.class);

  @TempDir Path stateDir;

  @Test
  void resultsOfTheLastCommandsCommitWithoutWaitingForTheInterval() throws Exception {
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("drained", stateDir));
    String tenMinutes = Long.toString(Duration.ofMinutes(10).toMillis());
    env.put("LMS_COMMIT_INTERVAL_MS", tenMinutes);
    // Kafka Streams refuses a transaction timeout below the commit interval.
    env.put("LMS_STREAMS_PRODUCER_TRANSACTION_TIMEOUT_MS", tenMinutes);
    LmsConfig config = LmsConfig.parse(Map.of(), env);
    try (LmsApplication app = SharedKafka.startRunning(config);
        KafkaProducer<String, byte[]> producer = SharedKafka.upstreamProducer(app.bootstrapServers())) {
      String commands = config.topics().commands().name();
      String results = config.topics().results().name();
      Instant at = Instant.parse("2026-12-04T10:00:00Z");

      producer.send(new ProducerRecord<>(commands, "acme", COMMANDS.encode(new LeadCommand("c1", "acme", 1L, at,
          new ConfigureReasons(List.of("Bought elsewhere")))))).get();
      assertThat(CommittedRecords.read(app.bootstrapServers(), results, RESULTS::decode, 1, Duration.ofSeconds(30)))
          .extracting(r -> r.value().getCommandId()).containsExactly("c1");

      for (String id : List.of("c2", "c3", "c4")) {
        producer.send(new ProducerRecord<>(commands, "acme", COMMANDS.encode(new LeadCommand(id, "acme", 1L, at,
            CreateLead.newBuilder().setLeadFor("sku-" + id).setIdType("EMAIL").setIdentifier(id + "@example.com").build()))));
      }
      producer.send(new ProducerRecord<>(commands, "acme", COMMANDS.encode(new LeadCommand("c5", "acme", 1L, at,
          new ChangeStatus(1L, "LOST", null, 1L, null, null))))).get();
      assertThat(CommittedRecords.read(app.bootstrapServers(), results, RESULTS::decode, 5, Duration.ofSeconds(30)))
          .extracting(r -> r.value().getCommandId()).containsExactly("c1", "c2", "c3", "c4", "c5");
    }
  }

  @Test
  void theLeaderTellsWhereThePartitionEndsForReadCommittedReaders() throws Exception {
    String bootstrap = SharedKafka.bootstrapServers();
    String topic = "drained-leader-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    MainConsumers clients = new MainConsumers();
    assertThat(clients.leaderEnd(partition)).as("no admin client yet: nothing is known").isEmpty();
    try (Admin admin = clients.getAdmin(Map.of("bootstrap.servers", bootstrap));
        KafkaProducer<String, byte[]> upstream = SharedKafka.upstreamProducer(bootstrap);
        KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic),
            new StringSerializer(), new ByteArraySerializer())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      for (int i = 0; i < 3; i++) {
        upstream.send(new ProducerRecord<>(topic, "acme", new byte[] {1})).get();
      }
      assertThat(clients.leaderEnd(partition)).isEqualTo(OptionalLong.of(3));

      // A record of a transaction still open is not there yet for the stream thread's consumer.
      transactional.initTransactions();
      transactional.beginTransaction();
      transactional.send(new ProducerRecord<>(topic, "acme", new byte[] {2})).get();
      assertThat(clients.leaderEnd(partition)).isEqualTo(OptionalLong.of(3));
      transactional.commitTransaction();
      // The record and the commit marker after it, once the marker is written.
      await().atMost(Duration.ofSeconds(10)).until(() -> clients.leaderEnd(partition).equals(OptionalLong.of(5)));
    }
  }
}
