package io.lms.query;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The highest lead id of each org that this instance has seen committed on {@code
 * lms.command-results}, a source independent of its own stores. Lead ids are a dense per-org
 * sequence and a lead is never removed (deletion is a status), so a lead id at or below that
 * mark exists. A local store that does not hold it is behind its changelog (a task restored short
 * of it, or a zombie's view), and "not found" from it would be wrong: {@link LocalLeadReader}
 * answers "ask again" instead.
 *
 * <p>Right after its result, a lead is missing from the owner's store for a moment: a
 * transactional store applies a commit only after the Kafka transaction has committed. Only a lead
 * committed {@link #GRACE} ago or longer ({@link #settled}) tells of a store that is really behind.
 *
 * <p>Fed by the HTTP gateway's results consumer, which every instance runs over every partition
 * from the time it started; leads committed before that are not known here, and the check is then
 * only as strong as the store.
 */
public final class CommittedLeads {
  /** Longer than a store ever takes to show a commit ({@link ReadYourWrites#MAX_WAIT} waits less). */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final Map<String, Mark> marks = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public CommittedLeads() {
    this(System::nanoTime);
  }

  CommittedLeads(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * One org's marks: the highest lead id seen, and the highest seen {@link #GRACE} ago or longer.
   * The second moves in steps: the highest id when a step began becomes settled once the step is
   * {@link #GRACE} old, so it lags at most two graces behind.
   */
  private static final class Mark {
    private long highest;
    private long stepId;
    private long stepStartNanos;
    private long settled;

    synchronized void observe(long leadId, long now) {
      highest = Math.max(highest, leadId);
      advance(now);
    }

    synchronized long highest() {
      return highest;
    }

    synchronized long settled(long now) {
      advance(now);
      return settled;
    }

    private void advance(long now) {
      if (stepId > settled && now - stepStartNanos >= GRACE.toNanos()) {
        settled = stepId;
      }
      if (stepId <= settled && highest > settled) {
        stepId = highest;
        stepStartNanos = now;
      }
    }
  }

  /** Takes note of a result read from {@code lms.command-results} (read_committed). */
  public void observe(CommandResult result) {
    if (result.getOutcome() instanceof Accepted accepted && accepted.getLead() != null) {
      LeadState lead = accepted.getLead();
      marks.computeIfAbsent(lead.getOrgId(), org -> new Mark()).observe(lead.getId(), nanoClock.getAsLong());
    }
  }

  /** Whether lead {@code leadId} of {@code orgId} is known to exist. */
  public boolean exists(String orgId, long leadId) {
    Mark mark = marks.get(orgId);
    return leadId >= 1 && mark != null && leadId <= mark.highest();
  }

  /** Whether lead {@code leadId} of {@code orgId} is known to have existed for {@link #GRACE} at least. */
  public boolean settled(String orgId, long leadId) {
    Mark mark = marks.get(orgId);
    return leadId >= 1 && mark != null && leadId <= mark.settled(nanoClock.getAsLong());
  }
}
