package io.lms.query;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance may answer from its own stores after the JVM stood still.
 *
 * <p>A process that stops for about a session timeout or longer (SIGSTOP, a stalled VM, a long GC
 * pause) is dropped from the consumer group, and its tasks move to instances that go on writing.
 * When it runs again, each of its stream threads still believes in the old assignment until it
 * hears otherwise: its next transaction is fenced, or its next heartbeat is answered "unknown
 * member" and its next poll gives the tasks up. That took 1.6 s in a run of {@code
 * FrozenInstanceIT}. An interactive query answered in that window reads stores that lack
 * everything written meanwhile: a 404 for a lead that exists, a lead as it was. Kafka Streams
 * gives no way to tell; this guard does.
 *
 * <p>A watchdog thread ticks every {@link #TICK}. A gap between two ticks longer than the session
 * timeout less one heartbeat interval (the shortest stop that can cost the membership) is a pause.
 * From then on local answers are refused, so that the caller gets a 503 and asks again, until the
 * consumer of every stream thread has completed a rebalance after the pause, or for one session
 * timeout at most: a thread that has not rejoined by then was never dropped. A request handled
 * before the watchdog has run again sees the gap itself.
 */
public final class PauseGuard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PauseGuard.class);

  static final Duration TICK = Duration.ofMillis(100);
  /** Never take a stop shorter than this for a pause, whatever the group's timeouts. */
  static final Duration MIN_PAUSE = Duration.ofSeconds(1);

  /** A pause, and each stream thread's count of completed rebalances when it ended. */
  private record Pause(long lengthNanos, long endedAtNanos, Map<String, Double> rebalancesAtEnd) {}

  private final LongSupplier nanoClock;
  private final Supplier<Map<String, Double>> rebalances;
  private final long pauseNanos;
  private final long graceNanos;
  private final AtomicReference<Pause> unconfirmed = new AtomicReference<>();
  private volatile long lastTickNanos;
  private volatile Thread watchdog;

  /**
   * @param rebalances completed rebalances per stream thread consumer, by client id
   * @param pause the shortest stop that counts as a pause
   * @param grace how long after a pause local answers stay refused at most
   */
  PauseGuard(LongSupplier nanoClock, Supplier<Map<String, Double>> rebalances, Duration pause, Duration grace) {
    this.nanoClock = nanoClock;
    this.rebalances = rebalances;
    this.pauseNanos = pause.toNanos();
    this.graceNanos = grace.toNanos();
    this.lastTickNanos = nanoClock.getAsLong();
  }

  /**
   * A guard for {@code streams}, with the session timeout and heartbeat interval its main
   * consumers run with according to {@code streamsProperties}. Call {@link #start()} to run it.
   */
  public static PauseGuard forStreams(KafkaStreams streams, Properties streamsProperties) {
    Map<String, Object> consumer = new StreamsConfig(streamsProperties).getMainConsumerConfigs("lms", "lms", 0);
    Duration session = Duration.ofMillis(millisSetting(consumer, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    Duration heartbeat = Duration.ofMillis(millisSetting(consumer, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    Duration pause = session.minus(heartbeat);
    return new PauseGuard(System::nanoTime, () -> completedRebalances(streams),
        pause.compareTo(MIN_PAUSE) < 0 ? MIN_PAUSE : pause, session);
  }

  /** A consumer setting as configured, else the consumer's own default. */
  private static long millisSetting(Map<String, Object> config, String name) {
    Object value = config.getOrDefault(name, ConsumerConfig.configDef().defaultValues().get(name));
    return Long.parseLong(value.toString());
  }

  /**
   * Completed rebalances of each stream thread's main consumer, from the consumer's own metric
   * (the restore consumers belong to no group and have none).
   */
  public static Map<String, Double> completedRebalances(KafkaStreams streams) {
    Map<String, Double> counts = new HashMap<>();
    streams.metrics().forEach((name, metric) -> {
      if (name.name().equals("rebalance-total") && name.group().equals("consumer-coordinator-metrics")
          && metric.metricValue() instanceof Double count) {
        counts.put(name.tags().getOrDefault("client-id", name.toString()), count);
      }
    });
    return counts;
  }

  public synchronized PauseGuard start() {
    if (watchdog == null) {
      lastTickNanos = nanoClock.getAsLong();
      watchdog = new Thread(this::watch, "lms-pause-guard");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    return this;
  }

  private void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      tick();
    }
  }

  /** One step of the watchdog: a gap since the last one longer than a pause is one. */
  void tick() {
    long now = nanoClock.getAsLong();
    long gap = now - lastTickNanos;
    if (gap > pauseNanos) {
      // Counted before anything else runs: a rebalance must complete after this to confirm.
      unconfirmed.set(new Pause(gap, now, rebalances.get()));
      log.warn("This JVM stood still for {} ms, long enough to be dropped from the consumer group: "
          + "local reads answer 503 until every stream thread has rejoined it, for {} s at most",
          TimeUnit.NANOSECONDS.toMillis(gap), TimeUnit.NANOSECONDS.toSeconds(graceNanos));
    }
    lastTickNanos = now;
  }

  /** Why the local stores must not answer now, or empty when they may. */
  public Optional<String> distrust() {
    long now = nanoClock.getAsLong();
    long sinceTick = now - lastTickNanos;
    if (sinceTick > pauseNanos) {
      return Optional.of("this instance has just resumed after standing still for "
          + TimeUnit.NANOSECONDS.toMillis(sinceTick) + " ms; its tasks may have moved");
    }
    Pause pause = unconfirmed.get();
    if (pause == null) {
      return Optional.empty();
    }
    boolean rejoined = rejoinedSince(pause);
    if (rejoined || now - pause.endedAtNanos() >= graceNanos) {
      if (unconfirmed.compareAndSet(pause, null)) {
        log.info("Local reads answer again, {} ms after the pause: {}",
            TimeUnit.NANOSECONDS.toMillis(now - pause.endedAtNanos()),
            rejoined ? "every stream thread has rejoined the group" : "no stream thread was dropped");
      }
      return Optional.empty();
    }
    return Optional.of("this instance stood still for " + TimeUnit.NANOSECONDS.toMillis(pause.lengthNanos())
        + " ms and may have lost its tasks; its stream threads are rejoining the group");
  }

  private boolean rejoinedSince(Pause pause) {
    Map<String, Double> now = rebalances.get();
    for (Map.Entry<String, Double> before : pause.rebalancesAtEnd().entrySet()) {
      Double after = now.get(before.getKey());
      // A thread gone since (replaced after a failure) has nothing left to confirm.
      if (after != null && after <= before.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    if (watchdog != null) {
      watchdog.interrupt();
      watchdog = null;
    }
  }
}
