package io.lms.runtime;

import io.lms.topology.CommittedTransactions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each stream thread's transaction last ended, told by its producer: the stores of a thread
 * commit only after its transaction did ({@link CommittedTransactions}).
 */
final class TransactionOutcomes implements CommittedTransactions {
  private static final Logger log = LoggerFactory.getLogger(TransactionOutcomes.class);
  /** Kafka Streams names a stream thread's producer after the thread. */
  private static final String PRODUCER_SUFFIX = "-producer";

  enum Outcome {
    /** No transaction begun yet: nothing staged belongs to one. */
    NONE,
    OPEN,
    COMMITTED,
    /** The commit failed, or the transaction was aborted. */
    FAILED
  }

  /** By stream thread name; a thread that takes a dead one's name takes its entry with its new producer. */
  private final Map<String, Outcome> byThread = new ConcurrentHashMap<>();

  /** {@code producer}, watched if it is a stream thread's; Kafka Streams made it with {@code config}. */
  Producer<byte[], byte[]> watch(Map<String, Object> config, Producer<byte[], byte[]> producer) {
    if (config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null
        && config.get(ProducerConfig.CLIENT_ID_CONFIG) instanceof String clientId && clientId.endsWith(PRODUCER_SUFFIX)) {
      String thread = clientId.substring(0, clientId.length() - PRODUCER_SUFFIX.length());
      byThread.put(thread, Outcome.NONE);
      return new Watched(thread, producer);
    }
    return producer;
  }

  @Override
  public boolean mayCommitStores() {
    Outcome outcome = byThread.get(Thread.currentThread().getName());
    return outcome == null || outcome == Outcome.NONE || outcome == Outcome.COMMITTED;
  }

  /** A producer that records how its transactions end, and otherwise does as the one it wraps. */
  private final class Watched implements Producer<byte[], byte[]> {
    private final String thread;
    private final Producer<byte[], byte[]> producer;

    Watched(String thread, Producer<byte[], byte[]> producer) {
      this.thread = thread;
      this.producer = producer;
    }

    private void ended(Outcome outcome) {
      byThread.put(thread, outcome);
    }

    private void failed(RuntimeException e) {
      ended(Outcome.FAILED);
      log.warn("The transaction of {} did not commit ({}): its stores keep their last commit, and their changelogs"
          + " bring back whatever of it did", thread, e.toString());
    }

    @Override
    public void beginTransaction() {
      producer.beginTransaction();
      ended(Outcome.OPEN);
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
      try {
        producer.sendOffsetsToTransaction(offsets, groupMetadata);
      } catch (RuntimeException e) {
        failed(e);
        throw e;
      }
    }

    @Override
    public void commitTransaction() {
      try {
        producer.commitTransaction();
      } catch (RuntimeException e) {
        // A timeout leaves the outcome unknown: the stores keep their last commit all the same.
        failed(e);
        throw e;
      }
      ended(Outcome.COMMITTED);
    }

    @Override
    public void abortTransaction() {
      ended(Outcome.FAILED);
      producer.abortTransaction();
    }

    @Override
    public void initTransactions() {
      producer.initTransactions();
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
      return producer.send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
      return producer.send(record, callback);
    }

    @Override
    public void flush() {
      producer.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
      return producer.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
      return producer.metrics();
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
      producer.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
      producer.unregisterMetricFromSubscription(metric);
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
      return producer.clientInstanceId(timeout);
    }

    @Override
    public void close() {
      producer.close();
    }

    @Override
    public void close(Duration timeout) {
      producer.close(timeout);
    }
  }
}
