package io.lms.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    String trimmed = text.trim();
    OffsetDateTime canonical = parseCanonical(trimmed);
    if (canonical != null) {
      return canonical;
    }
    try {
      return OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
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
    OffsetDateTime canonical = parseCanonical(stored);
    return (canonical != null ? canonical : OffsetDateTime.parse(stored, DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .toInstant();
  }

  /**
   * The common shapes, {@code 2018-10-05T08:00:00+05:30} and {@code 2018-10-05T08:00:00Z} (every
   * time LMS writes, and most that callers send), read without the general formatter, which was a
   * measurable share of the command processor's time. Null for any other text, which then takes the
   * general (and stricter-reporting) path: so both paths accept and refuse exactly the same texts.
   */
  static OffsetDateTime parseCanonical(String text) {
    int length = text.length();
    if ((length != 20 && length != 25)
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    ZoneOffset offset;
    char sign = text.charAt(19);
    if (length == 20) {
      if (sign != 'Z') {
        return null;
      }
      offset = ZoneOffset.UTC;
    } else {
      int offsetHours = digits(text, 20, 2);
      int offsetMinutes = digits(text, 23, 2);
      if ((sign != '+' && sign != '-') || text.charAt(22) != ':' || (offsetHours | offsetMinutes) < 0) {
        return null;
      }
      int signum = sign == '+' ? 1 : -1;
      try {
        offset = ZoneOffset.ofHoursMinutes(signum * offsetHours, signum * offsetMinutes);
      } catch (DateTimeException e) {
        return null;
      }
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, 0, offset);
    } catch (DateTimeException e) {
      return null; // out of range (month 13, 30 February): the general path reports it
    }
  }

  /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
