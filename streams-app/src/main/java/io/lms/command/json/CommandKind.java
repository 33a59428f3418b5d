package io.lms.command.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import java.util.Optional;

/**
 * The writes of the Leads v2 API as commands: the payload record each one becomes, read from the
 * API's request body by {@link RequestBodies}. The writes to one lead also take the lead's id, which
 * the API has in the path.
 */
public enum CommandKind {
  /** {@code POST /v2/leads}. */
  CREATE_LEAD("CreateLead", false, (leadId, body) -> RequestBodies.createLead(body)),
  /** {@code PUT /v2/leads/{leadId}}. */
  UPDATE_LEAD("UpdateLead", true, RequestBodies::updateLead),
  /** {@code PUT /v2/leads/{leadId}/status}. */
  CHANGE_STATUS("ChangeStatus", true, RequestBodies::changeStatus),
  /** {@code POST /v2/leads/{leadId}/followup}. */
  RECORD_FOLLOW_UP("RecordFollowUp", true, RequestBodies::recordFollowUp),
  /** {@code POST /v2/leads/reasons}: an array of {@code {"reason": ...}}. */
  CONFIGURE_REASONS("ConfigureReasons", false, (leadId, body) -> RequestBodies.configureReasons(body)),
  /** {@code POST /v2/leads/substatus}. */
  CREATE_SUB_STATUS("CreateSubStatus", false, (leadId, body) -> RequestBodies.createSubStatus(body));

  /** Reads a request body into a payload; the kinds that need no lead id ignore it. */
  @FunctionalInterface
  private interface BodyReader {
    Object read(long leadId, byte[] body);
  }

  /** The names, for messages that list them. */
  public static final String NAMES =
      "CreateLead, UpdateLead, ChangeStatus, RecordFollowUp, ConfigureReasons, CreateSubStatus";

  private final String payloadName;
  private final boolean needsLeadId;
  private final BodyReader reader;

  CommandKind(String payloadName, boolean needsLeadId, BodyReader reader) {
    this.payloadName = payloadName;
    this.needsLeadId = needsLeadId;
    this.reader = reader;
  }

  /** The kind whose payload record has this name ({@code CreateLead}, ...), as JSON envelopes name it. */
  public static Optional<CommandKind> named(String payloadName) {
    for (CommandKind kind : values()) {
      if (kind.payloadName.equals(payloadName)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** Whether the write is to one lead, whose id it needs. */
  public boolean needsLeadId() {
    return needsLeadId;
  }

  /**
   * The id of the lead a write goes to, where JSON gives it beside the body (the API has it in the
   * path): 92010 when absent, 93003 when not a positive whole number, as the API answers.
   */
  public static long leadIdOf(JsonNode value) {
    if (value == null || value.isNull()) {
      throw new Rejection(ErrorCode.LEAD_ID_NULL);
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "leadId", "expected a positive whole number");
    }
    return value.longValue();
  }

  /**
   * The command payload of a request body.
   *
   * @param leadId the lead written to; ignored by the kinds that need none
   * @throws Rejection with the API's code when the body is not one the API would take
   */
  public Object payload(long leadId, byte[] body) {
    return reader.read(leadId, body);
  }
}
