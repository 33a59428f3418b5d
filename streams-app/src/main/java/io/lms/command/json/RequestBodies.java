package io.lms.command.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.domain.CommandHandler;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.FollowUpInput;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.StatusLogInput;
import io.lms.schema.UpdateLead;
import io.lms.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Leads v2 request bodies into command payloads, strictly: malformed JSON (93001), a
 * field the endpoint does not take (93002, which also stops mass assignment of id, status or org)
 * and a value of the wrong JSON type (93003) are refused here. What the values mean is the
 * topology's to judge, so that Kafka producers and HTTP callers meet the same rules.
 *
 * <p>Outside the HTTP layer because every way a body reaches LMS reads it here: the HTTP API, the
 * bulk import, JSON commands on {@code lms.lead-commands} and the outbox converter.
 */
public final class RequestBodies {
  /** Request bodies nest a few levels at most; a deeper one is an attack, not a lead. */
  static final int MAX_NESTING = 16;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static final Set<String> CREATE_FIELDS = Set.of(
      "type", "leadFor", "userId", "idType", "identifier", "status", "subStatus", "nextFollowUp",
      "lastFollowUp", "createdOn", "createdBy", "lastUpdatedOn", "lastUpdatedBy", "owner", "orgSourceId",
      "extendedFields", "followUpDetails", "statusLogDetails");
  private static final Set<String> FOLLOW_UP_INPUT_FIELDS = Set.of(
      "scheduledFollowUp", "followedUpOn", "followedUpBy", "notes", "nextFollowUp");
  private static final Set<String> STATUS_LOG_INPUT_FIELDS = Set.of(
      "status", "subStatus", "createdBy", "createdOn", "reasonId");
  private static final Set<String> UPDATE_FIELDS = Set.of("extendedFields", "owner");
  private static final Set<String> STATUS_FIELDS = Set.of("status", "subStatus", "reasonId", "createdBy", "createdOn");
  private static final Set<String> FOLLOW_UP_FIELDS = Set.of(
      "followedUpOn", "followedUpBy", "createdBy", "nextFollowUp", "notes", "scheduledFollowUp");
  private static final Set<String> SUB_STATUS_FIELDS = Set.of("status", "subStatus");
  private static final Set<String> REASON_FIELDS = Set.of("reason");

  static {
    // Avro refuses to load generated classes (as building a record with defaults does) until their
    // package is trusted, which the codec's first use does. The service makes its topics first; a
    // tool or a converter may read a body before it touches any codec.
    SingleObjectCodec.of(LeadCommand.class);
  }

  private RequestBodies() {}

  public static CreateLead createLead(byte[] body) {
    JsonNode json = object(parse(body), "body", CREATE_FIELDS);
    List<FollowUpInput> followUps = new ArrayList<>();
    for (JsonNode item : array(json, "followUpDetails")) {
      JsonNode f = object(item, "followUpDetails[]", FOLLOW_UP_INPUT_FIELDS);
      followUps.add(new FollowUpInput(text(f, "scheduledFollowUp"), text(f, "followedUpOn"),
          number(f, "followedUpBy"), text(f, "notes"), text(f, "nextFollowUp")));
    }
    List<StatusLogInput> statusLog = new ArrayList<>();
    for (JsonNode item : array(json, "statusLogDetails")) {
      JsonNode s = object(item, "statusLogDetails[]", STATUS_LOG_INPUT_FIELDS);
      statusLog.add(new StatusLogInput(text(s, "status"), text(s, "subStatus"), number(s, "createdBy"),
          text(s, "createdOn"), number(s, "reasonId")));
    }
    // lastUpdatedOn and lastUpdatedBy are documented request fields, but the server stamps them.
    text(json, "lastUpdatedOn");
    number(json, "lastUpdatedBy");
    Map<String, String> extendedFields = extendedFields(json);
    return CreateLead.newBuilder()
        .setType(text(json, "type"))
        .setLeadFor(text(json, "leadFor"))
        .setUserId(number(json, "userId"))
        .setIdType(text(json, "idType"))
        .setIdentifier(text(json, "identifier"))
        .setStatus(text(json, "status"))
        .setSubStatus(text(json, "subStatus"))
        .setNextFollowUp(text(json, "nextFollowUp"))
        .setLastFollowUp(text(json, "lastFollowUp"))
        .setCreatedOn(text(json, "createdOn"))
        .setCreatedBy(number(json, "createdBy"))
        .setOwner(text(json, "owner"))
        .setOrgSourceId(number(json, "orgSourceId"))
        .setExtendedFields(extendedFields == null ? Map.of() : extendedFields)
        .setFollowUpDetails(followUps)
        .setStatusLogDetails(statusLog)
        .build();
  }

  public static UpdateLead updateLead(long leadId, byte[] body) {
    JsonNode json = object(parse(body), "body", UPDATE_FIELDS);
    return new UpdateLead(leadId, extendedFields(json), text(json, "owner"));
  }

  public static ChangeStatus changeStatus(long leadId, byte[] body) {
    JsonNode json = object(parse(body), "body", STATUS_FIELDS);
    return new ChangeStatus(leadId, text(json, "status"), text(json, "subStatus"), number(json, "reasonId"),
        number(json, "createdBy"), text(json, "createdOn"));
  }

  public static RecordFollowUp recordFollowUp(long leadId, byte[] body) {
    JsonNode json = object(parse(body), "body", FOLLOW_UP_FIELDS);
    return new RecordFollowUp(leadId, text(json, "followedUpOn"), number(json, "followedUpBy"),
        number(json, "createdBy"), text(json, "nextFollowUp"), text(json, "notes"), text(json, "scheduledFollowUp"));
  }

  public static CreateSubStatus createSubStatus(byte[] body) {
    JsonNode json = object(parse(body), "body", SUB_STATUS_FIELDS);
    return new CreateSubStatus(text(json, "status"), text(json, "subStatus"));
  }

  /** The reasons body: an array of {@code {"reason": "..."}}. */
  public static ConfigureReasons configureReasons(byte[] body) {
    JsonNode json = parse(body);
    if (!json.isArray()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "body", "expected an array of {\"reason\": ...}");
    }
    List<String> reasons = new ArrayList<>();
    for (JsonNode item : json) {
      reasons.add(text(object(item, "body[]", REASON_FIELDS), "reason"));
    }
    return new ConfigureReasons(reasons);
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "the body is empty");
    }
    try {
      JsonNode json = MAPPER.readTree(body);
      if (json.isMissingNode()) {
        throw new Rejection(ErrorCode.MALFORMED_REQUEST, "the body is empty");
      }
      return json;
    } catch (StreamConstraintsException e) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "nested deeper than " + MAX_NESTING + " levels");
    } catch (StreamReadException e) {
      // Not Jackson's message: it can name Jackson's features and classes.
      JsonLocation at = e.getLocation();
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, at == null || at.getLineNr() < 1 ? "not valid JSON"
          : "not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
    } catch (JsonProcessingException e) {
      // Valid JSON text, but not one value (trailing data) or with a field given twice.
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "expected one JSON value, each field given once");
    } catch (IOException e) {
      throw new Rejection(ErrorCode.MALFORMED_REQUEST, "unreadable body");
    }
  }

  private static JsonNode object(JsonNode json, String where, Set<String> fields) {
    if (json == null || !json.isObject()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, where, "expected a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new Rejection(ErrorCode.UNKNOWN_FIELD, CommandHandler.abbreviated(name));
      }
    }
    return json;
  }

  private static List<JsonNode> array(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, field, "expected an array");
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, field, "expected a string");
    }
    return value.textValue();
  }

  private static Long number(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, field, "expected a whole number");
    }
    return value.longValue();
  }

  private static Map<String, String> extendedFields(JsonNode json) {
    JsonNode value = json.get("extendedFields");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "extendedFields", "expected an object of names to values");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      if (v.isContainerNode()) {
        throw new Rejection(ErrorCode.INVALID_VALUE, "extendedFields", "values must be strings, numbers or booleans");
      }
      fields.put(field.getKey(), v.isNull() ? "" : v.asText());
    }
    return fields;
  }
}
