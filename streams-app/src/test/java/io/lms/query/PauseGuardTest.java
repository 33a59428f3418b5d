package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PauseGuardTest {
  private static final Duration PAUSE = Duration.ofSeconds(8);
  private static final Duration GRACE = Duration.ofSeconds(10);

  private long now = 1_000_000_000L;
  private final Map<String, Double> rebalances = new HashMap<>(Map.of("thread-1", 1.0, "thread-2", 1.0));
  private final PauseGuard guard = new PauseGuard(() -> now, () -> Map.copyOf(rebalances), PAUSE, GRACE);

  private void runFor(Duration duration) {
    // The watchdog ticking as it does while the JVM runs.
    for (long left = duration.toMillis(); left > 0; left -= PauseGuard.TICK.toMillis()) {
      advance(PauseGuard.TICK);
      guard.tick();
    }
  }

  private void advance(Duration duration) {
    now += duration.toNanos();
  }

  /** The JVM stops for {@code duration}; then the watchdog runs again. */
  private void standStill(Duration duration) {
    advance(duration);
    guard.tick();
  }

  @Test
  void trustsItsStoresWhileTheJvmRuns() {
    runFor(Duration.ofMinutes(2));

    assertThat(guard.distrust()).isEmpty();
  }

  @Test
  void aStopShorterThanAPauseChangesNothing() {
    standStill(PAUSE.minusMillis(1));

    assertThat(guard.distrust()).isEmpty();
  }

  @Test
  void aRequestHandledBeforeTheWatchdogWakesSeesThePauseItself() {
    advance(PAUSE.plusSeconds(5));

    assertThat(guard.distrust()).get().asString().contains("just resumed after standing still for 13000 ms");
  }

  @Test
  void afterAPauseDistrustsItsStoresUntilEveryThreadHasRejoined() {
    standStill(PAUSE.plusSeconds(5));
    assertThat(guard.distrust()).get().asString().contains("stood still for 13000 ms");

    rebalances.put("thread-1", 2.0);
    runFor(Duration.ofSeconds(1));
    assertThat(guard.distrust()).as("one thread still on its old assignment").isPresent();

    rebalances.put("thread-2", 2.0);
    assertThat(guard.distrust()).isEmpty();
    rebalances.put("thread-2", 1.0);
    assertThat(guard.distrust()).as("confirmed once, trusted until the next pause").isEmpty();
  }

  @Test
  void aThreadReplacedSinceThePauseHasNothingToConfirm() {
    standStill(PAUSE.plusSeconds(5));

    rebalances.remove("thread-2");
    rebalances.put("thread-3", 1.0);
    rebalances.put("thread-1", 2.0);

    assertThat(guard.distrust()).isEmpty();
  }

  @Test
  void withoutARebalanceTrustsItsStoresAgainAfterTheGrace() {
    standStill(PAUSE.plusSeconds(1));

    runFor(GRACE.minusMillis(200));
    assertThat(guard.distrust()).isPresent();
    runFor(Duration.ofMillis(200));
    assertThat(guard.distrust()).isEmpty();
  }

  @Test
  void aSecondPauseNeedsItsOwnRejoin() {
    standStill(PAUSE.plusSeconds(1));
    rebalances.replaceAll((thread, count) -> count + 1);
    assertThat(guard.distrust()).isEmpty();

    standStill(PAUSE.plusSeconds(1));

    assertThat(guard.distrust()).isPresent();
  }
}
