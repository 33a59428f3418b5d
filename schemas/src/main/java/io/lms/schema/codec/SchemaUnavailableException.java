package io.lms.schema.codec;

/**
 * The writer's schema of a record could not be asked of the schema registry now (it did not answer,
 * or answered with an error of its own). Unlike {@link CodecException}, the record is not at fault:
 * reading it again later may succeed.
 */
public final class SchemaUnavailableException extends RuntimeException {
  public SchemaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
