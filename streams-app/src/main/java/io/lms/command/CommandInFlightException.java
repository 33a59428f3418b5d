package io.lms.command;

/**
 * A command was submitted while one with the same org and commandId still awaits its result here.
 * The IETF httpapi draft on Idempotency-Key answers such a request 409: the first one's outcome is
 * not known yet, and sending the command a second time would only race it.
 */
public final class CommandInFlightException extends RuntimeException {
  public CommandInFlightException(String commandId) {
    super("command " + commandId + " is still in progress", null, false, false);
  }
}
