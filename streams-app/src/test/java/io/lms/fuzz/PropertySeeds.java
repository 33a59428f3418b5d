package io.lms.fuzz;

import java.util.stream.LongStream;

/**
 * The seeds of the property tests: a fixed list in every build, so that a run is repeatable, or
 * the one given with {@code -Dlms.property.seed=N} to replay a failure (every failure message
 * names its seed).
 */
public final class PropertySeeds {
  public static final String PROPERTY = "lms.property.seed";

  private PropertySeeds() {}

  /** The seed from the command line if there is one, else these. */
  public static LongStream orDefaults(long... defaults) {
    String given = System.getProperty(PROPERTY);
    return given == null || given.isBlank() ? LongStream.of(defaults) : LongStream.of(Long.parseLong(given.trim()));
  }
}
