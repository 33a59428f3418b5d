package io.lms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimesTest {
  private static final Pattern COMMON_SHAPE =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)");

  @Test
  void readsTheCommonShapesWithoutTheFormatter() {
    assertEquals(OffsetDateTime.of(2018, 10, 5, 8, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)),
        Times.parseCanonical("2018-10-05T08:00:00+05:30"));
    assertEquals(OffsetDateTime.of(2018, 10, 5, 8, 0, 0, 0, ZoneOffset.UTC),
        Times.parseCanonical("2018-10-05T08:00:00Z"));
    assertEquals(ZoneOffset.ofHoursMinutes(0, -30), Times.parseCanonical("2018-10-05T08:00:00-00:30").getOffset());
  }

  @Test
  void leavesEveryOtherShapeToTheFormatter() {
    assertNull(Times.parseCanonical("2018-10-05T08:00:00.5+05:30"));
    assertNull(Times.parseCanonical("2018-10-05T08:00+05:30"));
    assertNull(Times.parseCanonical("2018-02-30T08:00:00Z"));
    assertNull(Times.parseCanonical("2018-10-05T08:00:00+19:00"));
    assertEquals(OffsetDateTime.of(2018, 10, 5, 8, 0, 0, 500_000_000, ZoneOffset.UTC),
        Times.parse("createdOn", "2018-10-05T08:00:00.5Z"));
  }

  @Test
  void refusesWhatTheFormatterRefuses() {
    Rejection rejection = assertThrows(Rejection.class, () -> Times.parse("createdOn", "2018-02-30T08:00:00Z"));
    assertEquals(ErrorCode.INVALID_DATE_TIME.code(), rejection.errors().get(0).getCode());
  }

  /** Texts near the common shapes, valid and not: the fast path agrees with the formatter on each. */
  @Test
  void agreesWithTheFormatterOnNearMisses() {
    Random random = new Random(7);
    String alphabet = "0123456789-:+TZ x";
    int fastlyRead = 0;
    for (int i = 0; i < 200_000; i++) {
      char[] text = (random.nextBoolean() ? "2024-02-29T23:59:59+05:30" : "1999-12-31T00:00:00Z").toCharArray();
      for (int mutations = random.nextInt(3); mutations > 0; mutations--) {
        text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String candidate = new String(text);
      OffsetDateTime fast = Times.parseCanonical(candidate);
      OffsetDateTime general;
      try {
        general = OffsetDateTime.parse(candidate, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        general = null;
      }
      if (fast != null) {
        fastlyRead++;
        assertEquals(general, fast, candidate);
      } else if (general != null && COMMON_SHAPE.matcher(candidate).matches()) {
        fail("the fast path left a common shape to the formatter: " + candidate);
      }
    }
    assertTrue(fastlyRead > 1_000, "too few candidates took the fast path: " + fastlyRead);
  }
}
