package io.lms.bench;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where the stream thread's time went, from the Kafka clients' own cumulative metrics: how long it
 * was blocked on Kafka (polling, flushing the producer, committing the transaction), and of that
 * how long the producer spent in flush and transaction commit. Two snapshots, at the start and the
 * end of the timed part, give the split of its wall time; what is not blocked is processing
 * (decoding, the processor, the stores, encoding, compression) and GC pauses.
 *
 * @param blockedNanos stream-thread-metrics blocked-time-ns-total
 * @param flushNanos producer-metrics flush-time-ns-total (waiting for every sent record's ack)
 * @param txnCommitNanos producer-metrics txn-commit-time-ns-total
 * @param sendOffsetsNanos producer-metrics txn-send-offsets-time-ns-total
 * @param bufferWaitNanos producer-metrics bufferpool-wait-time-ns-total (send blocked on a full buffer)
 */
record ThreadTimes(long blockedNanos, long flushNanos, long txnCommitNanos, long sendOffsetsNanos,
    long bufferWaitNanos) {

  static ThreadTimes of(Map<MetricName, ? extends Metric> metrics) {
    return new ThreadTimes(
        sum(metrics, "stream-thread-metrics", "blocked-time-ns-total"),
        sum(metrics, "producer-metrics", "flush-time-ns-total"),
        sum(metrics, "producer-metrics", "txn-commit-time-ns-total"),
        sum(metrics, "producer-metrics", "txn-send-offsets-time-ns-total"),
        sum(metrics, "producer-metrics", "bufferpool-wait-time-ns-total"));
  }

  ThreadTimes minus(ThreadTimes earlier) {
    return new ThreadTimes(blockedNanos - earlier.blockedNanos, flushNanos - earlier.flushNanos,
        txnCommitNanos - earlier.txnCommitNanos, sendOffsetsNanos - earlier.sendOffsetsNanos,
        bufferWaitNanos - earlier.bufferWaitNanos);
  }

  /** One line: each time as a share of the threads' {@code wallNanos} (the metrics sum over threads). */
  String describe(long wallNanos, int threads) {
    wallNanos *= threads;
    return String.format(
        (threads == 1 ? "stream thread" : "stream threads") + " blocked on Kafka %.0f%% of the time (of which producer flush %.0f%%, transaction commit"
            + " %.0f%%, sending offsets %.0f%%, waiting for buffer %.0f%%); the rest is processing and GC",
        share(blockedNanos, wallNanos), share(flushNanos, wallNanos), share(txnCommitNanos, wallNanos),
        share(sendOffsetsNanos, wallNanos), share(bufferWaitNanos, wallNanos));
  }

  private static double share(long nanos, long wallNanos) {
    return wallNanos <= 0 ? 0 : 100.0 * nanos / wallNanos;
  }

  private static long sum(Map<MetricName, ? extends Metric> metrics, String group, String name) {
    double total = 0;
    for (var entry : metrics.entrySet()) {
      if (entry.getKey().group().equals(group) && entry.getKey().name().equals(name)
          && entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
        total += value.doubleValue();
      }
    }
    return (long) total;
  }
}
