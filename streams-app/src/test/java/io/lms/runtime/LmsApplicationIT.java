package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.query.PauseGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmsApplicationIT {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  @TempDir Path tempDir;

  @Test
  void startsOnTheEmbeddedBrokerStopsCleanlyAndRestartsOnItsData() throws Exception {
    LmsConfig config =
        LmsConfig.parse(
            Map.of(),
            Map.of(
                "LMS_EMBEDDED_PORT", "0",
                "LMS_EMBEDDED_DATA_DIR", tempDir.resolve("kafka").toString(),
                "LMS_STATE_DIR", tempDir.resolve("state").toString(),
                "LMS_PARTITIONS", "2"));

    // given a first run that reached RUNNING and was closed
    var first = new LmsApplication(config);
    try {
      first.start();
      assertThat(first.awaitRunning(STARTUP)).isTrue();
      assertThat(first.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      // What PauseGuard waits on after a pause: a rebalance count for every stream thread.
      assertThat(PauseGuard.completedRebalances(first.streams()))
          .hasSize(first.streams().metadataForLocalThreads().size())
          .allSatisfy((client, rebalances) -> assertThat(rebalances).isGreaterThanOrEqualTo(1.0));
      try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains(config.topics().commands().name(), config.topics().deadLetter());
      }
    } finally {
      first.close();
    }
    assertThat(first.awaitStopped()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    try (var stateFiles = Files.list(tempDir.resolve("state"))) {
      assertThat(stateFiles).isNotEmpty();
    }

    // when it starts again on the same directories, then it runs again: quickly, because the
    // first run left the group instead of making this one wait out a session timeout
    long restartNanos = System.nanoTime();
    try (var second = new LmsApplication(config)) {
      second.start();
      assertThat(second.awaitRunning(STARTUP)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - restartNanos)).isLessThan(Duration.ofSeconds(30));
    }
  }
}
