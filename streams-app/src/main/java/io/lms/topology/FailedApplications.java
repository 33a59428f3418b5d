package io.lms.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many times each command failed part-way on this instance, shared by the stream threads and
 * the threads that replace them. A command that fails part-way again and again (a value no
 * serializer takes, a store that refuses it) would otherwise stop its partition for ever: after
 * {@link #ATTEMPTS} it is sent to the dead-letter topic before it writes anything. Only commands
 * that failed are counted, and a command given up stays counted (a few bytes each) until the
 * instance stops.
 */
final class FailedApplications {
  static final int ATTEMPTS = 2;

  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  /** Counts one more failure of the command at {@code origin}. */
  void failed(String origin) {
    failures.merge(origin, 1, Integer::sum);
  }

  /** Whether the command at {@code origin} failed part-way {@link #ATTEMPTS} times. */
  boolean givenUp(String origin) {
    return failures.getOrDefault(origin, 0) >= ATTEMPTS;
  }

  /** Forgets the command at {@code origin}: it was applied. */
  void forget(String origin) {
    failures.remove(origin);
  }

  boolean isEmpty() {
    return failures.isEmpty();
  }
}
