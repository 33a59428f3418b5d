package io.lms.bench;

import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SingleObjectCodec;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills an input topic before its app starts, the way an upstream system would: keyed by org, the
 * command in single-object Avro, with an idempotent producer and {@code acks=all}, so no command
 * is lost or doubled (the count of commands is what the benchmark waits for).
 *
 * <p>One request in flight: on this broker a partition that {@code describeTopics} already shows
 * with a leader can still answer NOT_LEADER_OR_FOLLOWER for a moment. With several requests in
 * flight, a later batch of the producer could then land first, and the retried first batch was
 * refused for ever with OutOfOrderSequenceException (seen here, after TopicProvisioner had waited
 * for the leaders). With one in flight the retry goes before anything that follows it.
 */
final class InputFiller {
  private InputFiller() {}

  /** What was produced. */
  record Filled(long records, long valueBytes, CommandMix.Counts mix) {}

  /**
   * Produces the first {@code count} commands of {@code new CommandMix(seed, orgs)} to {@code topic}
   * and returns once every one is acknowledged. The topic's partitions must have leaders already.
   */
  static Filled fill(String bootstrap, String topic, long seed, int orgs, long count) {
    var codec = SingleObjectCodec.of(LeadCommand.class);
    var mix = new CommandMix(seed, orgs);
    var failure = new AtomicReference<Exception>();
    long bytes = 0;
    try (var producer = new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < count && failure.get() == null; i++) {
        LeadCommand command = mix.next();
        byte[] value = codec.encode(command);
        bytes += value.length;
        producer.send(new ProducerRecord<>(topic, command.getOrgId(), value), (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Pre-filling " + topic + " failed: " + failure.get(), failure.get());
    }
    return new Filled(count, bytes, mix.counts());
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
  }
}
