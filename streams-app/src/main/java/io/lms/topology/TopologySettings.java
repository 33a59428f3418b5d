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
 */
public record TopologySettings(
    ZoneId serverZone,
    boolean autoRegisterCustomers,
    Optional<Duration> autoCloseAfter,
    Duration autoCloseInterval,
    Duration idempotencyRetention) {

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
  }

  public static TopologySettings defaults() {
    return new TopologySettings(
        ZoneId.of("UTC"), true, Optional.empty(), Duration.ofMinutes(1), Duration.ofDays(7));
  }
}
