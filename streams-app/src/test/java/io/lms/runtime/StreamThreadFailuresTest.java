package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.topology.CommandPartitionsChangedException;
import io.lms.topology.HalfAppliedCommandException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
  private final AtomicInteger partitionsNow = new AtomicInteger(6);
  private final List<Thread> replaced = new ArrayList<>();
  private final StreamThreadFailures failures =
      new StreamThreadFailures("lms.lead-commands", 6, partitionsNow::get, replaced::add);

  @Test
  void aFailedThreadIsReplacedWhileTheCommandTopicKeepsItsPartitions() {
    assertThat(failures.handle(new StreamsException("broker gone"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(replaced).as("told which thread goes, so that its group member can be removed")
        .containsExactly(Thread.currentThread());
  }

  @Test
  void aCommandThatFailedPartWayReplacesItsThread() {
    var aborted = new StreamsException("Failed to process stream task 0_1", new HalfAppliedCommandException(
        "the command at lms.lead-commands-1@7", 3, new IllegalStateException("disk full")));

    assertThat(failures.handle(aborted)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(replaced).containsExactly(Thread.currentThread());
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
    assertThat(replaced).isEmpty();
  }

  @Test
  void theMemberOfAStreamThreadIsTheInstanceIdAndTheThreadIndex() {
    var members = new ReplacedThreadMembers(() -> {
      throw new AssertionError("no Admin needed");
    }, "lms", "10.0.0.7-8080");

    assertThat(members.memberOf(new Thread(() -> {}, "lms-2f0c6c3e-0e0f-4d4e-9a35-1f1bca39c1a5-StreamThread-12")))
        .isEqualTo("10.0.0.7-8080-12");
  }

  @Test
  void aThreadIsReplacedWhenKafkaCannotTellTheCount() {
    partitionsNow.set(-1);

    assertThat(failures.handle(new StreamsException("timeout"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }
}
