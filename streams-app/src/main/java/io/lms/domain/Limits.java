package io.lms.domain;

/**
 * Bounds on what one request may carry and one lead may hold, so that a single caller can neither
 * exhaust memory nor make a lead's state record grow without end.
 */
public final class Limits {
  public static final int MAX_TEXT = 255;
  public static final int MAX_NOTES = 2000;
  public static final int MAX_EXTENDED_FIELDS = 50;
  public static final int MAX_EXTENDED_FIELD_KEY = 64;
  public static final int MAX_EXTENDED_FIELD_VALUE = 1000;
  public static final int MAX_REASONS_PER_REQUEST = 100;
  public static final int MAX_FOLLOW_UPS_PER_LEAD = 200;
  public static final int MAX_STATUS_LOG_PER_LEAD = 200;

  private Limits() {}
}
