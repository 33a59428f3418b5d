package io.lms.runtime;

import io.lms.topology.DrainedInput;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
 * <p>Commits after drained partitions group themselves: a commit is a few round trips to the
 * broker (about 11 ms measured on 2 cores: the producer's flush 6, its offsets 4, the commit 2),
 * and the commands that arrive meanwhile are applied together after it, with one commit at the
 * end. So the rate of commits stays below one per commit's duration whatever the rate of
 * commands, and a command never waits for more than the commit in progress and its own.
 *
 * <p>Only the classic group protocol takes its main consumer from here: under
 * {@code group.protocol=streams} Kafka Streams makes its own, and commits come at the commit
 * interval alone.
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

  /** By stream thread name; each consumer used by its own thread alone. */
  private final Map<String, Consumer<byte[], byte[]>> byThread = new ConcurrentHashMap<>();
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;

  public MainConsumers() {
    this(config -> new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /** Clients whose consumers {@code consumers} makes (for tests). */
  MainConsumers(Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
    this.consumers = consumers;
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

  /** True when nothing after {@code offset} was fetched or is known to exist. */
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
      // Known without a request: the partition's record was just fetched.
      long next = consumer.position(source, Duration.ZERO);
      return next - (offset + 1) <= MARKERS_AFTER_LAST;
    } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
      // No position (the partition is being reset, or was revoked): the interval will do.
      return false;
    }
  }
}
