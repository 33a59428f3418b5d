package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.topology.CommandPartitionsChangedException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
  private final AtomicInteger partitionsNow = new AtomicInteger(6);
  private final StreamThreadFailures failures = new StreamThreadFailures("lms.lead-commands", 6, partitionsNow::get);

  @Test
  void aFailedThreadIsReplacedWhileTheCommandTopicKeepsItsPartitions() {
    assertThat(failures.handle(new StreamsException("broker gone"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void everyInstanceStopsWhenTheCommandTopicHasGrown() {
    partitionsNow.set(8);

    // as Kafka Streams' assignor refuses the changelogs of the old count
    assertThat(failures.handle(new StreamsException("Existing internal topic x-changelog has invalid partitions")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
  }

  @Test
  void everyInstanceStopsWhenATaskOfANewPartitionRefusedToStartEvenIfKafkaCannotTellTheCount() {
    partitionsNow.set(-1);
    var refused = new StreamsException("failed to initialize processor lead-command-router",
        new CommandPartitionsChangedException("Task 0_6 reads partition 6"));

    assertThat(failures.handle(refused)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
  }

  @Test
  void aThreadIsReplacedWhenKafkaCannotTellTheCount() {
    partitionsNow.set(-1);

    assertThat(failures.handle(new StreamsException("timeout"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }
}
