package io.lms.registry;

/** A schema registry refused a request of LMS or did not answer it; the message names the registry. */
public final class SchemaRegistryException extends RuntimeException {
  public SchemaRegistryException(String message) {
    super(message);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
