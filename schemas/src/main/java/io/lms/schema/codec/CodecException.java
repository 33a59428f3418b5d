package io.lms.schema.codec;

/** Bytes that are not a valid single-object encoded LMS record, or a record that cannot be encoded. */
public final class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
