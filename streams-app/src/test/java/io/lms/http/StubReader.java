package io.lms.http;

import io.lms.query.DueFollowUps;
import io.lms.query.LeadReader;
import io.lms.query.LeadSearch;
import io.lms.query.QueryResult;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.List;
import java.util.function.Function;

/** A reader whose every answer the test sets; it records the last org and search it was asked. */
final class StubReader implements LeadReader {
  volatile Function<Long, QueryResult<LeadState>> leads = id -> new QueryResult.NotFound<>();
  volatile QueryResult<List<Reason>> reasons = new QueryResult.Found<>(List.of());
  volatile QueryResult<List<SubStatus>> subStatuses = new QueryResult.Found<>(List.of());
  volatile QueryResult<List<LeadState>> searchResult = new QueryResult.Found<>(List.of());
  volatile String lastOrg;
  volatile LeadSearch lastSearch;
  volatile DueFollowUps lastDue;

  @Override
  public QueryResult<LeadState> lead(String orgId, long leadId) {
    lastOrg = orgId;
    return leads.apply(leadId);
  }

  @Override
  public QueryResult<List<Reason>> reasons(String orgId) {
    lastOrg = orgId;
    return reasons;
  }

  @Override
  public QueryResult<List<SubStatus>> subStatuses(String orgId) {
    lastOrg = orgId;
    return subStatuses;
  }

  @Override
  public QueryResult<List<LeadState>> search(String orgId, LeadSearch search) {
    lastOrg = orgId;
    lastSearch = search;
    return searchResult;
  }

  @Override
  public QueryResult<List<LeadState>> dueFollowUps(String orgId, DueFollowUps query) {
    lastOrg = orgId;
    lastDue = query;
    return searchResult;
  }
}
