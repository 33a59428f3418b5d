package io.lms.query;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest lead id of each org that this instance has seen committed on {@code
 * lms.command-results}, a source independent of its own stores. Lead ids are a dense per-org
 * sequence and a lead is never removed (deletion is a status), so a lead id at or below that
 * mark exists. A local store that does not hold it is behind its changelog (a task restored short
 * of it, or a zombie's view), and "not found" from it would be wrong: {@link LocalLeadReader}
 * answers "ask again" instead.
 *
 * <p>Fed by the HTTP gateway's results consumer, which every instance runs over every partition
 * from the time it started; leads committed before that are not known here, and the check is then
 * only as strong as the store.
 */
public final class CommittedLeads {
  private final Map<String, Long> highestLeadId = new ConcurrentHashMap<>();

  /** Takes note of a result read from {@code lms.command-results} (read_committed). */
  public void observe(CommandResult result) {
    if (result.getOutcome() instanceof Accepted accepted && accepted.getLead() != null) {
      LeadState lead = accepted.getLead();
      highestLeadId.merge(lead.getOrgId(), lead.getId(), Math::max);
    }
  }

  /** Whether lead {@code leadId} of {@code orgId} is known to exist. */
  public boolean exists(String orgId, long leadId) {
    return leadId >= 1 && leadId <= highestLeadId.getOrDefault(orgId, 0L);
  }
}
