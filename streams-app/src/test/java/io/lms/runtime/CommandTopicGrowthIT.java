package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SingleObjectCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions added to the command topic under a running LMS: it stops, every instance of it,
 * rather than apply an org's commands where its state is not (see the README, "For upstream
 * producers").
 */
class CommandTopicGrowthIT {
  static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);
  static final SingleObjectCodec<CommandResult> RESULTS = SingleObjectCodec.of(CommandResult.class);

  @TempDir Path dir;

  /** An org whose partition is another one once the topic has grown from 2 to 3 partitions. */
  static String orgThatMoves() {
    for (int i = 0; ; i++) {
      String org = "org-" + i;
      int hash = Utils.toPositive(Utils.murmur2(org.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      if (hash % 2 != hash % 3) {
        return org;
      }
    }
  }

  static LeadCommand create(String id, String org, String email) {
    return new LeadCommand(id, org, 7L, Instant.parse("2026-11-27T10:00:00Z"),
        CreateLead.newBuilder().setLeadFor("item").setIdType("EMAIL").setIdentifier(email).build());
  }

  @Test
  void addingPartitionsToTheCommandTopicStopsTheServiceAndSplitsNoOrg() throws Exception {
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("growth", dir));
    // Kafka Streams notices the new partitions at its next metadata refresh (5 minutes by default).
    env.put("LMS_STREAMS_METADATA_MAX_AGE_MS", "1000");
    LmsConfig config = LmsConfig.parse(Map.of(), env);
    String topic = config.topics().commands().name();
    String org = orgThatMoves();
    try (var app = new LmsApplication(config);
        var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
        var producer = new KafkaProducer<>(Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.METADATA_MAX_AGE_CONFIG, 500), new StringSerializer(), new ByteArraySerializer())) {
      // given an org with one lead, on a command topic of 2 partitions
      app.start();
      assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
      producer.send(new ProducerRecord<>(topic, org, COMMANDS.encode(create("before", org, "a@example.com")))).get();
      assertThat(CommittedRecords.read(app.bootstrapServers(), config.topics().results().name(), RESULTS::decode, 1))
          .singleElement().satisfies(r -> assertThat(((Accepted) r.value().getOutcome()).getLead().getId()).isEqualTo(1L));

      // when the topic grows to 3 partitions, and a producer sends the org's next command to its new partition
      admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
      Thread.sleep(1_500);
      producer.send(new ProducerRecord<>(topic, org, COMMANDS.encode(create("after", org, "b@example.com")))).get();

      // then every instance stops, with an error
      await().atMost(Duration.ofSeconds(90)).until(() -> app.streams().state() == KafkaStreams.State.ERROR);
      // and no command of the org met an empty copy of it: lead 1 was never handed out twice
      var results = CommittedRecords.read(
          app.bootstrapServers(), config.topics().results().name(), RESULTS::decode, 2, Duration.ofSeconds(5));
      assertThat(results).extracting(r -> ((Accepted) r.value().getOutcome()).getLead().getId()).doesNotHaveDuplicates();
    }
  }
}
