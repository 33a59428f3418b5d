package io.lms.runtime;

import io.lms.topology.DrainedInput;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients, made as Kafka Streams makes them, with each stream thread's main
 * consumer kept so that the thread can ask it where its partitions end ({@link DrainedInput}). The
 * consumer knows that from its last fetch (the last stable offset, and its own position), without
 * a request to the broker.
 *
 * <p>A stream thread commits after a record that drained its partition, but not sooner than
 * {@link #MIN_SPACING} after it last did so. A commit is a few round trips to the broker (about
 * 11 ms measured on 2 cores: the producer's flush 6, its offsets 4, the commit 2) and work for the
 * broker at each partition written; under a steady stream of lone records, committing after each
 * would spend the thread, and the broker's CPU, on commits. Within the spacing, a record waits for
 * the next drained record after it, or for the commit interval.
 *
 * <p>Only the classic group protocol takes its main consumer from here: under
 * {@code group.protocol=streams} Kafka Streams makes its own, and commits come at the commit
 * interval alone.
 */
public final class MainConsumers implements KafkaClientSupplier, DrainedInput {
  static final Duration MIN_SPACING = Duration.ofMillis(20);
  /** Kafka Streams names a stream thread's main consumer after the thread. */
  private static final String CONSUMER_SUFFIX = "-consumer";
  /**
   * Offsets a record may lie before its consumer's position and still be the last: the commit
   * marker of a transaction that wrote the record (a command moved to its org's partition by a
   * stream thread) takes one.
   */
  private static final long MARKERS_AFTER_LAST = 1;

  /** By stream thread name; each entry read and written by its own thread alone. */
  private final Map<String, StreamThreadInput> byThread = new ConcurrentHashMap<>();
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final LongSupplier nanoTime;

  public MainConsumers() {
    this(config -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        System::nanoTime);
  }

  /** Clients whose consumers {@code consumers} makes, on the clock {@code nanoTime} (for tests). */
  MainConsumers(Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers, LongSupplier nanoTime) {
    this.consumers = consumers;
    this.nanoTime = nanoTime;
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    Consumer<byte[], byte[]> consumer = consumers.apply(config);
    if (config.get(ConsumerConfig.CLIENT_ID_CONFIG) instanceof String clientId && clientId.endsWith(CONSUMER_SUFFIX)) {
      // A thread that takes a dead one's name takes its entry.
      byThread.put(clientId.substring(0, clientId.length() - CONSUMER_SUFFIX.length()), new StreamThreadInput(consumer));
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

  @Override
  public boolean commitAfter(String topic, int partition, long offset) {
    StreamThreadInput input = byThread.get(Thread.currentThread().getName());
    if (input == null || !input.drainedAt(new TopicPartition(topic, partition), offset)) {
      return false;
    }
    long now = nanoTime.getAsLong();
    if (input.committedAtNanos != 0 && now - input.committedAtNanos < MIN_SPACING.toNanos()) {
      return false;
    }
    input.committedAtNanos = now;
    return true;
  }

  private static final class StreamThreadInput {
    final Consumer<byte[], byte[]> consumer;
    /** When this thread last asked for a commit on a drained partition; 0 before it did. */
    long committedAtNanos;

    StreamThreadInput(Consumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
    }

    /** Whether nothing after {@code offset} was fetched or is known to exist. */
    boolean drainedAt(TopicPartition source, long offset) {
      try {
        OptionalLong lag = consumer.currentLag(source);
        if (lag.isEmpty() || lag.getAsLong() > 0) {
          return false;
        }
        // Known without a request: the partition's record was just fetched.
        long next = consumer.position(source, Duration.ZERO);
        return next - (offset + 1) <= MARKERS_AFTER_LAST;
      } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
        // No position (the partition is being reset, or was revoked): the interval will do.
        return false;
      }
    }
  }
}
