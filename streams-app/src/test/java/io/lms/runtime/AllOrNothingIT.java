package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.domain.Decision;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import io.lms.topology.WriteFault;
import org.apache.avro.specific.SpecificRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that fails part-way leaves nothing behind, on a real broker with transactional stores:
 * a fault is injected before the N-th write of chosen commands (a store put or a record sent), and
 * what read_committed consumers and the stores show afterwards is as if the command had never come,
 * except for its record on the dead-letter topic. A fault that strikes once is retried whole.
 */
class AllOrNothingIT {
  /** {@code fail-<N>-...} fails before its N-th write, every time; {@code once-<N>-...} the first time only. */
  static final Pattern FAULTY = Pattern.compile("(fail|once)-(\\d+)-.*");
  static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);

  @TempDir static Path stateDir;
  static LmsApplication app;
  static LmsTopics topics;
  static KafkaProducer<String, byte[]> producer;

  static final WriteFault FAULT = (Decision decision, int write) -> {
    String commandId = decision.result().map(CommandResult::getCommandId).orElse("");
    Matcher faulty = FAULTY.matcher(commandId);
    if (faulty.matches() && Integer.parseInt(faulty.group(2)) == write
        && (faulty.group(1).equals("fail") || failedOnce.add(commandId))) {
      throw new IllegalStateException("injected before write " + write + " of " + commandId);
    }
  };

  @BeforeAll
  static void start() throws Exception {
    LmsConfig config = LmsConfig.parse(Map.of(), SharedKafka.isolatedEnvironment("whole", stateDir));
    topics = config.topics();
    app = SharedKafka.startRunning(config, FAULT);
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

  static void send(String commandId, Object payload) throws Exception {
    LeadCommand command = new LeadCommand(commandId, "acme", 7L, Instant.parse("2026-11-27T10:00:00Z"), payload);
    producer.send(new ProducerRecord<>(topics.commands().name(), "acme", COMMANDS.encode(command))).get();
  }

  static CreateLead lead(String identifier) {
    return CreateLead.newBuilder().setLeadFor("for " + identifier).setIdType("EMAIL").setIdentifier(identifier).build();
  }

  static <V extends SpecificRecord> List<V> committed(String topic, SingleObjectCodec<V> codec) {
    return CommittedRecords.readToEnd(app.bootstrapServers(), topic, codec::decode).stream()
        .map(ConsumerRecord::value).toList();
  }

  @Test
  void aCommandThatFailsPartWayLeavesNothingButItsDeadLetter() throws Exception {
    long started = System.nanoTime();
    // A new customer's lead writes 8 times: sequences, customer, lead, lms.leads, two events, result, its record.
    send("good-1", lead("a@example.com"));
    send("fail-1-create", lead("b@example.com"));
    send("fail-2-create", lead("b@example.com"));
    send("fail-5-create", lead("b@example.com"));
    send("fail-8-create", lead("b@example.com"));
    // Sequences, reason, lms.reasons, event, result, its record.
    send("fail-3-reasons", new ConfigureReasons(List.of("Never kept")));
    send("once-4-create", lead("c@example.com"));
    send("good-2", lead("b@example.com"));
    send("good-3", new ConfigureReasons(List.of("Bought elsewhere")));

    SingleObjectCodec<CommandResult> resultCodec = SingleObjectCodec.of(CommandResult.class);
    List<ConsumerRecord<String, CommandResult>> resultRecords =
        CommittedRecords.read(app.bootstrapServers(), topics.results().name(), resultCodec::decode, 4, Duration.ofSeconds(120));
    long settledMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("AllOrNothingIT: 9 commands, 4 of them failing part-way twice and one once, settled in %,d ms%n",
        settledMillis);

    List<CommandResult> results = resultRecords.stream().map(ConsumerRecord::value).toList();
    assertThat(results).extracting(CommandResult::getCommandId)
        .as("one result for each command that was applied, none for those that failed")
        .containsExactly("good-1", "once-4-create", "good-2", "good-3");
    assertThat(results.subList(0, 3)).extracting(r -> ((Accepted) r.getOutcome()).getLead().getId())
        .as("lead ids stay dense: no id was taken by a command that failed").containsExactly(1L, 2L, 3L);

    List<byte[]> dead = CommittedRecords.readToEnd(app.bootstrapServers(), topics.deadLetter(), bytes -> bytes)
        .stream().map(ConsumerRecord::value).toList();
    assertThat(dead).extracting(bytes -> COMMANDS.decode(bytes).getCommandId())
        .as("each failing command on the dead-letter topic, once")
        .containsExactly("fail-1-create", "fail-2-create", "fail-5-create", "fail-8-create", "fail-3-reasons");

    assertThat(committed(topics.events().name(), SingleObjectCodec.of(LeadEvent.class)))
        .extracting(LeadEvent::getCommandId, event -> event.getPayload().getClass().getSimpleName())
        .as("no event of a command that failed; the customer b@example.com registered by the command that was applied")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("good-1", "CustomerRegistered"),
            org.assertj.core.groups.Tuple.tuple("good-1", "LeadCreated"),
            org.assertj.core.groups.Tuple.tuple("once-4-create", "CustomerRegistered"),
            org.assertj.core.groups.Tuple.tuple("once-4-create", "LeadCreated"),
            org.assertj.core.groups.Tuple.tuple("good-2", "CustomerRegistered"),
            org.assertj.core.groups.Tuple.tuple("good-2", "LeadCreated"),
            org.assertj.core.groups.Tuple.tuple("good-3", "ReasonsConfigured"));
    assertThat(committed(topics.leads().name(), SingleObjectCodec.of(LeadState.class)))
        .extracting(LeadState::getId, LeadState::getLeadFor, LeadState::getUserId)
        .as("customer ids stay dense too: b@example.com was never registered by a command that failed")
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1L, "for a@example.com", 1L),
            org.assertj.core.groups.Tuple.tuple(2L, "for c@example.com", 2L),
            org.assertj.core.groups.Tuple.tuple(3L, "for b@example.com", 3L));
    assertThat(committed(topics.reasons().name(), SingleObjectCodec.of(Reason.class)))
        .extracting(Reason::getId, Reason::getReason)
        .as("the reason of the failed command was never kept, and its id not taken")
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "Bought elsewhere"));

    // The stores agree: resending a failed commandId is a new command, not a retry of a kept one.
    send("fail-9-create", lead("d@example.com"));
    List<ConsumerRecord<String, CommandResult>> after =
        CommittedRecords.read(app.bootstrapServers(), topics.results().name(), resultCodec::decode, 5);
    assertThat(after).hasSize(5);
    assertThat(((Accepted) after.get(4).value().getOutcome()).getLead().getId()).isEqualTo(4L);
  }
}
