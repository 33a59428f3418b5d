package io.lms.runtime;

import io.lms.topology.CommittedTransactions;
import io.lms.topology.DrainedInput;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, made as Kafka Streams makes them, with each stream thread's main
 * consumer kept so that the thread can ask it where its partitions end ({@link DrainedInput}).
 *
 * <p>A partition counts as drained when the consumer's last fetch brought nothing after the
 * record, and, once per commit, when its leader confirms that nothing reached it since that fetch
 * (see {@link #moreOnBroker}).
 *
 * <p>Commits after drained partitions group themselves: a commit is a few round trips to the
 * broker (the producer's flush, its offsets, the commit: about 2 ms on a quiet 2-core machine, tens
 * of milliseconds at its tail), and the commands that arrive meanwhile are applied together after
 * it, with one commit at the end. So the rate of commits stays below one per commit's duration
 * whatever the rate of commands, and a command waits for the commit in progress and its own.
 *
 * <p>Only the classic group protocol takes its main consumer from here: under
 * {@code group.protocol=streams} Kafka Streams makes its own, and commits come at the commit
 * interval alone.
 *
 * <p>Each stream thread's producer is watched for how its transactions end, under either protocol:
 * the stores commit only what a committed transaction carried ({@link #transactions()}).
 */
public final class MainConsumers implements KafkaClientSupplier, DrainedInput {
  /** Kafka Streams names a stream thread's main consumer after the thread. */
  private static final String CONSUMER_SUFFIX = "-consumer";
  /**
   * Offsets a record may lie before its consumer's position and still be the last: the commit
   * marker of a transaction that wrote the record (a command moved to its org's partition by a
   * stream thread) takes one.
   */
  private static final long MARKERS_AFTER_LAST = 1;
  /** How long a thread asks its partition's leader where the partition ends before it commits anyway. */
  private static final Duration END_OFFSET_TIMEOUT = Duration.ofMillis(50);

  /**
   * Whether the calling stream thread asked the broker since it last chose to commit: it asks once
   * per commit, so that a steady stream of commands cannot put its commit off to the interval.
   */
  private final ThreadLocal<Boolean> askedSinceCommit = ThreadLocal.withInitial(() -> false);
  /** By stream thread name; each consumer used by its own thread alone. */
  private final Map<String, Consumer<byte[], byte[]>> byThread = new ConcurrentHashMap<>();
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  /** Asks a partition's leader where it ends: through Kafka Streams' admin client once it exists. */
  private volatile LeaderEnds leaderEnds = LeaderEnds.UNKNOWN;
  private final TransactionOutcomes transactions = new TransactionOutcomes();

  /**
   * Where a partition's readable records end now (its last stable offset), as its leader says, or
   * empty when it did not say in time.
   */
  @FunctionalInterface
  interface LeaderEnds {
    LeaderEnds UNKNOWN = (partition, timeout) -> OptionalLong.empty();

    OptionalLong endOf(TopicPartition partition, Duration timeout);
  }

  public MainConsumers() {
    this(config -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        LeaderEnds.UNKNOWN);
  }

  /** Clients whose consumers {@code consumers} makes and whose leaders answer {@code leaderEnds} (for tests). */
  MainConsumers(Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers, LeaderEnds leaderEnds) {
    this.consumers = consumers;
    this.leaderEnds = leaderEnds;
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    Admin admin = Admin.create(config);
    // Not the main consumer: its connection is held by a fetch that waits for records, and a
    // request behind it would wait as long.
    leaderEnds = (partition, timeout) -> lastStableOffset(admin, partition, timeout);
    return admin;
  }

  private static OptionalLong lastStableOffset(Admin admin, TopicPartition partition, Duration timeout) {
    try {
      return OptionalLong.of(admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
              new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs((int) timeout.toMillis()))
          .partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset());
    } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return transactions.watch(config, new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** Whether the calling stream thread's last transaction committed, as its producer saw it. */
  public CommittedTransactions transactions() {
    return transactions;
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    Consumer<byte[], byte[]> consumer = consumers.apply(config);
    if (config.get(ConsumerConfig.CLIENT_ID_CONFIG) instanceof String clientId && clientId.endsWith(CONSUMER_SUFFIX)) {
      // A thread that takes a dead one's name takes its entry.
      byThread.put(clientId.substring(0, clientId.length() - CONSUMER_SUFFIX.length()), consumer);
    }
    return consumer;
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return consumers.apply(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return consumers.apply(config);
  }

  /**
   * Whether the partition's last stable offset lies beyond {@code next}, asked of its leader.
   *
   * <p>The lag the consumer knows is as old as the fetch that brought the record, and a record
   * is often applied long after that fetch: one fetched while the thread was committing waits for
   * the commit to end. Commands that reached the broker in between were then left for one more
   * commit cycle, which at 200 writes/s doubled a write's wait. A round trip to the leader (about a
   * millisecond, beside a commit's several) says whether they exist; the thread then takes them in
   * its next poll and commits once after them.
   */
  private boolean moreOnBroker(TopicPartition source, long next) {
    OptionalLong end = leaderEnd(source);
    // No answer in time: commit what was applied rather than hold it.
    return end.isPresent() && end.getAsLong() > next;
  }

  /** Where {@code partition}'s readable records end, as its leader says now; empty if it did not say in time. */
  OptionalLong leaderEnd(TopicPartition partition) {
    return leaderEnds.endOf(partition, END_OFFSET_TIMEOUT);
  }

  /**
   * True when nothing after {@code offset} was fetched and, the first time since the thread last
   * committed, its leader has nothing more either.
   */
  @Override
  public boolean commitAfter(String topic, int partition, long offset) {
    Consumer<byte[], byte[]> consumer = byThread.get(Thread.currentThread().getName());
    if (consumer == null) {
      return false;
    }
    TopicPartition source = new TopicPartition(topic, partition);
    try {
      OptionalLong lag = consumer.currentLag(source);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
      // Known from the last fetch, without a request.
      long next = consumer.position(source, Duration.ZERO);
      if (next - (offset + 1) > MARKERS_AFTER_LAST) {
        return false;
      }
      if (!askedSinceCommit.get()) {
        askedSinceCommit.set(true);
        if (moreOnBroker(source, next)) {
          return false;
        }
      }
      askedSinceCommit.set(false);
      return true;
    } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
      // No position (the partition is being reset, or was revoked): the interval will do.
      return false;
    }
  }
}
