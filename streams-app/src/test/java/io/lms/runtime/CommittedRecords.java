package io.lms.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a topic holds for a read_committed consumer, as the tests of upstream producers read it. */
final class CommittedRecords {
  private CommittedRecords() {}

  /**
   * Reads {@code topic} from its start until {@code expected} records came or 60 s passed, and
   * returns what came: a test that expects more fails on the count, not on a timeout.
   */
  static <V> List<ConsumerRecord<String, V>> read(String bootstrap, String topic, Function<byte[], V> decode, int expected) {
    return read(bootstrap, topic, decode, expected, Duration.ofSeconds(60));
  }

  /** As {@link #read(String, String, Function, int)}, waiting at most {@code timeout}. */
  static <V> List<ConsumerRecord<String, V>> read(
      String bootstrap, String topic, Function<byte[], V> decode, int expected, Duration timeout) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime()), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
              r.serializedKeySize(), r.serializedValueSize(), r.key(), decode.apply(r.value()), r.headers(), r.leaderEpoch()));
        }
      }
      return records;
    }
  }

  /** Reads all of {@code topic} that is committed now, without waiting for more. */
  static <V> List<ConsumerRecord<String, V>> readToEnd(String bootstrap, String topic, Function<byte[], V> decode) {
    try (KafkaConsumer<String, byte[]> consumer = fromStart(bootstrap, topic, IsolationLevel.READ_COMMITTED)) {
      List<TopicPartition> partitions = List.copyOf(consumer.assignment());
      // For read_committed the end is the last stable offset: what is committed now.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
              r.serializedKeySize(), r.serializedValueSize(), r.key(), decode.apply(r.value()), r.headers(), r.leaderEpoch()));
        }
      }
      return records;
    }
  }

  /**
   * A consumer of every partition of {@code topic} from its start, at {@code isolation} (a test
   * that must see records before they commit reads {@code READ_UNCOMMITTED}).
   */
  static KafkaConsumer<String, byte[]> fromStart(String bootstrap, String topic, IsolationLevel isolation) {
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
