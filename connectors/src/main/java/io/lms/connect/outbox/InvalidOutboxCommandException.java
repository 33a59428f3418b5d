package io.lms.connect.outbox;

/** An outbox payload that is not a command LMS could take: the row is never sent to LMS. */
public final class InvalidOutboxCommandException extends RuntimeException {
  public InvalidOutboxCommandException(String message) {
    super(message);
  }
}
