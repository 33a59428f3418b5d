package io.lms.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How much of the load was answered outside the time each fault is allowed to cost: the liveness
 * floor of a chaos run. Exactly-once alone would pass a build that answered every request 503
 * while anything was wrong; the floor fails it.
 *
 * <p>A request counts where it was sent: inside a fault's {@link Window} it may fail, outside every
 * window it is expected to get an outcome (an HTTP answer other than 503, 409 or a time-out).
 */
final class Liveness {
  /** One request: when it was sent ({@link System#nanoTime()}) and whether it got an outcome. */
  record Sample(long sentNanos, boolean answered) {}

  /** The time a fault may cost, from its start to the end of its allowance ({@link System#nanoTime()}). */
  record Window(long fromNanos, long toNanos) {
    boolean contains(long nanos) {
      return nanos >= fromNanos && nanos <= toNanos;
    }
  }

  /**
   * Requests sent outside every window, how many of them got an outcome, and when those that got
   * none were sent ({@link System#nanoTime()}, in order).
   */
  record Tally(int outside, int answered, int inside, List<Long> missedNanos) {
    Tally {
      missedNanos = List.copyOf(missedNanos);
    }

    /** The share answered outside the windows; 1 when nothing was sent there. */
    double share() {
      return outside == 0 ? 1 : (double) answered / outside;
    }

    @Override
    public String toString() {
      return String.format("%d of %d answered outside the faults' windows (%.1f %%), %d sent inside them",
          answered, outside, 100 * share(), inside);
    }
  }

  private Liveness() {}

  static Tally tally(Collection<Sample> samples, List<Window> windows) {
    int outside = 0;
    int answered = 0;
    int inside = 0;
    List<Long> missed = new ArrayList<>();
    for (Sample sample : samples) {
      if (windows.stream().anyMatch(w -> w.contains(sample.sentNanos()))) {
        inside++;
      } else {
        outside++;
        if (sample.answered()) {
          answered++;
        } else {
          missed.add(sample.sentNanos());
        }
      }
    }
    missed.sort(null);
    return new Tally(outside, answered, inside, missed);
  }

  /**
   * When the requests without an outcome were sent, in seconds after {@code originNanos}, as runs
   * of requests less than a second apart: "101.2-103.9 s (41)". Where a run of misses lies beside
   * the faults says which fault took longer than its allowance.
   */
  static String missedRuns(Tally tally, long originNanos) {
    List<String> runs = new ArrayList<>();
    List<Long> missed = tally.missedNanos();
    int first = 0;
    for (int i = 1; i <= missed.size(); i++) {
      if (i == missed.size() || missed.get(i) - missed.get(i - 1) > 1_000_000_000L) {
        runs.add(String.format("%.1f-%.1f s (%d)", (missed.get(first) - originNanos) / 1e9,
            (missed.get(i - 1) - originNanos) / 1e9, i - first));
        first = i;
      }
    }
    return runs.isEmpty() ? "none" : String.join(", ", runs);
  }
}
