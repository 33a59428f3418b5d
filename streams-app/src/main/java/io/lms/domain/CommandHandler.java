package io.lms.domain;

import io.lms.schema.Accepted;
import io.lms.schema.AutoClosed;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.Customer;
import io.lms.schema.CustomerRegistered;
import io.lms.schema.FollowUp;
import io.lms.schema.FollowUpInput;
import io.lms.schema.FollowedUp;
import io.lms.schema.IdType;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.schema.LeadUpdated;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.ReasonsConfigured;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.Rejected;
import io.lms.schema.StatusChanged;
import io.lms.schema.StatusLogEntry;
import io.lms.schema.StatusLogInput;
import io.lms.schema.SubStatus;
import io.lms.schema.SubStatusCreated;
import io.lms.schema.UpdateLead;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides commands: every rule of the Leads v2 API and of the project's rulings, as plain Java
 * over a read-only {@link StateView}. It writes nothing; the caller applies the {@link Decision}.
 *
 * <p>Server-stamped times are the command's {@code issuedAt}, so the same command stream always
 * yields the same state: replays, restores and a reference model all agree.
 */
public final class CommandHandler {
  /** The reason auto-close gives, created in an org the first time it closes a lead. */
  public static final String AUTO_CLOSE_REASON = "AUTO_CLOSE";
  /** The staff id auto-close acts as. */
  public static final long AUTO_CLOSE_ACTOR = -1L;

  private static final int MAX_ORG_ID_LENGTH = 64;
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.@+-]{1,128}");

  private final ZoneId serverZone;
  private final boolean autoRegisterCustomers;

  public CommandHandler(ZoneId serverZone, boolean autoRegisterCustomers) {
    this.serverZone = serverZone;
    this.autoRegisterCustomers = autoRegisterCustomers;
  }

  /**
   * Whether an org id may key LMS data: ASCII letters, digits, '_', '.', '-'; 1 to 64 of them.
   * Asked several times per command and per read, so a loop rather than a regular expression.
   */
  public static boolean isValidOrgId(String orgId) {
    if (orgId == null || orgId.isEmpty() || orgId.length() > MAX_ORG_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < orgId.length(); i++) {
      char c = orgId.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decides one command.
   *
   * @param key the record key the command arrived with, which must be its org
   * @param processedAt when the decision is made, for the result
   */
  public Decision handle(String key, LeadCommand command, StateView state, Instant processedAt) {
    try {
      checkEnvelope(key, command.getCommandId(), command.getOrgId());
      Work work = new Work(command, state);
      Object payload = command.getPayload();
      Accepted accepted;
      if (payload instanceof CreateLead create) {
        accepted = work.createLead(create);
      } else if (payload instanceof UpdateLead update) {
        accepted = work.updateLead(update);
      } else if (payload instanceof ChangeStatus change) {
        accepted = work.changeStatus(change);
      } else if (payload instanceof RecordFollowUp followUp) {
        accepted = work.recordFollowUp(followUp);
      } else if (payload instanceof ConfigureReasons reasons) {
        accepted = work.configureReasons(reasons);
      } else if (payload instanceof CreateSubStatus subStatus) {
        accepted = work.createSubStatus(subStatus);
      } else {
        throw new Rejection(ErrorCode.INVALID_ENVELOPE, "unknown payload " + payload);
      }
      return work.decision(Optional.of(result(command, processedAt, accepted)));
    } catch (Rejection rejection) {
      return Decision.rejected(result(command, processedAt, new Rejected(rejection.errors())));
    }
  }

  /**
   * Decides a command that could not be read whole, as JSON whose body the API would refuse: it
   * is judged as any command first (its key, commandId and org), then rejected for what was wrong.
   *
   * @param unreadable why the command could not be read, with the API's codes
   */
  /** The answer to a command whose commandId the org already used for another request. */
  public CommandResult reusedKey(String commandId, String orgId, Instant processedAt) {
    return new CommandResult(commandId, orgId, processedAt,
        new Rejected(List.of(ErrorCode.IDEMPOTENCY_KEY_REUSED.error(commandId))), null);
  }

  public Decision reject(String key, String commandId, String orgId, Rejection unreadable, Instant processedAt) {
    Rejection rejection = unreadable;
    try {
      checkEnvelope(key, commandId, orgId);
    } catch (Rejection envelope) {
      rejection = envelope;
    }
    return Decision.rejected(new CommandResult(commandId, orgId, processedAt, new Rejected(rejection.errors()), null));
  }

  /**
   * Closes one overdue lead: OPEN or ON_HOLD, with a nextFollowUp before {@code cutoff}. A lead
   * that no longer qualifies yields an empty decision.
   */
  public Optional<Decision> autoClose(String orgId, long leadId, StateView state, Instant now, Instant cutoff) {
    Optional<LeadState> current = state.lead(orgId, leadId);
    if (current.isEmpty() || !isOverdue(current.get(), cutoff)) {
      return Optional.empty();
    }
    LeadCommand synthetic = new LeadCommand(
        "auto-close/" + orgId + "/" + leadId + "/" + now.toEpochMilli(), orgId, AUTO_CLOSE_ACTOR, now,
        new ChangeStatus(leadId, LeadStatus.LOST.name(), null, null, AUTO_CLOSE_ACTOR, null));
    Work work = new Work(synthetic, state);
    work.autoClose(current.get());
    return Optional.of(work.decision(Optional.empty()));
  }

  /** Whether auto-close applies to the lead: still active, and its follow-up missed before cutoff. */
  public static boolean isOverdue(LeadState lead, Instant cutoff) {
    return isActive(lead.getStatus())
        && lead.getNextFollowUp() != null
        && Times.instantOf(lead.getNextFollowUp()).isBefore(cutoff);
  }

  /** Leads in these statuses are still being worked on: they have follow-ups due. */
  public static boolean isActive(LeadStatus status) {
    return status == LeadStatus.OPEN || status == LeadStatus.ON_HOLD;
  }

  private static CommandResult result(LeadCommand command, Instant processedAt, Object outcome) {
    return new CommandResult(command.getCommandId(), command.getOrgId(), processedAt, outcome, null);
  }

  private static void checkEnvelope(String key, String commandId, String orgId) {
    if (commandId == null || commandId.isEmpty()) {
      throw new Rejection(ErrorCode.INVALID_ENVELOPE, "commandId is empty");
    }
    if (commandId.length() > CommandIds.MAX_LENGTH) {
      throw new Rejection(ErrorCode.TOO_LONG, "commandId", CommandIds.MAX_LENGTH);
    }
    if (!CommandIds.isValid(commandId)) {
      throw new Rejection(ErrorCode.INVALID_ENVELOPE, "commandId must be " + CommandIds.RULE);
    }
    if (!isValidOrgId(orgId)) {
      throw new Rejection(ErrorCode.INVALID_ENVELOPE, "orgId must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    if (!orgId.equals(key)) {
      throw new Rejection(ErrorCode.INVALID_ENVELOPE, "the record key must be the command's orgId");
    }
  }

  /** One command's decision in the making. Rules throw {@link Rejection}; nothing is written. */
  private final class Work {
    private final LeadCommand command;
    private final String org;
    private final StateView state;
    private final Instant now;
    private final String nowText;
    private final List<LeadEvent> events = new ArrayList<>();
    private final List<Reason> newReasons = new ArrayList<>();
    private Seq seq;
    private LeadState lead;
    private SubStatus newSubStatus;
    private Customer newCustomer;

    Work(LeadCommand command, StateView state) {
      this.command = command;
      this.org = command.getOrgId();
      this.state = state;
      this.now = command.getIssuedAt();
      this.nowText = Times.format(now, serverZone);
    }

    Decision decision(Optional<CommandResult> result) {
      return new Decision(
          result, events, Optional.ofNullable(lead), newReasons, Optional.ofNullable(newSubStatus),
          Optional.ofNullable(newCustomer), Optional.ofNullable(seq).map(Seq::toRecord));
    }

    // ---- commands

    Accepted createLead(CreateLead c) {
      String leadFor = text("leadFor", c.getLeadFor(), Limits.MAX_TEXT);
      if (leadFor == null) {
        throw new Rejection(ErrorCode.LEAD_FOR_NULL);
      }
      LeadType type = c.getType() == null ? LeadType.SKU : leadType(c.getType());
      LeadStatus status = c.getStatus() == null ? LeadStatus.OPEN : status(c.getStatus());
      String subStatus = subStatusOf(status, c.getSubStatus());
      long orgSourceId = c.getOrgSourceId() == null ? -1L : c.getOrgSourceId();
      if (orgSourceId < -1L) {
        throw new Rejection(ErrorCode.INVALID_ORG_SOURCE);
      }
      String owner = owner(c.getOwner());
      OffsetDateTime nextFollowUp = Times.parse("nextFollowUp", c.getNextFollowUp());
      OffsetDateTime lastFollowUp = Times.parse("lastFollowUp", c.getLastFollowUp());
      OffsetDateTime createdOn = Times.parse("createdOn", c.getCreatedOn());
      Map<String, String> extendedFields = extendedFields(Map.of(), c.getExtendedFields());
      if (c.getFollowUpDetails().size() > Limits.MAX_FOLLOW_UPS_PER_LEAD) {
        throw new Rejection(ErrorCode.TOO_LONG, "followUpDetails", Limits.MAX_FOLLOW_UPS_PER_LEAD);
      }
      if (c.getStatusLogDetails().size() > Limits.MAX_STATUS_LOG_PER_LEAD) {
        throw new Rejection(ErrorCode.TOO_LONG, "statusLogDetails", Limits.MAX_STATUS_LOG_PER_LEAD);
      }
      List<ParsedFollowUp> followUps = new ArrayList<>();
      for (FollowUpInput input : c.getFollowUpDetails()) {
        followUps.add(parseFollowUp(input.getFollowedUpOn(), input.getScheduledFollowUp(),
            input.getNextFollowUp(), input.getNotes(), input.getFollowedUpBy()));
      }
      List<ParsedStatusLog> statusLog = new ArrayList<>();
      for (StatusLogInput input : c.getStatusLogDetails()) {
        statusLog.add(parseStatusLog(input));
      }
      long userId = resolveCustomer(c.getUserId(), c.getIdType(), c.getIdentifier());

      long leadId = ++seq().lastLeadId;
      List<FollowUp> followUpDetails = new ArrayList<>(followUps.size());
      OffsetDateTime latestFollowUp = null;
      for (ParsedFollowUp f : followUps) {
        followUpDetails.add(f.toFollowUp(++seq.lastFollowUpId, userId, leadId, command.getActorId(), nowText));
        if (latestFollowUp == null || f.followedUpOn.isAfter(latestFollowUp)) {
          latestFollowUp = f.followedUpOn;
        }
      }
      List<StatusLogEntry> statusLogDetails = new ArrayList<>(statusLog.size());
      for (ParsedStatusLog s : statusLog) {
        statusLogDetails.add(new StatusLogEntry(
            ++seq.lastStatusLogId, userId, leadId, s.status,
            s.createdBy == null ? command.getActorId() : s.createdBy,
            s.createdOn == null ? nowText : Times.format(s.createdOn),
            s.reason.getId(), s.reason.getReason(), s.subStatus));
      }
      lead = new LeadState(
          org, leadId, userId, type, leadFor, status, subStatus,
          Times.format(nextFollowUp),
          Times.format(lastFollowUp != null ? lastFollowUp : latestFollowUp),
          createdOn == null ? nowText : Times.format(createdOn),
          c.getCreatedBy() == null ? command.getActorId() : c.getCreatedBy(),
          nowText, command.getActorId(), now.toEpochMilli(),
          owner, orgSourceId, extendedFields, followUpDetails, statusLogDetails);
      emit(leadId, new LeadCreated(lead));
      return acceptedLead();
    }

    Accepted updateLead(UpdateLead u) {
      LeadState current = existingLead(u.getLeadId());
      if (u.getExtendedFields() == null && u.getOwner() == null) {
        throw new Rejection(ErrorCode.NOTHING_TO_UPDATE);
      }
      Map<String, String> extendedFields = u.getExtendedFields() == null
          ? current.getExtendedFields()
          : extendedFields(current.getExtendedFields(), u.getExtendedFields());
      String owner = u.getOwner() == null ? current.getOwner() : owner(u.getOwner());
      lead = touched(current);
      lead.setExtendedFields(extendedFields);
      lead.setOwner(owner);
      emit(lead.getId(), new LeadUpdated(u.getExtendedFields() == null ? null : Map.copyOf(u.getExtendedFields()),
          u.getOwner() == null ? null : owner));
      return acceptedLead();
    }

    Accepted changeStatus(ChangeStatus c) {
      if (c.getLeadId() == null) {
        throw new Rejection(ErrorCode.LEAD_ID_NULL);
      }
      LeadStatus status = requiredStatus(c.getStatus());
      LeadState current = existingLead(c.getLeadId());
      if (current.getStatus() == LeadStatus.WON || current.getStatus() == LeadStatus.DELETED) {
        throw new Rejection(ErrorCode.LEAD_CLOSED);
      }
      if (current.getStatus() == status) {
        throw new Rejection(ErrorCode.DUPLICATE_LEAD_STATUS);
      }
      Reason reason = existingReason(c.getReasonId());
      String subStatus = subStatusOf(status, c.getSubStatus());
      OffsetDateTime createdOn = Times.parse("createdOn", c.getCreatedOn());
      checkRoom(current.getStatusLogDetails().size(), Limits.MAX_STATUS_LOG_PER_LEAD, current, "status log entries");

      StatusLogEntry entry = new StatusLogEntry(
          ++seq().lastStatusLogId, current.getUserId(), current.getId(), status,
          c.getCreatedBy() == null ? command.getActorId() : c.getCreatedBy(),
          createdOn == null ? nowText : Times.format(createdOn),
          reason.getId(), reason.getReason(), subStatus);
      lead = touched(current);
      lead.setStatus(status);
      lead.setSubStatus(subStatus);
      lead.getStatusLogDetails().add(entry);
      emit(lead.getId(), new StatusChanged(current.getStatus(), entry));
      return acceptedLead();
    }

    Accepted recordFollowUp(RecordFollowUp r) {
      if (r.getLeadId() == null) {
        throw new Rejection(ErrorCode.LEAD_ID_NULL);
      }
      ParsedFollowUp parsed = parseFollowUp(r.getFollowedUpOn(), r.getScheduledFollowUp(),
          r.getNextFollowUp(), r.getNotes(), r.getFollowedUpBy());
      LeadState current = existingLead(r.getLeadId());
      checkRoom(current.getFollowUpDetails().size(), Limits.MAX_FOLLOW_UPS_PER_LEAD, current, "follow-ups");

      long createdBy = r.getCreatedBy() == null ? command.getActorId() : r.getCreatedBy();
      FollowUp followUp = parsed.toFollowUp(
          ++seq().lastFollowUpId, current.getUserId(), current.getId(), createdBy, nowText);
      if (followUp.getFollowedUpBy() == null) {
        followUp.setFollowedUpBy(createdBy);
      }
      lead = touched(current);
      lead.getFollowUpDetails().add(followUp);
      lead.setLastFollowUp(followUp.getFollowedUpOn());
      // A follow-up that schedules no next one leaves nothing due: the old date was this one.
      lead.setNextFollowUp(Times.format(parsed.nextFollowUp));
      emit(lead.getId(), new FollowedUp(followUp, lead.getNextFollowUp()));
      return acceptedLead();
    }

    Accepted configureReasons(ConfigureReasons c) {
      List<String> texts = c.getReasons();
      if (texts.isEmpty()) {
        throw new Rejection(ErrorCode.REASON_EMPTY);
      }
      if (texts.size() > Limits.MAX_REASONS_PER_REQUEST) {
        throw new Rejection(ErrorCode.TOO_LONG, "reasons", Limits.MAX_REASONS_PER_REQUEST);
      }
      List<String> checked = new ArrayList<>(texts.size());
      for (String text : texts) {
        String reason = text("reason", text, Limits.MAX_TEXT);
        if (reason == null) {
          throw new Rejection(ErrorCode.REASON_EMPTY);
        }
        checked.add(reason);
      }
      for (String reason : checked) {
        newReasons.add(new Reason(org, ++seq().lastReasonId, reason));
      }
      emit(null, new ReasonsConfigured(List.copyOf(newReasons)));
      return new Accepted(null, List.copyOf(newReasons), null);
    }

    Accepted createSubStatus(CreateSubStatus c) {
      LeadStatus status = requiredStatus(c.getStatus());
      String name = text("subStatus", c.getSubStatus(), Limits.MAX_TEXT);
      if (name == null) {
        throw new Rejection(ErrorCode.SUB_STATUS_EMPTY);
      }
      if (state.subStatusExists(org, status, name)) {
        throw new Rejection(ErrorCode.SUB_STATUS_EXISTS, name, status);
      }
      newSubStatus = new SubStatus(org, status, name);
      emit(null, new SubStatusCreated(newSubStatus));
      return new Accepted(null, List.of(), newSubStatus);
    }

    void autoClose(LeadState current) {
      Reason reason = autoCloseReason();
      StatusLogEntry entry = new StatusLogEntry(
          ++seq().lastStatusLogId, current.getUserId(), current.getId(), LeadStatus.LOST,
          AUTO_CLOSE_ACTOR, nowText, reason.getId(), reason.getReason(), null);
      lead = touched(current);
      lead.setStatus(LeadStatus.LOST);
      lead.setSubStatus(null);
      lead.getStatusLogDetails().add(entry);
      emit(lead.getId(), new AutoClosed(current.getStatus(), entry, current.getNextFollowUp()));
    }

    // ---- rules shared by the commands

    private Reason autoCloseReason() {
      Long known = seq().autoCloseReasonId;
      if (known != null) {
        Optional<Reason> reason = state.reason(org, known);
        if (reason.isPresent()) {
          return reason.get();
        }
      }
      Reason created = new Reason(org, ++seq.lastReasonId, AUTO_CLOSE_REASON);
      seq.autoCloseReasonId = created.getId();
      newReasons.add(created);
      emit(null, new ReasonsConfigured(List.of(created)));
      return created;
    }

    private long resolveCustomer(Long userId, String idTypeText, String identifierText) {
      if (userId != null) {
        if (!state.customerExists(org, userId)) {
          throw new Rejection(ErrorCode.USER_NOT_FOUND, userId);
        }
        return userId;
      }
      if (idTypeText == null && identifierText == null) {
        throw new Rejection(ErrorCode.USER_ID_NULL);
      }
      IdType idType = idType(idTypeText);
      String identifier = text("identifier", identifierText, Limits.MAX_TEXT);
      if (identifier == null) {
        throw new Rejection(ErrorCode.USER_DETAILS_EMPTY);
      }
      String normalised = CustomerIdentifiers.normalise(idType, identifier);
      Optional<Long> known = state.userIdByIdentifier(org, idType, normalised);
      if (known.isPresent()) {
        return known.get();
      }
      if (!autoRegisterCustomers) {
        throw new Rejection(ErrorCode.AUTO_REGISTRATION_OFF);
      }
      newCustomer = new Customer(org, ++seq().lastUserId, idType, normalised, false);
      emit(null, new CustomerRegistered(newCustomer));
      return newCustomer.getUserId();
    }

    private ParsedFollowUp parseFollowUp(
        String followedUpOn, String scheduled, String next, String notes, Long followedUpBy) {
      OffsetDateTime on = Times.parse("followedUpOn", followedUpOn);
      if (on == null) {
        throw new Rejection(ErrorCode.FOLLOWED_UP_ON_NULL);
      }
      return new ParsedFollowUp(on, Times.parse("scheduledFollowUp", scheduled),
          Times.parse("nextFollowUp", next), text("notes", notes, Limits.MAX_NOTES), followedUpBy);
    }

    private ParsedStatusLog parseStatusLog(StatusLogInput input) {
      LeadStatus status = requiredStatus(input.getStatus());
      Reason reason = existingReason(input.getReasonId());
      String subStatus = subStatusOf(status, input.getSubStatus());
      return new ParsedStatusLog(status, subStatus, input.getCreatedBy(),
          Times.parse("createdOn", input.getCreatedOn()), reason);
    }

    private LeadState existingLead(Long leadId) {
      if (leadId == null) {
        throw new Rejection(ErrorCode.LEAD_ID_NULL);
      }
      return state.lead(org, leadId).orElseThrow(() -> new Rejection(ErrorCode.LEAD_NOT_FOUND));
    }

    private Reason existingReason(Long reasonId) {
      if (reasonId == null) {
        throw new Rejection(ErrorCode.REASON_NOT_FOUND, "null");
      }
      return state.reason(org, reasonId).orElseThrow(() -> new Rejection(ErrorCode.REASON_NOT_FOUND, reasonId));
    }

    private String subStatusOf(LeadStatus status, String text) {
      String name = text("subStatus", text, Limits.MAX_TEXT);
      if (name != null && !state.subStatusExists(org, status, name)) {
        throw new Rejection(ErrorCode.INVALID_SUB_STATUS, name);
      }
      return name;
    }

    private void checkRoom(int size, int max, LeadState current, String what) {
      if (size >= max) {
        throw new Rejection(ErrorCode.HISTORY_FULL, current.getId(), max, what);
      }
    }

    /** A copy of the lead, stamped as updated by this command. */
    private LeadState touched(LeadState current) {
      LeadState copy = LeadState.newBuilder(current).build();
      copy.setLastUpdatedOn(nowText);
      copy.setLastUpdatedBy(command.getActorId());
      copy.setLastUpdatedAtMillis(now.toEpochMilli());
      return copy;
    }

    private Accepted acceptedLead() {
      return new Accepted(lead, List.of(), null);
    }

    private Seq seq() {
      if (seq == null) {
        seq = new Seq(state.sequences(org));
      }
      return seq;
    }

    private void emit(Long leadId, Object payload) {
      events.add(new LeadEvent(
          command.getCommandId() + "/" + events.size(), command.getCommandId(), org, leadId,
          command.getActorId(), now, payload));
    }
  }

  /**
   * The org's sequences while a command is decided: ids are handed out with {@code ++seq.lastLeadId}
   * and written back only when the command is accepted.
   */
  private static final class Seq {
    private final String orgId;
    long lastLeadId;
    long lastFollowUpId;
    long lastStatusLogId;
    long lastReasonId;
    long lastUserId;
    Long autoCloseReasonId;

    Seq(OrgSequences stored) {
      orgId = stored.getOrgId();
      lastLeadId = stored.getLastLeadId();
      lastFollowUpId = stored.getLastFollowUpId();
      lastStatusLogId = stored.getLastStatusLogId();
      lastReasonId = stored.getLastReasonId();
      lastUserId = stored.getLastUserId();
      autoCloseReasonId = stored.getAutoCloseReasonId();
    }

    OrgSequences toRecord() {
      return new OrgSequences(
          orgId, lastLeadId, lastFollowUpId, lastStatusLogId, lastReasonId, lastUserId, autoCloseReasonId);
    }
  }

  private record ParsedFollowUp(
      OffsetDateTime followedUpOn, OffsetDateTime scheduled, OffsetDateTime nextFollowUp, String notes,
      Long followedUpBy) {
    FollowUp toFollowUp(long id, long userId, long leadId, long createdBy, String createdOn) {
      return new FollowUp(id, userId, leadId, notes, createdBy, createdOn, followedUpBy,
          Times.format(followedUpOn), Times.format(scheduled), Times.format(nextFollowUp));
    }
  }

  private record ParsedStatusLog(
      LeadStatus status, String subStatus, Long createdBy, OffsetDateTime createdOn, Reason reason) {}

  private static String text(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.isEmpty()) {
      return null;
    }
    if (trimmed.length() > max) {
      throw new Rejection(ErrorCode.TOO_LONG, field, max);
    }
    return trimmed;
  }

  private static LeadType leadType(String text) {
    try {
      return LeadType.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Rejection(ErrorCode.INVALID_LEAD_TYPE);
    }
  }

  private static LeadStatus requiredStatus(String text) {
    if (text == null || text.isBlank()) {
      throw new Rejection(ErrorCode.STATUS_EMPTY);
    }
    return status(text);
  }

  private static LeadStatus status(String text) {
    try {
      return LeadStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Rejection(ErrorCode.INVALID_LEAD_STATUS, abbreviated(text));
    }
  }

  private static IdType idType(String text) {
    if (text == null) {
      throw new Rejection(ErrorCode.INVALID_ID_TYPE);
    }
    try {
      return IdType.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Rejection(ErrorCode.INVALID_ID_TYPE);
    }
  }

  private static String owner(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    if (!OWNER.matcher(trimmed).matches()) {
      throw new Rejection(ErrorCode.INVALID_OWNER, abbreviated(text));
    }
    return trimmed;
  }

  private static Map<String, String> extendedFields(Map<String, String> current, Map<String, String> update) {
    Map<String, String> merged = new LinkedHashMap<>(current);
    for (Map.Entry<String, String> field : update.entrySet()) {
      String key = field.getKey() == null ? "" : field.getKey().trim();
      if (key.isEmpty() || key.length() > Limits.MAX_EXTENDED_FIELD_KEY) {
        throw new Rejection(ErrorCode.INVALID_VALUE, "extendedFields", "keys must have 1 to "
            + Limits.MAX_EXTENDED_FIELD_KEY + " characters");
      }
      String value = field.getValue() == null ? "" : field.getValue();
      if (value.length() > Limits.MAX_EXTENDED_FIELD_VALUE) {
        throw new Rejection(ErrorCode.TOO_LONG, "extendedFields." + abbreviated(key), Limits.MAX_EXTENDED_FIELD_VALUE);
      }
      merged.put(key, value);
    }
    if (merged.size() > Limits.MAX_EXTENDED_FIELDS) {
      throw new Rejection(ErrorCode.TOO_LONG, "extendedFields", Limits.MAX_EXTENDED_FIELDS);
    }
    return merged;
  }

  /** Echoes a caller's value in a message without echoing a megabyte of it. */
  public static String abbreviated(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
