package io.lms.http;

import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.domain.Times;
import io.lms.query.DueFollowUps;
import io.lms.query.LeadSearch;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the query strings of the search and due-follow-ups endpoints, refusing what they do not take. */
final class QueryParameters {
  private static final Set<String> SEARCH = Set.of(
      "type", "status", "substatus", "subStatus", "userId", "owner", "orgSourceId", "offset", "limit", "sortBy",
      "sortOrder");
  private static final Set<String> DUE = Set.of("from", "to", "owner", "offset", "limit");
  /** Without {@code to}, the list runs to a day from now: what is due today, and everything overdue. */
  private static final Duration DEFAULT_DUE_HORIZON = Duration.ofDays(1);

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,19}");

  private QueryParameters() {}

  static LeadSearch search(Map<String, List<String>> query) {
    Params p = new Params(query, SEARCH);
    Optional<LeadType> type = p.text("type").filter(t -> !t.equalsIgnoreCase("ALL")).map(t -> {
      try {
        return LeadType.valueOf(t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Rejection(ErrorCode.INVALID_LEAD_TYPE);
      }
    });
    Optional<LeadStatus> status = p.text("status").map(s -> {
      try {
        return LeadStatus.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Rejection(ErrorCode.INVALID_LEAD_STATUS, s.length() > 64 ? s.substring(0, 64) : s);
      }
    });
    Optional<String> subStatus = p.text("substatus").or(() -> p.text("subStatus"));
    LeadSearch.SortBy sortBy = p.text("sortBy").map(s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "createdon" -> LeadSearch.SortBy.CREATED_ON;
      case "lastupdatedon" -> LeadSearch.SortBy.LAST_UPDATED_ON;
      default -> throw new Rejection(ErrorCode.INVALID_VALUE, "sortBy", "createdOn or lastUpdatedOn");
    }).orElse(LeadSearch.SortBy.CREATED_ON);
    LeadSearch.SortOrder sortOrder = p.text("sortOrder").map(s -> switch (s.toUpperCase(Locale.ROOT)) {
      case "ASC" -> LeadSearch.SortOrder.ASC;
      case "DESC" -> LeadSearch.SortOrder.DESC;
      default -> throw new Rejection(ErrorCode.INVALID_VALUE, "sortOrder", "ASC or DESC");
    }).orElse(LeadSearch.SortOrder.DESC);
    return new LeadSearch(type, status, subStatus, p.number("userId"), p.text("owner"), p.number("orgSourceId"),
        p.number("offset").map(o -> nonNegative("offset", o)).orElse(0L), limit(p), sortBy, sortOrder);
  }

  static DueFollowUps dueFollowUps(Map<String, List<String>> query, Instant now) {
    Params p = new Params(query, DUE);
    Instant from = p.text("from").map(t -> Times.parse("from", t)).map(OffsetDateTime::toInstant).orElse(Instant.EPOCH);
    Instant to = p.text("to").map(t -> Times.parse("to", t)).map(OffsetDateTime::toInstant)
        .orElse(now.plus(DEFAULT_DUE_HORIZON));
    if (!from.isBefore(to)) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "from", "must be before to");
    }
    long offset = p.number("offset").map(o -> nonNegative("offset", o)).orElse(0L);
    if (offset > DueFollowUps.MAX_OFFSET) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "offset", "at most " + DueFollowUps.MAX_OFFSET);
    }
    return new DueFollowUps(from, to, p.text("owner"), (int) offset, limit(p));
  }

  /**
   * A whole number in ASCII digits. {@link Long#parseLong} alone also reads other scripts' digits
   * ({@code \u0661} is 1), which would make {@code /v2/leads/\u0661} another name of lead 1.
   *
   * @throws NumberFormatException when the text is not one, or does not fit a long
   */
  static long wholeNumber(String text) {
    if (!WHOLE_NUMBER.matcher(text).matches()) {
      throw new NumberFormatException("not a whole number in ASCII digits");
    }
    return Long.parseLong(text);
  }

  private static int limit(Params p) {
    long limit = p.number("limit").orElse((long) LeadSearch.DEFAULT_LIMIT);
    if (limit > LeadSearch.MAX_LIMIT) {
      throw new Rejection(ErrorCode.LIMIT_TOO_LARGE, limit, LeadSearch.MAX_LIMIT);
    }
    if (limit < 1) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "limit", "at least 1");
    }
    return (int) limit;
  }

  private static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new Rejection(ErrorCode.INVALID_VALUE, name, "must not be negative");
    }
    return value;
  }

  private record Params(Map<String, List<String>> query, Set<String> allowed) {
    Params {
      for (String name : query.keySet()) {
        if (!allowed.contains(name)) {
          throw new Rejection(ErrorCode.UNKNOWN_FIELD, name.length() > 64 ? name.substring(0, 61) + "..." : name);
        }
      }
    }

    Optional<String> text(String name) {
      List<String> values = query.get(name);
      if (values == null || values.isEmpty()) {
        return Optional.empty();
      }
      if (values.size() > 1) {
        throw new Rejection(ErrorCode.INVALID_VALUE, name, "given more than once");
      }
      String value = values.get(0).trim();
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    Optional<Long> number(String name) {
      return text(name).map(text -> {
        try {
          return wholeNumber(text);
        } catch (NumberFormatException e) {
          throw new Rejection(ErrorCode.INVALID_VALUE, name, "expected a whole number");
        }
      });
    }
  }
}
