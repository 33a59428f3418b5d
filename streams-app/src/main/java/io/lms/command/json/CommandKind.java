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
  CREATE_LEAD("CreateLead", false) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.createLead(body);
    }
  },
  /** {@code PUT /v2/leads/{leadId}}. */
  UPDATE_LEAD("UpdateLead", true) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.updateLead(leadId, body);
    }
  },
  /** {@code PUT /v2/leads/{leadId}/status}. */
  CHANGE_STATUS("ChangeStatus", true) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.changeStatus(leadId, body);
    }
  },
  /** {@code POST /v2/leads/{leadId}/followup}. */
  RECORD_FOLLOW_UP("RecordFollowUp", true) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.recordFollowUp(leadId, body);
    }
  },
  /** {@code POST /v2/leads/reasons}: an array of {@code {"reason": ...}}. */
  CONFIGURE_REASONS("ConfigureReasons", false) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.configureReasons(body);
    }
  },
  /** {@code POST /v2/leads/substatus}. */
  CREATE_SUB_STATUS("CreateSubStatus", false) {
    @Override
    public Object payload(long leadId, byte[] body) {
      return RequestBodies.createSubStatus(body);
    }
  };

  /** The names, for messages that list them. */
  public static final String NAMES =
      "CreateLead, UpdateLead, ChangeStatus, RecordFollowUp, ConfigureReasons, CreateSubStatus";

  private final String payloadName;
  private final boolean needsLeadId;

  CommandKind(String payloadName, boolean needsLeadId) {
    this.payloadName = payloadName;
    this.needsLeadId = needsLeadId;
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

  /** The name of the payload record, e.g. {@code ChangeStatus}. */
  public String payloadName() {
    return payloadName;
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
  public abstract Object payload(long leadId, byte[] body);
}
