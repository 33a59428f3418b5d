package io.lms.query;

import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers from the local stores when this instance owns the org, and otherwise says who does
 * ({@link QueryResult.Elsewhere}) or that nobody can answer now ({@link QueryResult.Unavailable}).
 */
public final class RoutedLeadReader implements LeadReader {
  private final OwnerLocator locator;
  private final LeadReader local;

  public RoutedLeadReader(OwnerLocator locator, LeadReader local) {
    this.locator = locator;
    this.local = local;
  }

  private <T> QueryResult<T> route(String orgId, Supplier<QueryResult<T>> query) {
    OwnerLocator.Owner owner = locator.ownerOf(orgId);
    if (owner instanceof OwnerLocator.Owner.Remote remote) {
      return new QueryResult.Elsewhere<>(remote.host());
    }
    if (owner instanceof OwnerLocator.Owner.Unknown unknown) {
      return new QueryResult.Unavailable<>(unknown.reason());
    }
    return query.get();
  }

  @Override
  public QueryResult<LeadState> lead(String orgId, long leadId) {
    return route(orgId, () -> local.lead(orgId, leadId));
  }

  @Override
  public QueryResult<List<Reason>> reasons(String orgId) {
    return route(orgId, () -> local.reasons(orgId));
  }

  @Override
  public QueryResult<List<SubStatus>> subStatuses(String orgId) {
    return route(orgId, () -> local.subStatuses(orgId));
  }

  @Override
  public QueryResult<List<LeadState>> search(String orgId, LeadSearch search) {
    return route(orgId, () -> local.search(orgId, search));
  }

  @Override
  public QueryResult<List<LeadState>> dueFollowUps(String orgId, DueFollowUps query) {
    return route(orgId, () -> local.dueFollowUps(orgId, query));
  }
}
