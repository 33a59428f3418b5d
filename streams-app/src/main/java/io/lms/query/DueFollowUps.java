package io.lms.query;

import java.time.Instant;
import java.util.Optional;

/**
 * The due-follow-ups list: OPEN and ON_HOLD leads whose nextFollowUp falls in [from, to), earliest
 * first, optionally only one owner's.
 */
public record DueFollowUps(Instant from, Instant to, Optional<String> owner, int offset, int limit) {
  public static final int MAX_OFFSET = 10_000;

  public DueFollowUps {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    if (limit < 1 || limit > LeadSearch.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + LeadSearch.MAX_LIMIT + ": " + limit);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be 0 to " + MAX_OFFSET + ": " + offset);
    }
  }
}
