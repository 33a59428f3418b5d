package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.topology.LmsRocksDbConfig;
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
}
