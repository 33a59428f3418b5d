package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop whose last commit fails keeps none of the uncommitted writes in the stores.
 *
 * <p>Kafka Streams 4.4 commits the stores of every task it closes at a clean stop, even when the
 * commit of the thread's transaction has just failed (a producer fenced by a newer instance, a
 * broker out of reach): the store then holds the writes of a transaction that aborted, with the
 * changelog offset that follows them. Here a command is applied, its transaction is fenced before
 * it commits, and the instance stops cleanly; started again on the same state, it must apply the
 * command again in full. A results store that kept the aborted result would take the command for
 * one already applied, answer it again, and send none of its events: without
 * {@code CommittedTransactions}, this test fails so.
 */
class FencedShutdownIT {
  private static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);

  @TempDir Path stateDir;

  @Test
  void aStopAfterAFencedTransactionKeepsNoneOfItsWrites() throws Exception {
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("fenced-stop", stateDir));
    // Commits only when asked: the command's transaction stays open until it is fenced. (The
    // streams protocol leaves out the commit after a drained partition, which the classic one makes.)
    env.put("LMS_STREAMS_GROUP_PROTOCOL", "streams");
    env.put("LMS_COMMIT_INTERVAL_MS", "300000");
    env.put("LMS_STREAMS_PRODUCER_TRANSACTION_TIMEOUT_MS", "600000");
    // Without record caches, as an operator may run it: with them, the stop first flushes the
    // cached sequences, whose send meets the fence, and Kafka Streams closes every task dirty.
    env.put("LMS_STREAMS_STATESTORE_CACHE_MAX_BYTES", "0");
    LmsConfig config = LmsConfig.parse(Map.of(), env);
    LmsTopics topics = config.topics();
    String bootstrap = SharedKafka.bootstrapServers();

    LmsApplication first = SharedKafka.startRunning(config);
    try (KafkaProducer<String, byte[]> upstream = SharedKafka.upstreamProducer(bootstrap)) {
      // Past the first commit of each task (LeadCommandProcessor#init asks for one).
      Thread.sleep(2_000);
      LeadCommand create = new LeadCommand("create-1", "acme", 7L, Instant.parse("2026-12-01T10:00:00Z"),
          CreateLead.newBuilder().setLeadFor("a sofa").setIdType("EMAIL").setIdentifier("a@example.com").build());
      upstream.send(new ProducerRecord<>(topics.commands().name(), "acme", COMMANDS.encode(create))).get();
      assertThat(readUncommitted(bootstrap, topics.results().name(), Duration.ofSeconds(60)))
          .as("the command was applied, its result sent in a transaction still open").isTrue();

      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        List<String> open = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
            .all().get().stream().map(TransactionListing::transactionalId)
            .filter(id -> id.startsWith(config.applicationId())).toList();
        assertThat(open).as("the stream thread's open transaction").hasSize(1);
        // What a newer instance with the same transactional id does: its first call aborts the open transaction.
        try (KafkaProducer<byte[], byte[]> newer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, open.get(0)), new ByteArraySerializer(), new ByteArraySerializer())) {
          newer.initTransactions();
        }
      }
    } finally {
      first.close();
    }

    env.put("LMS_COMMIT_INTERVAL_MS", "100");
    LmsApplication again = SharedKafka.startRunning(LmsConfig.parse(Map.of(), env));
    try {
      List<CommandResult> results = CommittedRecords.read(bootstrap, topics.results().name(),
          SingleObjectCodec.of(CommandResult.class)::decode, 1).stream().map(ConsumerRecord::value).toList();
      assertThat(results).extracting(CommandResult::getCommandId).containsExactly("create-1");
      assertThat(CommittedRecords.read(bootstrap, topics.events().name(), SingleObjectCodec.of(LeadEvent.class)::decode, 2)
          .stream().map(ConsumerRecord::value).toList())
          .extracting(LeadEvent::getCommandId, event -> event.getPayload().getClass().getSimpleName())
          .as("applied again in full: its events, as if the aborted attempt had never been")
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("create-1", "CustomerRegistered"),
              org.assertj.core.groups.Tuple.tuple("create-1", "LeadCreated"));
      assertThat(CommittedRecords.read(bootstrap, topics.leads().name(), SingleObjectCodec.of(LeadState.class)::decode, 1)
          .stream().map(ConsumerRecord::value).toList())
          .extracting(LeadState::getId, LeadState::getLeadFor)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "a sofa"));
    } finally {
      again.close();
    }
  }

  /** Whether a record reaches {@code topic} within {@code timeout}, committed or not. */
  private static boolean readUncommitted(String bootstrap, String topic, Duration timeout) {
    try (KafkaConsumer<String, byte[]> consumer = CommittedRecords.fromStart(bootstrap, topic, IsolationLevel.READ_UNCOMMITTED)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
          return true;
        }
      }
      return false;
    }
  }
}
