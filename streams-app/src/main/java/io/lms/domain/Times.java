package io.lms.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The API's date-times: ISO-8601 with an offset ({@code 2018-10-05T08:00:00+05:30}). A time the
 * caller sent keeps the caller's offset; a time the server stamps is written in the server's zone.
 */
public final class Times {
  private static final DateTimeFormatter OUTPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private Times() {}

  /**
   * Parses a caller's date-time, requiring an offset.
   *
   * @return the time in the caller's offset, or null when {@code text} is null
   * @throws Rejection 93005 when the text is not an ISO-8601 date-time with offset
   */
  public static OffsetDateTime parse(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new Rejection(ErrorCode.INVALID_DATE_TIME, field, CommandHandler.abbreviated(text));
    }
  }

  /** The caller's time, normalised to second precision in the caller's offset. */
  public static String format(OffsetDateTime time) {
    return time == null ? null : OUTPUT.format(time);
  }

  /** A server-stamped time, written in the server's zone. */
  public static String format(Instant instant, ZoneId zone) {
    return OUTPUT.format(OffsetDateTime.ofInstant(instant, zone));
  }

  /** Parses a time that LMS itself wrote (always valid), to its instant. */
  public static Instant instantOf(String stored) {
    return OffsetDateTime.parse(stored, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }
}
