package io.lms.query;

import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import java.util.Optional;

/**
 * A search of one org's leads, with every parameter of the Leads v2 search endpoint.
 *
 * @param type the lead type; empty for {@code type=ALL} or no type given
 * @param status only leads in this status; when empty, DELETED leads are left out
 * @param offset only leads created after the {@code offset}-th lead of the org (lead id &gt; offset)
 * @param limit at most this many leads (1 to {@link #MAX_LIMIT})
 */
public record LeadSearch(
    Optional<LeadType> type,
    Optional<LeadStatus> status,
    Optional<String> subStatus,
    Optional<Long> userId,
    Optional<String> owner,
    Optional<Long> orgSourceId,
    long offset,
    int limit,
    SortBy sortBy,
    SortOrder sortOrder) {

  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;

  public enum SortBy {
    /** The org's creation sequence (lead id). */
    CREATED_ON,
    LAST_UPDATED_ON
  }

  public enum SortOrder {
    ASC,
    DESC
  }

  public LeadSearch {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
  }

  /** Everything in the org but DELETED leads, newest first, the default page size. */
  public static LeadSearch all() {
    return new LeadSearch(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), 0, DEFAULT_LIMIT, SortBy.CREATED_ON, SortOrder.DESC);
  }
}
