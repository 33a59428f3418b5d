package io.lms.chaos;

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

  /** Requests sent outside every window, and how many of them got an outcome. */
  record Tally(int outside, int answered, int inside) {
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
    for (Sample sample : samples) {
      if (windows.stream().anyMatch(w -> w.contains(sample.sentNanos()))) {
        inside++;
      } else {
        outside++;
        if (sample.answered()) {
          answered++;
        }
      }
    }
    return new Tally(outside, answered, inside);
  }
}
