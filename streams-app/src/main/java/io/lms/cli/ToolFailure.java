package io.lms.cli;

/**
 * A tool could not do its job for a reason the operator can act on (no such topic, Kafka not
 * reachable): its message is printed as it stands, without a stack trace, and the exit code is 1.
 */
final class ToolFailure extends RuntimeException {
  ToolFailure(String message) {
    super(message, null, false, false);
  }
}
