package io.micrometer.core.instrument.binder.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaStreamsMetricsWithoutStoresTest {
  @Test
  void storeMetricsAreNeverReadNorBoundAndTheOthersAre() {
    AtomicInteger storeReads = new AtomicInteger();
    MetricName committed = new MetricName("commit-total", "stream-thread-metrics", "", Map.of("thread-id", "t-1"));
    MetricName uncommitted = new MetricName("uncommitted-bytes", KafkaStreamsMetricsWithoutStores.STORE_GROUP, "",
        Map.of("task-id", "0_1", "rocksdb-state-id", "leads-store"));
    Map<MetricName, Metric> metrics = Map.of(
        committed, metric(committed, () -> 7.0),
        uncommitted, metric(uncommitted, () -> {
          storeReads.incrementAndGet();
          return 1.0;
        }));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (var binder = new KafkaStreamsMetricsWithoutStores(() -> metrics)) {
      binder.bindTo(registry);
      registry.getMeters().forEach(meter -> meter.measure().forEach(m -> m.getValue()));

      assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
          .anyMatch(name -> name.contains("commit.total"))
          .noneMatch(name -> name.contains("uncommitted"));
      assertThat(storeReads).hasValue(0);
    }
  }

  private static Metric metric(MetricName name, java.util.function.Supplier<Double> value) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return name;
      }

      @Override
      public Object metricValue() {
        return value.get();
      }
    };
  }
}
