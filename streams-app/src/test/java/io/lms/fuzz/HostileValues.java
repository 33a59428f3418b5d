package io.lms.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.List;

/**
 * Field values as a careless or hostile caller sends them, for commands and request bodies alike:
 * absent, a value the rules accept (so that some inputs get through and change state), a near
 * miss, an extreme (Long.MIN_VALUE, year 999999999, 2,000 characters) or arbitrary Unicode.
 *
 * <p>Each value is read from the fuzzer's input: the choice of kind and small numbers from its end,
 * text from its front (as {@link FuzzedDataProvider} does). {@link SeedEncoder} writes inputs that
 * read back as values chosen on purpose.
 */
public final class HostileValues {
  public static final List<String> NEAR_MISSES = List.of(
      "OPEN", "won", " LOST ", "ON_HOLD", "DELETED", "MAYBE", "SKU", "brand", "CUSTOM", "ALL", "EMAIL", "mobile",
      "SMS", "Fresh", "Gone", "fresh", "sam", "ann.lee@example.com", "bad owner!", "+1 555 0100", "a@example.com",
      "A@EXAMPLE.COM", "2026-12-01T10:00:00+05:30", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00",
      "2026-13-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00", "-999999999-01-01T00:00:00+18:00",
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "", " ", "\u0000",
      "null", "-1", "92001", "../../etc/passwd", "acme/00000000000000000001", "~", "\uD800", "e\u0301");
  public static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  public static final String ALPHANUMERIC = ALPHA + "0123456789";
  private static final String BLANKS = " \t\n\u00a0\u2028\u3000";
  /** Kinds of text, weighted: 3 absent, 4 near misses, 2 arbitrary Unicode, 1 blank, 1 too long. */
  private static final int NULL_TEXT = 2;
  private static final int LAST_TEXT = 10;

  private HostileValues() {}

  /** A text field: absent, a value the rules know (or nearly), arbitrary Unicode, blank, or too long. */
  public static String text(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, LAST_TEXT);
    return kind <= NULL_TEXT ? null : presentText(data, kind);
  }

  /** As {@link #text}, never absent: for JSON strings and query values. */
  public static String presentText(FuzzedDataProvider data) {
    return presentText(data, data.consumeInt(NULL_TEXT + 1, LAST_TEXT));
  }

  private static String presentText(FuzzedDataProvider data, int kind) {
    if (kind <= 6) {
      return data.pickValue(NEAR_MISSES);
    }
    if (kind <= 8) {
      return data.consumeString(30);
    }
    if (kind == 9) {
      return chars(data, BLANKS, 0, 4);
    }
    return longAscii(data, 254, 2001);
  }

  /** A whole-number field: absent, a small id that may exist, or any long (MIN_VALUE, -1, 0 and MAX_VALUE among them). */
  public static Long number(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 8);
    if (kind <= 2) {
      return null;
    }
    return kind <= 6 ? data.consumeLong(-2, 6) : data.consumeLong();
  }

  /** Between min and max characters, each from the alphabet: one input byte per character. */
  public static String chars(FuzzedDataProvider data, String alphabet, int min, int max) {
    int length = data.consumeInt(min, max);
    byte[] raw = data.consumeBytes(length);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      // Past the end of the input, the first character: the length is kept even then.
      text.append(alphabet.charAt(i < raw.length ? (raw[i] & 0xFF) % alphabet.length() : 0));
    }
    return text.toString();
  }

  /** ASCII of a length between min and max: as much as the input gives, then 'x' up to the length. */
  public static String longAscii(FuzzedDataProvider data, int min, int max) {
    int length = data.consumeInt(min, max);
    String head = data.consumeAsciiString(length);
    return head + "x".repeat(length - head.length());
  }
}
