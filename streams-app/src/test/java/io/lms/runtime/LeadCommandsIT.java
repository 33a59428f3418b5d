package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.ChangeStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadStatus;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream producers' view of LMS on a real broker: a plain KafkaProducer sends encoded commands
 * (and some that are not), a read_committed consumer reads what came out.
 */
class LeadCommandsIT {
  @TempDir static Path stateDir;

  static LmsApplication app;
  static LmsTopics topics;
  static KafkaProducer<String, byte[]> producer;
  static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);

  @BeforeAll
  static void start() throws Exception {
    LmsConfig config = LmsConfig.parse(Map.of(), SharedKafka.isolatedEnvironment("commands", stateDir));
    topics = config.topics();
    app = SharedKafka.startRunning(config);
    producer = SharedKafka.upstreamProducer(app.bootstrapServers());
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (app != null) {
      app.close();
    }
  }

  static <V> List<ConsumerRecord<String, V>> readAll(String topic, Function<byte[], V> decode, int expected) {
    return CommittedRecords.read(app.bootstrapServers(), topic, decode, expected);
  }

  static void send(String org, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topics.commands().name(), org, value)).get();
  }

  static LeadCommand command(String id, String org, Object payload) {
    return new LeadCommand(id, org, 7L, Instant.parse("2026-11-27T10:00:00Z"), payload);
  }

  @Test
  void encodedCommandsBecomeResultsAndEventsAndPoisonGoesToTheDeadLetterTopic() throws Exception {
    send("acme", COMMANDS.encode(command("c1", "acme", new ConfigureReasons(List.of("Bought elsewhere")))));
    send("acme", COMMANDS.encode(command("c2", "acme",
        CreateLead.newBuilder().setLeadFor("sku-1").setIdType("EMAIL").setIdentifier("a@example.com").build())));
    byte[] poison = "not a command".getBytes(StandardCharsets.UTF_8);
    send("acme", poison);
    send("acme", COMMANDS.encode(command("c3", "acme", new ChangeStatus(1L, "LOST", null, 1L, null, null))));
    send("acme", COMMANDS.encode(command("c4", "acme", new ChangeStatus(1L, "LOST", null, 1L, null, null))));
    send("acme", COMMANDS.encode(command("c2", "acme",
        CreateLead.newBuilder().setLeadFor("sku-1").setIdType("EMAIL").setIdentifier("a@example.com").build())));

    SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
    List<ConsumerRecord<String, CommandResult>> out = readAll(topics.results().name(), results::decode, 5);
    assertThat(out).extracting(r -> r.value().getCommandId()).containsExactly("c1", "c2", "c3", "c4", "c2");
    assertThat(out.get(2).value().getOutcome()).isInstanceOfSatisfying(Accepted.class,
        a -> assertThat(a.getLead().getStatus()).isEqualTo(LeadStatus.LOST));
    assertThat(out.get(3).value().getOutcome()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.getErrors().get(0).getCode()).isEqualTo(92002));
    assertThat(out.get(4).value()).as("a repeated commandId gets its first result").isEqualTo(out.get(1).value());

    SingleObjectCodec<LeadEvent> events = SingleObjectCodec.of(LeadEvent.class);
    List<ConsumerRecord<String, LeadEvent>> changes = readAll(topics.events().name(), events::decode, 4);
    assertThat(changes).extracting(r -> r.value().getPayload().getClass().getSimpleName())
        .containsExactly("ReasonsConfigured", "CustomerRegistered", "LeadCreated", "StatusChanged");
    assertThat(changes).allSatisfy(r -> assertThat(r.key()).isEqualTo("acme"));

    List<ConsumerRecord<String, byte[]>> dead = readAll(topics.deadLetter(), bytes -> bytes, 1);
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.value()).isEqualTo(poison);
      assertThat(r.key()).isEqualTo("acme");
      assertThat(new String(r.headers().lastHeader("__streams.errors.exception").value(), StandardCharsets.UTF_8))
          .contains("SerializationException");
      assertThat(new String(r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
          .contains("Cannot decode LeadCommand");
      assertThat(new String(r.headers().lastHeader("__streams.errors.topic").value(), StandardCharsets.UTF_8))
          .isEqualTo(topics.commands().name());
    });
  }
}
