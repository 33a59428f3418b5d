package io.lms.query;

import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.List;

/** The read side of LMS: what the HTTP layer asks of one org's data. */
public interface LeadReader {
  QueryResult<LeadState> lead(String orgId, long leadId);

  /** The org's reasons in id order. */
  QueryResult<List<Reason>> reasons(String orgId);

  /** The org's sub-statuses, by status then name. */
  QueryResult<List<SubStatus>> subStatuses(String orgId);

  QueryResult<List<LeadState>> search(String orgId, LeadSearch search);

  QueryResult<List<LeadState>> dueFollowUps(String orgId, DueFollowUps query);
}
