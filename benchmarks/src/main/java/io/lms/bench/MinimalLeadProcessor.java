package io.lms.bench;

import io.lms.domain.Times;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CreateLead;
import io.lms.schema.FollowUp;
import io.lms.schema.FollowedUp;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.schema.LeadUpdated;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.StatusChanged;
import io.lms.schema.StatusLogEntry;
import io.lms.topology.StoreKeys;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per command: one get of the lead (an Avro {@link LeadState} of about 800 bytes) keyed by org and
 * lead id, one put of its new version, one {@link LeadEvent} out. No validation, no indexes, no
 * idempotency: the least a lead processor can do.
 *
 * <p>The new version changes what the command asks for but appends no history, so the value stays
 * the size it was created with. Lead ids of creations come from a per-org counter in memory: the
 * same ids LMS hands out for the benchmark's command mix, where every creation is accepted.
 */
final class MinimalLeadProcessor implements Processor<String, LeadCommand, String, LeadEvent> {
  private final Map<String, Long> lastLeadIds = new HashMap<>();
  private ProcessorContext<String, LeadEvent> context;
  private KeyValueStore<String, LeadState> leads;

  @Override
  public void init(ProcessorContext<String, LeadEvent> context) {
    this.context = context;
    this.leads = context.getStateStore(MinimalLeadTopology.STORE);
  }

  @Override
  public void process(Record<String, LeadCommand> record) {
    LeadCommand command = record.value();
    String org = command.getOrgId();
    Object payload = command.getPayload();
    long leadId = leadIdOf(org, payload);
    String key = StoreKeys.lead(org, leadId);
    String now = Times.format(command.getIssuedAt(), ZoneOffset.UTC);

    LeadState current = leads.get(key);
    LeadState next;
    Object change;
    if (current == null) {
      next = created(command, leadId, now);
      change = new LeadCreated(next);
    } else {
      next = LeadState.newBuilder(current)
          .setLastUpdatedOn(now)
          .setLastUpdatedBy(command.getActorId())
          .setLastUpdatedAtMillis(command.getIssuedAt().toEpochMilli())
          .build();
      change = changed(command, current, next, now);
    }
    leads.put(key, next);
    context.forward(record.withKey(org).withValue(new LeadEvent(
        command.getCommandId() + "/0", command.getCommandId(), org, leadId, command.getActorId(),
        command.getIssuedAt(), change)));
  }

  private long leadIdOf(String org, Object payload) {
    if (payload instanceof CreateLead) {
      return lastLeadIds.merge(org, 1L, Long::sum);
    }
    if (payload instanceof ChangeStatus c && c.getLeadId() != null) {
      return c.getLeadId();
    }
    if (payload instanceof RecordFollowUp r && r.getLeadId() != null) {
      return r.getLeadId();
    }
    return 0L; // org-level commands (reasons, sub-statuses) touch the org's own record
  }

  private static LeadState created(LeadCommand command, long leadId, String now) {
    var lead = LeadState.newBuilder()
        .setOrgId(command.getOrgId())
        .setId(leadId)
        .setUserId(0L)
        .setType(LeadType.SKU)
        .setLeadFor("-")
        .setStatus(LeadStatus.OPEN)
        .setCreatedOn(now)
        .setCreatedBy(command.getActorId())
        .setLastUpdatedOn(now)
        .setLastUpdatedBy(command.getActorId())
        .setLastUpdatedAtMillis(command.getIssuedAt().toEpochMilli())
        .setFollowUpDetails(new ArrayList<>())
        .setStatusLogDetails(new ArrayList<>());
    if (command.getPayload() instanceof CreateLead c) {
      lead.setType(c.getType() == null ? LeadType.SKU : LeadType.valueOf(c.getType()))
          .setLeadFor(c.getLeadFor())
          .setStatus(c.getStatus() == null ? LeadStatus.OPEN : LeadStatus.valueOf(c.getStatus()))
          .setSubStatus(c.getSubStatus())
          .setNextFollowUp(c.getNextFollowUp())
          .setOwner(c.getOwner())
          .setExtendedFields(c.getExtendedFields());
    }
    return lead.build();
  }

  private static Object changed(LeadCommand command, LeadState current, LeadState next, String now) {
    if (command.getPayload() instanceof ChangeStatus c) {
      LeadStatus status = LeadStatus.valueOf(c.getStatus());
      next.setStatus(status);
      next.setSubStatus(c.getSubStatus());
      return new StatusChanged(current.getStatus(), new StatusLogEntry(
          0L, next.getUserId(), next.getId(), status, command.getActorId(), now, c.getReasonId(), null,
          c.getSubStatus()));
    }
    if (command.getPayload() instanceof RecordFollowUp r) {
      next.setLastFollowUp(r.getFollowedUpOn());
      next.setNextFollowUp(r.getNextFollowUp());
      return new FollowedUp(new FollowUp(
          0L, next.getUserId(), next.getId(), r.getNotes(), command.getActorId(), now, r.getFollowedUpBy(),
          r.getFollowedUpOn(), r.getScheduledFollowUp(), r.getNextFollowUp()), r.getNextFollowUp());
    }
    return new LeadUpdated(null, null);
  }
}
