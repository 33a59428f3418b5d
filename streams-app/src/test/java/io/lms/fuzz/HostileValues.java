package io.lms.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Field values as a careless or hostile caller sends them, for commands and request bodies alike:
 * absent, a value the rules accept (so that some inputs get through and change state), a near
 * miss, an extreme (Long.MIN_VALUE, year 999999999, 2,000 characters) or arbitrary Unicode.
 */
public final class HostileValues {
  public static final List<String> NEAR_MISSES = List.of(
      "OPEN", "won", " LOST ", "ON_HOLD", "DELETED", "MAYBE", "SKU", "brand", "CUSTOM", "ALL", "EMAIL", "mobile",
      "SMS", "Fresh", "Gone", "fresh", "sam", "ann.lee@example.com", "bad owner!", "+1 555 0100", "a@example.com",
      "A@EXAMPLE.COM", "2026-12-01T10:00:00+05:30", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00",
      "2026-13-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00", "-999999999-01-01T00:00:00+18:00",
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "", " ", "\u0000",
      "null", "-1", "92001", "../../etc/passwd", "acme/00000000000000000001", "~", "\uD800", "e\u0301");

  private HostileValues() {}

  /** A text field: absent, a value the rules know (or nearly), arbitrary Unicode, blank, or too long. */
  public static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.just(null)),
        weighted(4, Arbitraries.of(NEAR_MISSES)),
        weighted(2, Arbitraries.strings().all().ofMaxLength(30)),
        weighted(1, Arbitraries.strings().withChars(" \t\n\u00a0\u2028\u3000").ofMaxLength(4)),
        weighted(1, Arbitraries.strings().ascii().ofMinLength(254).ofMaxLength(2001)));
  }

  /** A whole-number field: absent, a small id that may exist, or any long (MIN_VALUE, -1, 0 and MAX_VALUE among them). */
  public static Arbitrary<Long> number() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.just(null)),
        weighted(4, Arbitraries.longs().between(-2, 6)),
        weighted(2, Arbitraries.longs()));
  }

  /** One choice of {@code Arbitraries.frequencyOf}, typed so that the compiler infers the mix. */
  public static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<? extends T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
