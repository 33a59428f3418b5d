package io.lms.domain;

import io.lms.schema.CommandResult;
import io.lms.schema.Customer;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one command decided: its result, the events it emits, and the state it writes. A rejected
 * command has no events and no writes.
 *
 * @param result the command's result; empty for what the service does by itself (auto-close)
 * @param lead the lead's new state, when the command changed a lead
 * @param newReasons reasons created
 * @param newSubStatus a sub-status created
 * @param newCustomer a customer registered
 * @param sequences the org's sequences, when any id was handed out
 */
public record Decision(
    Optional<CommandResult> result,
    List<LeadEvent> events,
    Optional<LeadState> lead,
    List<Reason> newReasons,
    Optional<SubStatus> newSubStatus,
    Optional<Customer> newCustomer,
    Optional<OrgSequences> sequences) {

  public Decision {
    events = List.copyOf(events);
    newReasons = List.copyOf(newReasons);
  }

  public static Decision rejected(CommandResult result) {
    return new Decision(
        Optional.of(result), List.of(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether the lead this decision writes is a new one (its events include LeadCreated). */
  public boolean createsLead() {
    return events.stream().anyMatch(event -> event.getPayload() instanceof LeadCreated);
  }

  public boolean accepted() {
    return result.map(r -> r.getOutcome() instanceof io.lms.schema.Accepted).orElse(true);
  }
}
