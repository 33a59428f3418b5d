package io.micrometer.core.instrument.binder.kafka;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Micrometer's {@link KafkaStreamsMetrics} without the state-store metrics of Kafka Streams.
 *
 * <p>Kafka Streams 4.4 registers a gauge of each transactional store's uncommitted bytes that reads
 * the store's RocksDB write batch in native code. Micrometer reads every metric from a thread of its
 * own, when the set of metrics changes (at every rebalance, while tasks close their stores) and at
 * every scrape; a read of a write batch its task has just closed crashed an instance with SIGSEGV in
 * {@code WriteBatch.getDataSize} (found by the long chaos run). Store metrics are left out here, so
 * that nothing outside the stream threads ever reads a store.
 *
 * <p>In Micrometer's package because the constructor that takes a supplier of metrics is package
 * private: {@link KafkaStreamsMetrics} offers no way to choose the metrics.
 */
public final class KafkaStreamsMetricsWithoutStores extends KafkaMetrics {
  /** The group of Kafka Streams' state-store metrics. */
  static final String STORE_GROUP = "stream-state-metrics";

  public KafkaStreamsMetricsWithoutStores(KafkaStreams streams) {
    this(streams::metrics);
  }

  KafkaStreamsMetricsWithoutStores(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    super(() -> withoutStores(metrics.get()));
  }

  static Map<MetricName, ? extends Metric> withoutStores(Map<MetricName, ? extends Metric> metrics) {
    return metrics.entrySet().stream()
        .filter(e -> !STORE_GROUP.equals(e.getKey().group()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
