package io.lms.topology;

import java.util.Optional;

/**
 * The warning about commands moved away from one partition, at most once a minute: a producer that
 * partitions wrongly does so for every command, and one line a minute names the fix as well as a
 * line per command would.
 */
final class MovedCommandsWarning {
  static final long INTERVAL_MS = 60_000;

  private final int partition;
  private long lastWarnedMs;
  private boolean warned;
  private long movedSinceWarned;

  MovedCommandsWarning(int partition) {
    this.partition = partition;
  }

  /**
   * Counts a moved command.
   *
   * @return the warning to log, when the last one is a minute old or there was none
   */
  Optional<String> moved(String org, int toPartition, long nowMs) {
    movedSinceWarned++;
    if (warned && nowMs - lastWarnedMs < INTERVAL_MS) {
      return Optional.empty();
    }
    String message = String.format("Moved %d command(s) that arrived on partition %d of the command topic to"
            + " their org's partition (the last, of org %s, to partition %d): their producer does not partition by"
            + " Kafka's murmur2 of the org key. librdkafka clients (kcat, confluent-kafka for Python, Go and .NET,"
            + " node-rdkafka) need partitioner=murmur2_random (kcat: -X partitioner=murmur2_random); until then"
            + " each such command is written and read twice. At most one such warning a minute for this partition.",
        movedSinceWarned, partition, org, toPartition);
    warned = true;
    lastWarnedMs = nowMs;
    movedSinceWarned = 0;
    return Optional.of(message);
  }
}
