package io.lms.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what an app committed to a topic, with a {@code read_committed} consumer (records of
 * aborted transactions and the transaction markers are not counted). Run after the app stopped,
 * outside the timing, to check that the run did the work it was timed for.
 */
final class OutputCounter {
  private static final Duration POLL = Duration.ofMillis(500);

  private OutputCounter() {}

  /** The committed records of one topic and the bytes of their values. */
  record TopicCount(String topic, long records, long valueBytes) {
    double perCommand(long commands) {
      return commands == 0 ? 0 : (double) records / commands;
    }

    long averageValueBytes() {
      return records == 0 ? 0 : valueBytes / records;
    }
  }

  static TopicCount count(String bootstrap, String topic) {
    return count(bootstrap, topic, value -> {});
  }

  /** Counts {@code topic} from its start to its last stable offset, handing each value to {@code visitor}. */
  static TopicCount count(String bootstrap, String topic, Consumer<byte[]> visitor) {
    try (var consumer = new KafkaConsumer<>(consumerConfig(bootstrap), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long records = 0;
      long bytes = 0;
      while (!reachedEnd(consumer, ends)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          records++;
          if (record.value() != null) {
            bytes += record.value().length;
            visitor.accept(record.value());
          }
        }
      }
      return new TopicCount(topic, records, bytes);
    }
  }

  private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
    for (var end : ends.entrySet()) {
      if (consumer.position(end.getKey(), Duration.ofSeconds(30)) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Object> consumerConfig(String bootstrap) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
  }
}
