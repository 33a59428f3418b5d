package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.topology.LmsRocksDbConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ThroughputBenchmarkTest {
  @Test
  void everyAppGetsTheProducerAndStateStoreSettingsOfLms() {
    assertThat(ThroughputBenchmark.settingsOfEveryApp())
        .containsEntry("producer.compression.type", "lz4")
        .containsEntry("producer.batch.size", Integer.toString(256 * 1024))
        .containsEntry("rocksdb.config.setter", LmsRocksDbConfig.class.getName())
        .containsEntry("enable.transactional.statestores", "true")
        .allSatisfy((name, value) -> assertThat(name)
            .matches("producer\\..*|rocksdb\\.config\\.setter|enable\\.transactional\\.statestores"));
  }

  @Test
  void anOverrideWithoutValueLeavesKafkaStreamsDefault() {
    Properties props = new Properties();
    props.putAll(ThroughputBenchmark.settingsOfEveryApp());
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("rocksdb.config.setter", "");
    overrides.put("producer.compression.type", "none");
    ThroughputBenchmark.layOver(props, overrides);
    assertThat(props).doesNotContainKey("rocksdb.config.setter")
        .containsEntry("producer.compression.type", "none")
        .containsEntry("producer.batch.size", Integer.toString(256 * 1024));
  }
}
