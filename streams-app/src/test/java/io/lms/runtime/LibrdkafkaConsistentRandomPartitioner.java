package io.lms.runtime;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * librdkafka's default partitioner, {@code consistent_random}: the CRC32 of the key bytes modulo the
 * partitions, a random partition for a null or empty key. kcat, confluent-kafka for Python, Go and
 * .NET, and node-rdkafka partition so unless configured with {@code partitioner=murmur2_random}:
 * a Java producer with this class places records as they do.
 */
public final class LibrdkafkaConsistentRandomPartitioner implements Partitioner {
  /** The partition librdkafka picks for a key. */
  static int partitionOf(byte[] key, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(key);
    return (int) (crc.getValue() % partitions);
  }

  @Override
  public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    int partitions = cluster.partitionCountForTopic(topic);
    if (keyBytes == null || keyBytes.length == 0) {
      return ThreadLocalRandom.current().nextInt(partitions);
    }
    return partitionOf(keyBytes, partitions);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
