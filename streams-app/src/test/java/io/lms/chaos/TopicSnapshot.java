package io.lms.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything a topic holds up to its end now, partition by partition in offset order, read with
 * no consumer group. With read_committed the end is the last stable offset: what an open
 * transaction wrote is not there.
 */
record TopicSnapshot(String topic, Map<Integer, List<ConsumerRecord<String, byte[]>>> partitions) {
  static TopicSnapshot read(String bootstrapServers, String topic, boolean readCommitted) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> assigned = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .sorted(Comparator.comparingInt(TopicPartition::partition))
          .toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(30));
      Map<Integer, List<ConsumerRecord<String, byte[]>>> records = new HashMap<>();
      assigned.forEach(p -> records.put(p.partition(), new ArrayList<>()));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!reachedEnd(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + ends + " in 120 s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() < ends.get(new TopicPartition(topic, record.partition()))) {
            records.get(record.partition()).add(record);
          }
        }
      }
      return new TopicSnapshot(topic, records);
    }
  }

  private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
    Set<TopicPartition> assigned = consumer.assignment();
    return assigned.stream().allMatch(p -> consumer.position(p, Duration.ofSeconds(30)) >= ends.get(p));
  }

  List<ConsumerRecord<String, byte[]>> all() {
    return partitions.keySet().stream().sorted().flatMap(p -> partitions.get(p).stream()).toList();
  }

  int size() {
    return partitions.values().stream().mapToInt(List::size).sum();
  }
}
