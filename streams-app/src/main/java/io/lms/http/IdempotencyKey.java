package io.lms.http;

import io.lms.domain.CommandIds;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;

/**
 * Reads the {@code Idempotency-Key} header as clients send it. The IETF httpapi draft makes it a
 * Structured Field string, so a conforming client sends {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}
 * with the quotes; most clients (Stripe's among them) send the bare key. Both name one key: the
 * quotes, and the draft's {@code \"} and {@code \\} escapes inside them, are taken off. What is left
 * must be a valid commandId ({@link CommandIds}).
 */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";

  private IdempotencyKey() {}

  /** The commandId a header value names, or a {@link Rejection} that says what is allowed. */
  public static String commandId(String header) {
    // A value that starts with a quote is a quoted string, or nothing: no bare key starts with one.
    String key = header.startsWith("\"") ? unquoted(header) : header;
    if (key == null || !CommandIds.isValid(key)) {
      throw new Rejection(ErrorCode.INVALID_VALUE, HEADER, CommandIds.RULE
          + ", bare or as a quoted string (\"...\")");
    }
    return key;
  }

  /** An sf-string's content, or null when the value is not one. */
  private static String unquoted(String value) {
    var key = new StringBuilder(value.length());
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        return i == value.length() - 1 ? key.toString() : null;
      }
      if (c == '\\') {
        if (++i == value.length() || (value.charAt(i) != '"' && value.charAt(i) != '\\')) {
          return null;
        }
        c = value.charAt(i);
      }
      key.append(c);
    }
    return null; // no closing quote
  }
}
