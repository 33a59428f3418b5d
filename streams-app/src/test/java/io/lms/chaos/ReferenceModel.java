package io.lms.chaos;

import io.lms.domain.CommandHandler;
import io.lms.domain.Decision;
import io.lms.domain.StateView;
import io.lms.schema.CommandResult;
import io.lms.schema.Customer;
import io.lms.schema.IdType;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What LMS should hold after a command stream, computed without Kafka: the domain's
 * {@link CommandHandler} over plain maps, fed the commands in the order the topology saw them
 * (per org, the command topic's offset order). Like the topology, it answers a repeated commandId
 * with its first result and changes nothing.
 *
 * <p>Results carry the time they were processed, which only the topology knows: the model stamps
 * {@link #PROCESSED_AT}, and comparisons replace the topology's time with it.
 */
final class ReferenceModel implements StateView {
  static final Instant PROCESSED_AT = Instant.EPOCH;

  private final CommandHandler handler = new CommandHandler(ZoneOffset.UTC, true);
  private final Map<String, LeadState> leads = new HashMap<>();
  private final Map<String, Reason> reasons = new HashMap<>();
  private final Map<String, SubStatus> subStatuses = new HashMap<>();
  private final Map<String, Customer> customers = new HashMap<>();
  private final Map<String, Long> identifiers = new HashMap<>();
  private final Map<String, OrgSequences> sequences = new HashMap<>();
  private final Map<String, CommandResult> firstResults = new HashMap<>();
  private final Map<String, List<LeadEvent>> events = new TreeMap<>();
  private final Map<String, List<CommandResult>> results = new TreeMap<>();

  /** Applies one command that arrived with {@code key}; returns the result the topology must emit. */
  CommandResult apply(String key, LeadCommand command) {
    String idKey = command.getOrgId() + "/" + command.getCommandId();
    CommandResult first = firstResults.get(idKey);
    if (first != null) {
      results.computeIfAbsent(first.getOrgId(), o -> new ArrayList<>()).add(first);
      return first;
    }
    Decision decision = handler.handle(key, command, this, PROCESSED_AT);
    decision.sequences().ifPresent(s -> sequences.put(s.getOrgId(), s));
    decision.newCustomer().ifPresent(c -> {
      customers.put(c.getOrgId() + "/" + c.getUserId(), c);
      if (c.getIdType() != null && c.getIdentifier() != null) {
        identifiers.put(identifierKey(c.getOrgId(), c.getIdType(), c.getIdentifier()), c.getUserId());
      }
    });
    decision.newReasons().forEach(r -> reasons.put(r.getOrgId() + "/" + r.getId(), r));
    decision.newSubStatus().ifPresent(s -> subStatuses.put(subStatusKey(s.getOrgId(), s.getStatus(), s.getSubStatus()), s));
    decision.lead().ifPresent(l -> leads.put(l.getOrgId() + "/" + l.getId(), l));
    String org = command.getOrgId();
    events.computeIfAbsent(org, o -> new ArrayList<>()).addAll(decision.events());
    CommandResult result = decision.result().orElseThrow();
    // The topology keys its results by the command's org, whatever key the command came with.
    results.computeIfAbsent(org, o -> new ArrayList<>()).add(result);
    firstResults.put(idKey, result);
    return result;
  }

  /** The result a commandId got first, if the command was ever applied. */
  Optional<CommandResult> firstResult(String org, String commandId) {
    return Optional.ofNullable(firstResults.get(org + "/" + commandId));
  }

  Map<String, List<LeadEvent>> eventsByOrg() {
    return events;
  }

  Map<String, List<CommandResult>> resultsByOrg() {
    return results;
  }

  List<LeadState> leads() {
    return new ArrayList<>(leads.values());
  }

  List<Reason> reasons() {
    return new ArrayList<>(reasons.values());
  }

  List<SubStatus> subStatuses() {
    return new ArrayList<>(subStatuses.values());
  }

  @Override
  public Optional<LeadState> lead(String orgId, long leadId) {
    return Optional.ofNullable(leads.get(orgId + "/" + leadId));
  }

  @Override
  public Optional<Reason> reason(String orgId, long reasonId) {
    return Optional.ofNullable(reasons.get(orgId + "/" + reasonId));
  }

  @Override
  public boolean subStatusExists(String orgId, LeadStatus status, String subStatus) {
    return subStatuses.containsKey(subStatusKey(orgId, status, subStatus));
  }

  @Override
  public boolean customerExists(String orgId, long userId) {
    return customers.containsKey(orgId + "/" + userId);
  }

  @Override
  public Optional<Long> userIdByIdentifier(String orgId, IdType idType, String normalisedIdentifier) {
    return Optional.ofNullable(identifiers.get(identifierKey(orgId, idType, normalisedIdentifier)));
  }

  @Override
  public OrgSequences sequences(String orgId) {
    OrgSequences known = sequences.get(orgId);
    return known != null ? known : OrgSequences.newBuilder().setOrgId(orgId).build();
  }

  private static String identifierKey(String orgId, IdType idType, String identifier) {
    return orgId + "/" + idType + "/" + identifier;
  }

  private static String subStatusKey(String orgId, LeadStatus status, String name) {
    return orgId + "/" + status + "/" + name;
  }
}
