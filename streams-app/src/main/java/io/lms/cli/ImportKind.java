package io.lms.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.http.RequestBodies;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SingleObjectCodec;

/**
 * What one line of a bulk import is: the body of one Leads v2 write, read by the very
 * {@link RequestBodies} the HTTP API uses, so a line is judged exactly as that request would be.
 * Writes to one lead take its id from a {@code leadId} field of the line (the API has it in the
 * path).
 */
enum ImportKind {
  /** {@code POST /v2/leads}. */
  CREATE_LEAD("create-lead", false) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.createLead(body);
    }
  },
  /** {@code PUT /v2/leads/{leadId}}. */
  UPDATE_LEAD("update-lead", true) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.updateLead(leadId, body);
    }
  },
  /** {@code PUT /v2/leads/{leadId}/status}. */
  CHANGE_STATUS("change-status", true) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.changeStatus(leadId, body);
    }
  },
  /** {@code POST /v2/leads/{leadId}/followups}. */
  FOLLOW_UP("follow-up", true) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.recordFollowUp(leadId, body);
    }
  },
  /** {@code POST /v2/leads/substatus}. */
  SUB_STATUS("sub-status", false) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.createSubStatus(body);
    }
  },
  /** {@code POST /v2/leads/reasons}: each line an array of {@code {"reason": ...}}. */
  REASONS("reasons", false) {
    @Override
    Object payload(long leadId, byte[] body) {
      return RequestBodies.configureReasons(body);
    }
  };

  static final String LEAD_ID_FIELD = "leadId";

  static {
    // Avro refuses to load generated classes (as building a record with defaults may) until their
    // package is trusted, which the codec's first use does. The service always makes its topics
    // first; a tool may build commands before it touches any codec.
    SingleObjectCodec.of(LeadCommand.class);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final String label;
  private final boolean needsLeadId;

  ImportKind(String label, boolean needsLeadId) {
    this.label = label;
    this.needsLeadId = needsLeadId;
  }

  /** The name on the command line, e.g. {@code change-status}. */
  String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }

  static ImportKind ofLabel(String label) {
    for (ImportKind kind : values()) {
      if (kind.label.equalsIgnoreCase(label) || kind.name().equalsIgnoreCase(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind " + label);
  }

  /**
   * The command payload of one line.
   *
   * @throws Rejection with the API's code when the line is not a valid body (93001 not JSON, 93002
   *     an unknown field, 93003 a value of the wrong type, 92010 no leadId where one is needed)
   */
  Object toPayload(byte[] line) {
    if (!needsLeadId) {
      return payload(0L, line);
    }
    ObjectNode json = leadWriteBody(line);
    long leadId = leadId(json.remove(LEAD_ID_FIELD));
    return payload(leadId, toBytes(json));
  }

  abstract Object payload(long leadId, byte[] body);

  private static ObjectNode leadWriteBody(byte[] line) {
    JsonNode json;
    try {
      json = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "unreadable line");
    }
    if (json == null || json.isMissingNode()) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "the line is empty");
    }
    if (!json.isObject()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "line", "expected a JSON object");
    }
    return (ObjectNode) json;
  }

  private static long leadId(JsonNode value) {
    if (value == null || value.isNull()) {
      throw new Rejection(ErrorCode.LEAD_ID_NULL);
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
      throw new Rejection(ErrorCode.INVALID_VALUE, LEAD_ID_FIELD, "expected a whole number above 0");
    }
    return value.longValue();
  }

  private static byte[] toBytes(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written again", e);
    }
  }
}
