package io.lms.topology;

/**
 * The command topic has more partitions than the state of LMS was built for. Orgs would move to
 * other partitions, away from their state: LMS stops rather than apply a command to an empty copy
 * of its org.
 */
public final class CommandPartitionsChangedException extends IllegalStateException {
  public CommandPartitionsChangedException(String message) {
    super(message);
  }
}
