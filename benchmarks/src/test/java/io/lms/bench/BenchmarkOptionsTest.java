package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.bench.BenchmarkOptions.App;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void defaultsMeasureAMillionCommandsOfAThousandOrgsOnSixPartitions() {
    var options = BenchmarkOptions.parse();

    assertThat(options.commands()).isEqualTo(1_000_000);
    assertThat(options.warmup()).isEqualTo(200_000);
    assertThat(options.jvmWarmup()).isEqualTo(200_000);
    assertThat(options.orgs()).isEqualTo(1_000);
    assertThat(options.partitions()).isEqualTo(6);
    assertThat(options.apps()).containsExactly(App.PASS_THROUGH, App.MINIMAL, App.FULL);
    assertThat(options.rounds()).isEqualTo(1);
    assertThat(options.verify()).isTrue();
    assertThat(options.boundedRocksDb()).isFalse();
  }

  @Test
  void theSingleOrgRunIsOneOrgOnOnePartition() {
    var options = BenchmarkOptions.parse("--orgs", "1", "--partitions", "1", "--commands", "300,000");

    assertThat(options.orgs()).isEqualTo(1);
    assertThat(options.partitions()).isEqualTo(1);
    assertThat(options.commands()).isEqualTo(300_000);
    assertThat(options.warmup()).isEqualTo(60_000);
  }

  @Test
  void givesEveryAppTheSameThreads() {
    assertThat(BenchmarkOptions.parse().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(BenchmarkOptions.parse("--threads", "2").threads()).isEqualTo(2);
    assertThatThrownBy(() -> BenchmarkOptions.parse("--threads", "0")).hasMessageContaining("--threads");
  }

  @Test
  void takesAppsOverridesAndAnExplicitWarmup() {
    var options = BenchmarkOptions.parse("--apps", "full,minimal", "--warmup", "1000",
        "--full-property", "statestore.cache.max.bytes=0", "--rounds", "3", "--no-verify", "--bounded-rocksdb",
        "--reference-property", "rocksdb.config.setter=x.Y");

    assertThat(options.apps()).containsExactly(App.FULL, App.MINIMAL);
    assertThat(options.warmup()).isEqualTo(1_000);
    assertThat(options.fullOverrides()).isEqualTo(Map.of("statestore.cache.max.bytes", "0"));
    assertThat(options.referenceOverrides()).isEqualTo(Map.of("rocksdb.config.setter", "x.Y"));
    assertThat(options.rounds()).isEqualTo(3);
    assertThat(options.verify()).isFalse();
    assertThat(options.boundedRocksDb()).isTrue();
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    assertThatThrownBy(() -> BenchmarkOptions.parse("--comands", "5")).hasMessageContaining("--comands");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--commands")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--commands", "lots")).hasMessageContaining("number");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--apps", "fast")).hasMessageContaining("fast");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--warmup", "0")).hasMessageContaining("--warmup");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--jvm-warmup", "-1")).hasMessageContaining("--jvm-warmup");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--full-property", "x")).hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> BenchmarkOptions.parse("--reference-property", "=y")).hasMessageContaining("KEY=VALUE");
    assertThat(List.of(App.values())).hasSize(4);
  }
}
