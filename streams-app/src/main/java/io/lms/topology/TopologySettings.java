package io.lms.topology;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * What the topology's behaviour depends on, beyond its topics.
 *
 * @param serverZone the zone of server-stamped times (lastUpdatedOn, a default createdOn)
 * @param autoRegisterCustomers whether an identifier never seen registers a new customer (else 92025)
 * @param autoCloseAfter when present, OPEN and ON_HOLD leads whose nextFollowUp is older than this
 *     become LOST with the AUTO_CLOSE reason
 * @param autoCloseInterval how often (wall-clock) the auto-close sweep runs
 * @param idempotencyRetention how long a commandId is remembered for de-duplication
 * @param commandPartitions the partitions of the command topic, which tell each org's partition:
 *     the state of an org lives in the task of that partition (see {@link CommandRouter})
 */
public record TopologySettings(
    ZoneId serverZone,
    boolean autoRegisterCustomers,
    Optional<Duration> autoCloseAfter,
    Duration autoCloseInterval,
    Duration idempotencyRetention,
    int commandPartitions) {

  public TopologySettings {
    Objects.requireNonNull(serverZone, "serverZone");
    Objects.requireNonNull(autoCloseAfter, "autoCloseAfter");
    Objects.requireNonNull(autoCloseInterval, "autoCloseInterval");
    Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
    if (autoCloseInterval.isNegative() || autoCloseInterval.isZero()) {
      throw new IllegalArgumentException("autoCloseInterval must be positive");
    }
    if (idempotencyRetention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("idempotencyRetention must be at least one minute");
    }
    if (commandPartitions < 1) {
      throw new IllegalArgumentException("commandPartitions must be positive");
    }
  }

  /** The defaults, for a command topic of one partition (as TopologyTestDriver has). */
  public static TopologySettings defaults() {
    return new TopologySettings(
        ZoneId.of("UTC"), true, Optional.empty(), Duration.ofMinutes(1), Duration.ofDays(7), 1);
  }

  /** These settings for a command topic of {@code partitions} partitions. */
  public TopologySettings withCommandPartitions(int partitions) {
    return new TopologySettings(
        serverZone, autoRegisterCustomers, autoCloseAfter, autoCloseInterval, idempotencyRetention, partitions);
  }
}
