package io.lms.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lms.command.json.CommandKind;
import io.lms.command.json.RequestBodies;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;

/**
 * What one line of a bulk import is: the body of one Leads v2 write, read by the very
 * {@link RequestBodies} the HTTP API uses (through {@link CommandKind}), so a line is judged exactly
 * as that request would be. Writes to one lead take its id from a {@code leadId} field of the line
 * (the API has it in the path).
 */
enum ImportKind {
  /** {@code POST /v2/leads}. */
  CREATE_LEAD("create-lead", CommandKind.CREATE_LEAD),
  /** {@code PUT /v2/leads/{leadId}}. */
  UPDATE_LEAD("update-lead", CommandKind.UPDATE_LEAD),
  /** {@code PUT /v2/leads/{leadId}/status}. */
  CHANGE_STATUS("change-status", CommandKind.CHANGE_STATUS),
  /** {@code POST /v2/leads/{leadId}/followups}. */
  FOLLOW_UP("follow-up", CommandKind.RECORD_FOLLOW_UP),
  /** {@code POST /v2/leads/substatus}. */
  SUB_STATUS("sub-status", CommandKind.CREATE_SUB_STATUS),
  /** {@code POST /v2/leads/reasons}: each line an array of {@code {"reason": ...}}. */
  REASONS("reasons", CommandKind.CONFIGURE_REASONS);

  static final String LEAD_ID_FIELD = "leadId";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final String label;
  private final CommandKind kind;

  ImportKind(String label, CommandKind kind) {
    this.label = label;
    this.kind = kind;
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
    if (!kind.needsLeadId()) {
      return kind.payload(0L, line);
    }
    ObjectNode json = leadWriteBody(line);
    long leadId = CommandKind.leadIdOf(json.remove(LEAD_ID_FIELD));
    return kind.payload(leadId, toBytes(json));
  }

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

  private static byte[] toBytes(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written again", e);
    }
  }
}
