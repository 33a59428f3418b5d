package io.lms.query;

import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import java.util.Optional;

/** Builds a {@link LeadSearch} the way the HTTP layer would from query parameters; defaults as in the API. */
final class Search {
  private Optional<LeadType> type = Optional.empty();
  private Optional<LeadStatus> status = Optional.empty();
  private Optional<String> subStatus = Optional.empty();
  private Optional<Long> userId = Optional.empty();
  private Optional<String> owner = Optional.empty();
  private Optional<Long> orgSourceId = Optional.empty();
  private long offset;
  private int limit = LeadSearch.DEFAULT_LIMIT;
  private SortBy sortBy = SortBy.CREATED_ON;
  private SortOrder sortOrder = SortOrder.DESC;

  static Search leads() {
    return new Search();
  }

  Search type(LeadType value) {
    type = Optional.of(value);
    return this;
  }

  Search status(LeadStatus value) {
    status = Optional.of(value);
    return this;
  }

  Search subStatus(String value) {
    subStatus = Optional.of(value);
    return this;
  }

  Search userId(long value) {
    userId = Optional.of(value);
    return this;
  }

  Search owner(String value) {
    owner = Optional.of(value);
    return this;
  }

  Search orgSourceId(long value) {
    orgSourceId = Optional.of(value);
    return this;
  }

  Search offset(long value) {
    offset = value;
    return this;
  }

  Search limit(int value) {
    limit = value;
    return this;
  }

  Search byCreatedOn(SortOrder order) {
    sortBy = SortBy.CREATED_ON;
    sortOrder = order;
    return this;
  }

  Search byLastUpdatedOn(SortOrder order) {
    sortBy = SortBy.LAST_UPDATED_ON;
    sortOrder = order;
    return this;
  }

  LeadSearch build() {
    return new LeadSearch(type, status, subStatus, userId, owner, orgSourceId, offset, limit, sortBy, sortOrder);
  }
}
