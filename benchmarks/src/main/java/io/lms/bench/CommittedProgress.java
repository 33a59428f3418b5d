package io.lms.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many input records an app has processed and committed: the sum of its consumer group's
 * committed offsets on the input topic. Under exactly-once the offsets commit in the same
 * transaction as the outputs of those records, so when they reach the end of the input, the last
 * output is committed too. The input topic is written without transactions, so offsets count
 * records one for one.
 */
final class CommittedProgress {
  /** Well under the 100 ms commit interval, so a commit is seen at most this late. */
  static final Duration POLL = Duration.ofMillis(20);

  /** One look at the group: how many records were committed, and when it was seen (nanoTime). */
  record Observation(long committed, long nanos) {}

  private final Admin admin;
  private final String groupId;
  private final String inputTopic;
  private final BooleanSupplier failed;

  /**
   * @param failed true once the app has failed, to stop waiting at once
   */
  CommittedProgress(Admin admin, String groupId, String inputTopic, BooleanSupplier failed) {
    this.admin = admin;
    this.groupId = groupId;
    this.inputTopic = inputTopic;
    this.failed = failed;
  }

  /**
   * Waits until at least {@code target} records are committed.
   *
   * @param stallTimeout how long the count may stay unchanged before the run is declared stuck
   * @param progress called with the count about every 10 s, for the console
   */
  Observation awaitAtLeast(long target, Duration stallTimeout, LongConsumer progress)
      throws InterruptedException {
    long lastChange = System.nanoTime();
    long lastReport = lastChange;
    long last = -1;
    while (true) {
      long committed = committed();
      long now = System.nanoTime();
      if (committed >= target) {
        return new Observation(committed, now);
      }
      if (failed.getAsBoolean()) {
        throw new IllegalStateException("the app failed after " + committed + " committed records");
      }
      if (committed != last) {
        last = committed;
        lastChange = now;
      } else if (now - lastChange > stallTimeout.toNanos()) {
        throw new IllegalStateException(
            "no progress for " + stallTimeout.toSeconds() + " s at " + committed + " of " + target + " records");
      }
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = now;
        progress.accept(committed);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  long committed() throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // The group coordinator may not be loaded yet right after the app starts.
      return 0;
    }
    long sum = 0;
    for (var entry : offsets.entrySet()) {
      if (entry.getKey().topic().equals(inputTopic) && entry.getValue() != null) {
        sum += entry.getValue().offset();
      }
    }
    return sum;
  }
}
