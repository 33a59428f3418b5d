package io.lms.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.StatusLogInput;
import io.lms.schema.UpdateLead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Leads v2 rules as {@code leads-api-v2.md} and {@code leads-api-notes.md} state them, written
 * a second time on purpose: it shares no code with {@code io.lms.domain}, {@code io.lms.http},
 * {@code io.lms.topology} or {@code io.lms.query}, so a rule the service gets wrong shows up as a
 * disagreement instead of being checked against itself. Only the Avro command records are shared,
 * as input. Fed one org's commands in command-topic order, it answers each with the outcome the API
 * gives, and afterwards what the read endpoints must show, all as Jackson trees.
 *
 * <p>What it models: add lead (any type, {@code userId} or EMAIL/MOBILE identifier, customers
 * registered on first sight with a per-org userId sequence, emails compared case-insensitively and
 * mobiles by digits; status, sub-status, owner, extended fields, times, seeded follow-ups and status
 * log); update lead (extended fields merged, owner replaced); status change (ruling 1: WON and
 * DELETED are closed, LOST reopens, the same status is refused); follow-up; configure reasons
 * (per-org ids from 1); create sub-status (duplicates refused); idempotent commandIds; GET of a
 * lead, the reasons, the sub-statuses, a search and the due follow-ups. Lead, customer, reason,
 * follow-up and status-log ids are per-org sequences from 1 that only accepted commands advance.
 *
 * <p>Where the documents leave a choice open, the choice made here (each one a place to look when
 * the service disagrees). Where the README's rulings settle one, the ruling is followed, even
 * against a sample of the document: those are marked (README).
 * <ul>
 *   <li>One error per rejection, the first of: 92010, then for a status change 92022/92003 (an
 *       invalid status is refused as such, before the lead is looked at: README), 92001 (404),
 *       92024, 92002, 92004, 92020; for other commands their own checks in the order of the doc's
 *       tables.
 *   <li>Server-stamped times (lastUpdatedOn, a default createdOn, entries' createdOn) are the
 *       command's {@code issuedAt} in the server zone to the second, as the doc's
 *       {@code YYYY-MM-DDThh:mm:ssTZD}; caller times keep the caller's offset (ruling 6).
 *   <li>A status log entry takes the request's createdBy, else the staff, seeded by a create or
 *       not (README; the Add Lead sample shows the staff); a seeded follow-up's createdBy is the
 *       staff. followedUpBy defaults to the entry's createdBy (the follow-up sample). Seeded
 *       follow-ups set lastFollowUp to the latest followedUpOn unless the request gives one
 *       (README; the Add Lead sample shows none).
 *   <li>A follow-up sets lastFollowUp to its followedUpOn and replaces nextFollowUp with its own,
 *       none if it gives none (the follow-up sample shows none). A status change without a
 *       sub-status clears the lead's. Updates and follow-ups are allowed on closed leads.
 *   <li>Optional scalars are absent when unset (subStatus, owner, nextFollowUp, lastFollowUp,
 *       notes, scheduledFollowUp); followUpDetails, statusLogDetails, extendedFields are always
 *       present. A follow-up entry shows the nextFollowUp its request gave (README; no sample
 *       shows one).
 *   <li>Enum values (status, type, idType) only as the doc spells them, upper case; the service
 *       also reads other cases (README), which the oracle does not model and throws on.
 *   <li>POST reasons answers the reasons it added (README; the only sample is an org's first
 *       configuration, where both readings agree). Sub-statuses are listed by status name, then
 *       sub-status name.
 *   <li>Search: offset keeps leads whose id is above it (ruling 5); DELETED only when asked for;
 *       sortBy createdOn orders by the creation sequence, the lead id (README), lastUpdatedOn by
 *       that time (to the millisecond of {@code issuedAt}, though shown to the second), ties by id
 *       in the same direction; defaults createdOn, DESC, limit 10. List items carry no "warnings" (the Search
 *       sample's items have none). Due: OPEN and ON_HOLD leads with nextFollowUp in [from, to),
 *       earliest first, ties by id.
 * </ul>
 *
 * <p>Left out, and thrown on as {@link OutsideModelException}: auto-close (wall-clock driven),
 * the project's own codes (93xxx: malformed times, limits, an update with nothing to update, a
 * commandId reused for another request), a create naming no customer or both a userId and an
 * identifier, a status change without reasonId, blank reasons, owners the doc gives no rule for,
 * fractional seconds in caller times, more than 200 history entries or 50 extended fields, search
 * and due parameters out of range. Catalogue checks (92016–92018) are not modelled: any leadFor
 * is valid.
 */
final class LeadsOracle {
  /** What the API answers to a write: 200 with a body, or an error status with its codes. */
  sealed interface Outcome permits Accepted, Rejected {}

  /** A 200 answer: the lead with "warnings", the reasons list, or the created sub-status. */
  record Accepted(JsonNode body) implements Outcome {}

  /** A 400 or 404 answer with the Leads API error codes. */
  record Rejected(int httpStatus, List<Integer> codes) implements Outcome {}

  /** Input the oracle does not model: it refuses to guess. */
  static final class OutsideModelException extends RuntimeException {
    OutsideModelException(String what) {
      super("outside the oracle's model: " + what);
    }
  }

  static final int LEAD_NOT_FOUND = 92001;
  static final int DUPLICATE_STATUS = 92002;
  static final int INVALID_STATUS = 92003;
  static final int REASON_NOT_FOUND = 92004;
  static final int FOLLOWED_UP_ON_NULL = 92005;
  static final int LEAD_FOR_NULL = 92006;
  static final int NO_SUCH_USER = 92008;
  static final int INVALID_TYPE = 92009;
  static final int LEAD_ID_NULL = 92010;
  static final int INVALID_ID_TYPE = 92015;
  static final int INVALID_SUB_STATUS = 92020;
  static final int SUB_STATUS_EXISTS = 92021;
  static final int STATUS_EMPTY = 92022;
  static final int SUB_STATUS_EMPTY = 92023;
  static final int LEAD_CLOSED = 92024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final Set<String> TYPES = Set.of("SKU", "BRAND", "CATEGORY", "CUSTOM");
  private static final Set<String> STATUSES = Set.of("OPEN", "WON", "LOST", "ON_HOLD", "DELETED");
  private static final Set<String> CLOSED = Set.of("WON", "DELETED");
  private static final Set<String> DUE = Set.of("OPEN", "ON_HOLD");
  private static final Pattern PLAIN_USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
  private static final int MAX_HISTORY = 200;
  private static final int MAX_EXTENDED_FIELDS = 50;
  private static final int MAX_LIMIT = 100;

  private record SubStatusName(String status, String name) {}

  private record FollowUp(long id, String notes, long createdBy, OffsetDateTime createdOn, long followedUpBy,
      OffsetDateTime followedUpOn, OffsetDateTime scheduledFollowUp, OffsetDateTime nextFollowUp) {}

  private record StatusLogEntry(long id, String status, long createdBy, OffsetDateTime createdOn, long reasonId,
      String reason, String subStatus) {}

  private record Applied(Object payload, Outcome outcome) {}

  private static final class Lead {
    long id;
    long userId;
    String type;
    String leadFor;
    String status;
    String subStatus;
    OffsetDateTime nextFollowUp;
    OffsetDateTime lastFollowUp;
    OffsetDateTime createdOn;
    long createdBy;
    OffsetDateTime lastUpdatedOn;
    long lastUpdatedBy;
    /** When it was created and last updated, to the millisecond: what search sorts by. */
    Instant lastUpdatedAt;
    String owner;
    long orgSourceId;
    final Map<String, String> extendedFields = new LinkedHashMap<>();
    final List<FollowUp> followUps = new ArrayList<>();
    final List<StatusLogEntry> statusLog = new ArrayList<>();
  }

  private static final class Org {
    final Map<Long, Lead> leads = new TreeMap<>();
    final Map<Long, String> reasons = new TreeMap<>();
    final Set<SubStatusName> subStatuses = new TreeSet<>(
        Comparator.comparing(SubStatusName::status).thenComparing(SubStatusName::name));
    final Map<String, Long> userIdByIdentifier = new HashMap<>();
    final Set<Long> userIds = new HashSet<>();
    final Map<String, Applied> applied = new HashMap<>();
    long lastLeadId;
    long lastUserId;
    long lastFollowUpId;
    long lastStatusLogId;
    long lastReasonId;
  }

  /** A rule refused the command: nothing has changed yet when this is thrown. */
  private static final class Refused extends RuntimeException {
    final int code;

    Refused(int code) {
      super(null, null, false, false);
      this.code = code;
    }
  }

  private final ZoneId serverZone;
  private final Map<String, Org> orgs = new TreeMap<>();

  /** An oracle of a service whose server zone is UTC, the default (ruling 6). */
  LeadsOracle() {
    this(ZoneOffset.UTC);
  }

  LeadsOracle(ZoneId serverZone) {
    this.serverZone = serverZone;
  }

  // ---- writes

  /** Applies a command that arrived on the command topic with {@code key}, which must be its org. */
  Outcome apply(String key, LeadCommand command) {
    if (!command.getOrgId().equals(key)) {
      throw new OutsideModelException("record key " + key + " is not the command's org " + command.getOrgId());
    }
    return apply(command);
  }

  /** Decides one command in its org's order; a repeated commandId answers its first outcome. */
  Outcome apply(LeadCommand command) {
    Org org = orgs.computeIfAbsent(command.getOrgId(), o -> new Org());
    Applied first = org.applied.get(command.getCommandId());
    if (first != null) {
      if (!first.payload().equals(command.getPayload())) {
        throw new OutsideModelException("commandId " + command.getCommandId() + " reused for another request");
      }
      return first.outcome();
    }
    Outcome outcome;
    try {
      outcome = new Accepted(normalised(decide(org, command)));
    } catch (Refused refused) {
      outcome = new Rejected(refused.code == LEAD_NOT_FOUND ? 404 : 400, List.of(refused.code));
    }
    org.applied.put(command.getCommandId(), new Applied(command.getPayload(), outcome));
    return outcome;
  }

  /** The outcome a commandId got first, if the oracle saw it. */
  Optional<Outcome> firstOutcome(String org, String commandId) {
    return Optional.ofNullable(orgs.get(org)).map(o -> o.applied.get(commandId)).map(Applied::outcome);
  }

  private JsonNode decide(Org org, LeadCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof CreateLead create) {
      return create(org, command, create);
    } else if (payload instanceof UpdateLead update) {
      return update(org, command, update);
    } else if (payload instanceof ChangeStatus change) {
      return changeStatus(org, command, change);
    } else if (payload instanceof RecordFollowUp followUp) {
      return followUp(org, command, followUp);
    } else if (payload instanceof ConfigureReasons configure) {
      return configureReasons(org, configure);
    } else if (payload instanceof CreateSubStatus subStatus) {
      return createSubStatus(org, subStatus);
    }
    throw new OutsideModelException("payload " + payload);
  }

  private ObjectNode create(Org org, LeadCommand command, CreateLead p) {
    String type = p.getType() == null ? "SKU" : upperCaseOnly("type", p.getType());
    if (!TYPES.contains(type)) {
      throw new Refused(INVALID_TYPE);
    }
    if (p.getLeadFor() == null || p.getLeadFor().isBlank()) {
      throw new Refused(LEAD_FOR_NULL);
    }
    if (p.getLeadFor().length() > 255) {
      throw new OutsideModelException("leadFor longer than 255");
    }
    String identifierKey = null;
    if (p.getUserId() != null) {
      if (p.getIdType() != null || p.getIdentifier() != null) {
        throw new OutsideModelException("both userId and idType/identifier");
      }
      if (!org.userIds.contains(p.getUserId())) {
        throw new Refused(NO_SUCH_USER);
      }
    } else {
      identifierKey = identifierKey(p.getIdType(), p.getIdentifier());
    }
    String status = p.getStatus() == null ? "OPEN" : validStatus(p.getStatus());
    if (p.getSubStatus() != null && !org.subStatuses.contains(new SubStatusName(status, p.getSubStatus()))) {
      throw new Refused(INVALID_SUB_STATUS);
    }
    String owner = validOwner(p.getOwner());
    OffsetDateTime nextFollowUp = callerTime("nextFollowUp", p.getNextFollowUp());
    OffsetDateTime lastFollowUp = callerTime("lastFollowUp", p.getLastFollowUp());
    OffsetDateTime createdOn = callerTime("createdOn", p.getCreatedOn());
    List<String> seededReasons = new ArrayList<>();
    for (StatusLogInput entry : p.getStatusLogDetails()) {
      String entryStatus = validStatus(entry.getStatus());
      seededReasons.add(reason(org, entry.getReasonId()));
      if (entry.getSubStatus() != null && !org.subStatuses.contains(new SubStatusName(entryStatus, entry.getSubStatus()))) {
        throw new Refused(INVALID_SUB_STATUS);
      }
      callerTime("statusLogDetails.createdOn", entry.getCreatedOn());
    }
    for (FollowUpInput entry : p.getFollowUpDetails()) {
      if (entry.getFollowedUpOn() == null) {
        throw new Refused(FOLLOWED_UP_ON_NULL);
      }
      callerTime("followUpDetails.followedUpOn", entry.getFollowedUpOn());
      callerTime("followUpDetails.scheduledFollowUp", entry.getScheduledFollowUp());
      callerTime("followUpDetails.nextFollowUp", entry.getNextFollowUp());
    }
    if (p.getStatusLogDetails().size() > MAX_HISTORY || p.getFollowUpDetails().size() > MAX_HISTORY) {
      throw new OutsideModelException("more than " + MAX_HISTORY + " history entries");
    }
    if (p.getExtendedFields().size() > MAX_EXTENDED_FIELDS) {
      throw new OutsideModelException("more than " + MAX_EXTENDED_FIELDS + " extended fields");
    }

    // Every check passed: only now does anything change.
    OffsetDateTime now = serverTime(command);
    Lead lead = new Lead();
    lead.id = ++org.lastLeadId;
    lead.userId = p.getUserId() != null ? p.getUserId() : org.userIdByIdentifier.computeIfAbsent(identifierKey, k -> {
      org.userIds.add(++org.lastUserId);
      return org.lastUserId;
    });
    lead.type = type;
    lead.leadFor = p.getLeadFor();
    lead.status = status;
    lead.subStatus = p.getSubStatus();
    lead.nextFollowUp = nextFollowUp;
    lead.lastFollowUp = lastFollowUp;
    lead.createdOn = createdOn != null ? createdOn : now;
    lead.createdBy = p.getCreatedBy() != null ? p.getCreatedBy() : command.getActorId();
    lead.owner = owner;
    lead.orgSourceId = p.getOrgSourceId() != null ? p.getOrgSourceId() : -1;
    lead.extendedFields.putAll(p.getExtendedFields());
    for (FollowUpInput entry : p.getFollowUpDetails()) {
      long by = command.getActorId();
      lead.followUps.add(new FollowUp(++org.lastFollowUpId, entry.getNotes(), by, now,
          entry.getFollowedUpBy() != null ? entry.getFollowedUpBy() : by,
          callerTime("followedUpOn", entry.getFollowedUpOn()), callerTime("scheduledFollowUp", entry.getScheduledFollowUp()),
          callerTime("nextFollowUp", entry.getNextFollowUp())));
    }
    for (int i = 0; i < p.getStatusLogDetails().size(); i++) {
      StatusLogInput entry = p.getStatusLogDetails().get(i);
      OffsetDateTime on = callerTime("createdOn", entry.getCreatedOn());
      lead.statusLog.add(new StatusLogEntry(++org.lastStatusLogId, entry.getStatus(),
          entry.getCreatedBy() != null ? entry.getCreatedBy() : command.getActorId(),
          on != null ? on : now, entry.getReasonId(), seededReasons.get(i), entry.getSubStatus()));
    }
    if (lead.lastFollowUp == null) {
      lead.lastFollowUp = lead.followUps.stream().map(FollowUp::followedUpOn)
          .max(Comparator.comparing(OffsetDateTime::toInstant)).orElse(null);
    }
    stamp(lead, command);
    org.leads.put(lead.id, lead);
    return withWarnings(leadJson(lead));
  }

  private ObjectNode update(Org org, LeadCommand command, UpdateLead p) {
    Lead lead = existingLead(org, p.getLeadId());
    if (p.getExtendedFields() == null && p.getOwner() == null) {
      throw new OutsideModelException("an update with neither extendedFields nor owner");
    }
    String owner = validOwner(p.getOwner());
    Map<String, String> merged = new LinkedHashMap<>(lead.extendedFields);
    if (p.getExtendedFields() != null) {
      merged.putAll(p.getExtendedFields());
    }
    if (merged.size() > MAX_EXTENDED_FIELDS) {
      throw new OutsideModelException("more than " + MAX_EXTENDED_FIELDS + " extended fields");
    }
    lead.extendedFields.putAll(merged);
    if (owner != null) {
      lead.owner = owner;
    }
    stamp(lead, command);
    return withWarnings(leadJson(lead));
  }

  private ObjectNode changeStatus(Org org, LeadCommand command, ChangeStatus p) {
    if (p.getLeadId() == null) {
      throw new Refused(LEAD_ID_NULL);
    }
    String status = validStatus(p.getStatus());
    Lead lead = existingLead(org, p.getLeadId());
    if (CLOSED.contains(lead.status)) {
      throw new Refused(LEAD_CLOSED);
    }
    if (status.equals(lead.status)) {
      throw new Refused(DUPLICATE_STATUS);
    }
    String reason = reason(org, p.getReasonId());
    if (p.getSubStatus() != null && !org.subStatuses.contains(new SubStatusName(status, p.getSubStatus()))) {
      throw new Refused(INVALID_SUB_STATUS);
    }
    OffsetDateTime createdOn = callerTime("createdOn", p.getCreatedOn());
    if (lead.statusLog.size() >= MAX_HISTORY) {
      throw new OutsideModelException("a lead's " + (MAX_HISTORY + 1) + "th status log entry");
    }
    lead.statusLog.add(new StatusLogEntry(++org.lastStatusLogId, status,
        p.getCreatedBy() != null ? p.getCreatedBy() : command.getActorId(),
        createdOn != null ? createdOn : serverTime(command), p.getReasonId(), reason, p.getSubStatus()));
    lead.status = status;
    lead.subStatus = p.getSubStatus();
    stamp(lead, command);
    return withWarnings(leadJson(lead));
  }

  private ObjectNode followUp(Org org, LeadCommand command, RecordFollowUp p) {
    Lead lead = existingLead(org, p.getLeadId());
    if (p.getFollowedUpOn() == null) {
      throw new Refused(FOLLOWED_UP_ON_NULL);
    }
    OffsetDateTime followedUpOn = callerTime("followedUpOn", p.getFollowedUpOn());
    OffsetDateTime nextFollowUp = callerTime("nextFollowUp", p.getNextFollowUp());
    OffsetDateTime scheduled = callerTime("scheduledFollowUp", p.getScheduledFollowUp());
    if (p.getNotes() != null && p.getNotes().length() > 2000) {
      throw new OutsideModelException("notes longer than 2000");
    }
    if (lead.followUps.size() >= MAX_HISTORY) {
      throw new OutsideModelException("a lead's " + (MAX_HISTORY + 1) + "th follow-up");
    }
    long createdBy = p.getCreatedBy() != null ? p.getCreatedBy() : command.getActorId();
    lead.followUps.add(new FollowUp(++org.lastFollowUpId, p.getNotes(), createdBy, serverTime(command),
        p.getFollowedUpBy() != null ? p.getFollowedUpBy() : createdBy, followedUpOn, scheduled, nextFollowUp));
    lead.lastFollowUp = followedUpOn;
    lead.nextFollowUp = nextFollowUp;
    stamp(lead, command);
    return withWarnings(leadJson(lead));
  }

  private ObjectNode configureReasons(Org org, ConfigureReasons p) {
    List<String> texts = p.getReasons();
    if (texts.isEmpty() || texts.size() > 100 || texts.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new OutsideModelException("reasons " + texts + ": none, more than 100, or a blank one");
    }
    ArrayNode added = JSON.createArrayNode();
    for (String text : texts) {
      org.reasons.put(++org.lastReasonId, text);
      added.addObject().put("id", org.lastReasonId).put("reason", text);
    }
    return list(added);
  }

  private ObjectNode createSubStatus(Org org, CreateSubStatus p) {
    String status = validStatus(p.getStatus());
    String name = p.getSubStatus();
    if (name == null || name.isEmpty()) {
      throw new Refused(SUB_STATUS_EMPTY);
    }
    if (name.isBlank() || name.length() > 255) {
      throw new OutsideModelException("sub-status name '" + name + "'");
    }
    if (!org.subStatuses.add(new SubStatusName(status, name))) {
      throw new Refused(SUB_STATUS_EXISTS);
    }
    ObjectNode body = JSON.createObjectNode().put("status", status).put("subStatus", name);
    body.putArray("warnings");
    return body;
  }

  // ---- the rules' small pieces

  private static Lead existingLead(Org org, Long leadId) {
    if (leadId == null) {
      throw new Refused(LEAD_ID_NULL);
    }
    Lead lead = org.leads.get(leadId);
    if (lead == null) {
      throw new Refused(LEAD_NOT_FOUND);
    }
    return lead;
  }

  private static String validStatus(String status) {
    if (status == null || status.isEmpty()) {
      throw new Refused(STATUS_EMPTY);
    }
    if (!STATUSES.contains(upperCaseOnly("status", status))) {
      throw new Refused(INVALID_STATUS);
    }
    return status;
  }

  /** The service reads enum values in any case (README); the oracle models only the doc's spelling. */
  private static String upperCaseOnly(String field, String value) {
    if (!value.equals(value.toUpperCase(Locale.ROOT))) {
      throw new OutsideModelException(field + " " + value + " not in upper case");
    }
    return value;
  }

  private static String reason(Org org, Long reasonId) {
    if (reasonId == null) {
      throw new OutsideModelException("no reasonId: the doc marks it mandatory but gives no error code");
    }
    String reason = org.reasons.get(reasonId);
    if (reason == null) {
      throw new Refused(REASON_NOT_FOUND);
    }
    return reason;
  }

  /** The key a customer identifier is known by in its org (ruling 3). */
  private static String identifierKey(String idType, String identifier) {
    if (idType == null && identifier == null) {
      throw new OutsideModelException("a create naming no customer (92007 or 92012: the doc does not say)");
    }
    if (idType != null) {
      upperCaseOnly("idType", idType);
    }
    if (!"EMAIL".equals(idType) && !"MOBILE".equals(idType)) {
      throw new Refused(INVALID_ID_TYPE);
    }
    if (identifier == null || identifier.isBlank()) {
      throw new OutsideModelException("idType " + idType + " without an identifier");
    }
    if (idType.equals("EMAIL")) {
      if (!identifier.matches("[^@\\s]+@[^@\\s]+")) {
        throw new OutsideModelException("email '" + identifier + "'");
      }
      return "EMAIL:" + identifier.toLowerCase(Locale.ROOT);
    }
    String digits = identifier.replaceAll("\\D", "");
    if (digits.isEmpty()) {
      throw new OutsideModelException("mobile '" + identifier + "'");
    }
    return "MOBILE:" + digits;
  }

  private static String validOwner(String owner) {
    if (owner != null && !PLAIN_USERNAME.matcher(owner).matches()) {
      throw new OutsideModelException("owner '" + owner + "'");
    }
    return owner;
  }

  /** A caller-supplied time, kept in the caller's offset (ruling 6); null when absent. */
  private static OffsetDateTime callerTime(String field, String text) {
    if (text == null) {
      return null;
    }
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new OutsideModelException(field + " '" + text + "' is not ISO-8601 with an offset");
    }
    if (time.getNano() != 0) {
      throw new OutsideModelException(field + " '" + text + "' has fractions of a second");
    }
    return time;
  }

  private OffsetDateTime serverTime(LeadCommand command) {
    return command.getIssuedAt().truncatedTo(ChronoUnit.SECONDS).atZone(serverZone).toOffsetDateTime();
  }

  private void stamp(Lead lead, LeadCommand command) {
    lead.lastUpdatedOn = serverTime(command);
    lead.lastUpdatedAt = command.getIssuedAt();
    lead.lastUpdatedBy = command.getActorId();
  }

  // ---- reads

  /** The body of GET /v2/leads/{id}, if the org has that lead. */
  Optional<JsonNode> lead(String org, long id) {
    return Optional.ofNullable(orgs.get(org)).map(o -> o.leads.get(id)).map(l -> normalised(withWarnings(leadJson(l))));
  }

  /** The orgs the oracle has seen commands of. */
  Set<String> orgs() {
    return orgs.keySet();
  }

  /** The ids of an org's leads, ascending. */
  List<Long> leadIds(String org) {
    return Optional.ofNullable(orgs.get(org)).map(o -> List.copyOf(o.leads.keySet())).orElse(List.of());
  }

  /** The body of GET /v2/leads/reasons. */
  JsonNode reasons(String org) {
    return normalised(reasonsJson(orgs.getOrDefault(org, new Org())));
  }

  /** The body of GET /v2/leads/substatuses. */
  JsonNode subStatuses(String org) {
    ArrayNode data = JSON.createArrayNode();
    orgs.getOrDefault(org, new Org()).subStatuses
        .forEach(s -> data.addObject().put("status", s.status()).put("subStatus", s.name()));
    return normalised(list(data));
  }

  /**
   * The body of GET /v2/leads?status=&sortBy=&sortOrder=&offset=&limit= (null status, sortBy or
   * sortOrder: the parameter is not sent).
   */
  JsonNode search(String org, String status, String sortBy, String sortOrder, long offset, int limit) {
    if (status != null && !STATUSES.contains(status)) {
      throw new OutsideModelException("search status " + status);
    }
    checkPage(offset, limit);
    Comparator<Lead> order = switch (sortBy == null ? "createdon" : sortBy.toLowerCase(Locale.ROOT)) {
      case "createdon" -> Comparator.comparingLong((Lead l) -> l.id);
      case "lastupdatedon" -> Comparator.comparing((Lead l) -> l.lastUpdatedAt);
      default -> throw new OutsideModelException("sortBy " + sortBy);
    };
    order = order.thenComparingLong(l -> l.id);
    if (sortOrder == null || sortOrder.equals("DESC")) {
      order = order.reversed();
    } else if (!sortOrder.equals("ASC")) {
      throw new OutsideModelException("sortOrder " + sortOrder);
    }
    Stream<Lead> found = leadsOf(org)
        .filter(l -> l.id > offset)
        .filter(l -> status != null ? l.status.equals(status) : !l.status.equals("DELETED"))
        .sorted(order)
        .limit(limit);
    return normalised(list(found));
  }

  /**
   * The body of GET /v2/leads/followups/due?from=&to=&owner=&offset=&limit=: OPEN and ON_HOLD leads
   * whose nextFollowUp is in [from, to), earliest first (null owner: the parameter is not sent).
   */
  JsonNode due(String org, Instant from, Instant to, String owner, long offset, int limit) {
    checkPage(offset, limit);
    if (offset > 10_000) {
      throw new OutsideModelException("due offset " + offset);
    }
    Stream<Lead> found = leadsOf(org)
        .filter(l -> DUE.contains(l.status) && l.nextFollowUp != null)
        .filter(l -> !l.nextFollowUp.toInstant().isBefore(from) && l.nextFollowUp.toInstant().isBefore(to))
        .filter(l -> owner == null || owner.equals(l.owner))
        .sorted(Comparator.comparing((Lead l) -> l.nextFollowUp.toInstant()).thenComparingLong(l -> l.id))
        .skip(offset)
        .limit(limit);
    return normalised(list(found));
  }

  private Stream<Lead> leadsOf(String org) {
    return orgs.getOrDefault(org, new Org()).leads.values().stream();
  }

  private static void checkPage(long offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new OutsideModelException("offset " + offset + " / limit " + limit);
    }
  }

  // ---- JSON, in the API's shapes

  private static ObjectNode leadJson(Lead lead) {
    ObjectNode json = JSON.createObjectNode()
        .put("id", lead.id).put("userId", lead.userId).put("type", lead.type).put("leadFor", lead.leadFor)
        .put("status", lead.status);
    putIfSet(json, "subStatus", lead.subStatus);
    putIfSet(json, "nextFollowUp", shown(lead.nextFollowUp));
    json.put("createdOn", shown(lead.createdOn)).put("createdBy", lead.createdBy)
        .put("lastUpdatedOn", shown(lead.lastUpdatedOn)).put("lastUpdatedBy", lead.lastUpdatedBy);
    putIfSet(json, "lastFollowUp", shown(lead.lastFollowUp));
    putIfSet(json, "owner", lead.owner);
    ArrayNode followUps = json.putArray("followUpDetails");
    for (FollowUp f : lead.followUps) {
      ObjectNode entry = followUps.addObject().put("id", f.id()).put("userId", lead.userId).put("leadId", lead.id);
      putIfSet(entry, "notes", f.notes());
      entry.put("createdBy", f.createdBy()).put("createdOn", shown(f.createdOn()))
          .put("followedUpBy", f.followedUpBy()).put("followedUpOn", shown(f.followedUpOn()));
      putIfSet(entry, "scheduledFollowUp", shown(f.scheduledFollowUp()));
      putIfSet(entry, "nextFollowUp", shown(f.nextFollowUp()));
    }
    ArrayNode statusLog = json.putArray("statusLogDetails");
    for (StatusLogEntry s : lead.statusLog) {
      ObjectNode entry = statusLog.addObject().put("id", s.id()).put("userId", lead.userId).put("leadId", lead.id)
          .put("status", s.status()).put("createdBy", s.createdBy()).put("createdOn", shown(s.createdOn()))
          .put("reasonId", s.reasonId()).put("reason", s.reason());
      putIfSet(entry, "subStatus", s.subStatus());
    }
    json.put("orgSourceId", lead.orgSourceId);
    ObjectNode extendedFields = json.putObject("extendedFields");
    lead.extendedFields.forEach(extendedFields::put);
    return json;
  }

  private static ObjectNode reasonsJson(Org org) {
    ArrayNode data = JSON.createArrayNode();
    org.reasons.forEach((id, text) -> data.addObject().put("id", id).put("reason", text));
    return list(data);
  }

  private static ObjectNode list(Stream<Lead> leads) {
    ArrayNode data = JSON.createArrayNode();
    leads.forEach(l -> data.add(leadJson(l)));
    return list(data);
  }

  private static ObjectNode list(ArrayNode data) {
    ObjectNode body = JSON.createObjectNode();
    body.set("data", data);
    body.putArray("warnings");
    body.putArray("errors");
    return body;
  }

  private static ObjectNode withWarnings(ObjectNode lead) {
    lead.putArray("warnings");
    return lead;
  }

  private static void putIfSet(ObjectNode json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static String shown(OffsetDateTime time) {
    return time == null ? null : SHOWN.format(time);
  }

  /** The tree as a parser builds it from the API's bytes (ints where they fit), so equals compares values. */
  private static JsonNode normalised(JsonNode tree) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
