package io.lms.command.json;

/**
 * JSON that is no command envelope at all: not a JSON object, a field the envelope does not have,
 * or no {@code commandId} or {@code org} that a result could be addressed to.
 */
public final class InvalidCommandEnvelopeException extends RuntimeException {
  public InvalidCommandEnvelopeException(String message) {
    super(message);
  }
}
