package io.lms.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lms.domain.ErrorCode;
import io.lms.schema.ApiError;
import io.lms.schema.FollowUp;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.StatusLogEntry;
import io.lms.schema.SubStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the Leads v2 response bodies, field for field in the order of the API's samples: one
 * entity with {@code "warnings": []}, a list as {@code {"data": [...], "warnings": [], "errors": []}},
 * an error as {@code {"errors": [{"status": false, "code": ..., "message": ...}], "warnings": []}}.
 * Absent optional fields are left out, as the samples do.
 */
public final class ApiJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ApiJson() {}

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] lead(LeadState lead) {
    return write(json -> {
      json.writeStartObject();
      leadFields(json, lead);
      emptyArray(json, "warnings");
      json.writeEndObject();
    });
  }

  public static byte[] leads(List<LeadState> leads) {
    return list(leads, (json, lead) -> {
      json.writeStartObject();
      leadFields(json, lead);
      json.writeEndObject();
    });
  }

  public static byte[] reasons(List<Reason> reasons) {
    return list(reasons, ApiJson::reason);
  }

  public static byte[] subStatuses(List<SubStatus> subStatuses) {
    return list(subStatuses, (json, subStatus) -> {
      json.writeStartObject();
      json.writeStringField("status", subStatus.getStatus().name());
      json.writeStringField("subStatus", subStatus.getSubStatus());
      json.writeEndObject();
    });
  }

  public static byte[] subStatus(SubStatus subStatus) {
    return write(json -> {
      json.writeStartObject();
      json.writeStringField("status", subStatus.getStatus().name());
      json.writeStringField("subStatus", subStatus.getSubStatus());
      emptyArray(json, "warnings");
      json.writeEndObject();
    });
  }

  public static byte[] statusLog(LeadState lead) {
    return list(lead.getStatusLogDetails(), ApiJson::statusLogEntry);
  }

  public static byte[] followUps(LeadState lead) {
    return list(lead.getFollowUpDetails(), ApiJson::followUp);
  }

  /** The HTTP status that answers a command rejected with {@code errors}. */
  public static int status(List<ApiError> errors) {
    if (errors.stream().anyMatch(e -> e.getCode() == ErrorCode.IDEMPOTENCY_KEY_REUSED.code())) {
      return 422; // the IETF httpapi draft's answer to a key reused with another request
    }
    return errors.stream().anyMatch(e -> e.getCode() == ErrorCode.LEAD_NOT_FOUND.code()) ? 404 : 400;
  }

  public static byte[] errors(List<ApiError> errors) {
    return errors(errors, null);
  }

  /** An error that carries the commandId, so that the caller can retry with the same key. */
  public static byte[] errorWithCommand(ApiError error, String commandId) {
    return errors(List.of(error), commandId);
  }

  private static byte[] errors(List<ApiError> errors, String commandId) {
    return write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("errors");
      for (ApiError error : errors) {
        json.writeStartObject();
        json.writeBooleanField("status", false);
        json.writeNumberField("code", error.getCode());
        json.writeStringField("message", error.getMessage());
        optional(json, "commandId", commandId);
        json.writeEndObject();
      }
      json.writeEndArray();
      emptyArray(json, "warnings");
      json.writeEndObject();
    });
  }

  @FunctionalInterface
  private interface Item<T> {
    void write(JsonGenerator json, T item) throws IOException;
  }

  private static <T> byte[] list(List<T> items, Item<T> item) {
    return write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("data");
      for (T each : items) {
        item.write(json, each);
      }
      json.writeEndArray();
      emptyArray(json, "warnings");
      emptyArray(json, "errors");
      json.writeEndObject();
    });
  }

  private static void leadFields(JsonGenerator json, LeadState lead) throws IOException {
    json.writeNumberField("id", lead.getId());
    json.writeNumberField("userId", lead.getUserId());
    json.writeStringField("type", lead.getType().name());
    json.writeStringField("leadFor", lead.getLeadFor());
    json.writeStringField("status", lead.getStatus().name());
    optional(json, "subStatus", lead.getSubStatus());
    optional(json, "nextFollowUp", lead.getNextFollowUp());
    json.writeStringField("createdOn", lead.getCreatedOn());
    json.writeNumberField("createdBy", lead.getCreatedBy());
    json.writeStringField("lastUpdatedOn", lead.getLastUpdatedOn());
    json.writeNumberField("lastUpdatedBy", lead.getLastUpdatedBy());
    optional(json, "lastFollowUp", lead.getLastFollowUp());
    optional(json, "owner", lead.getOwner());
    json.writeArrayFieldStart("followUpDetails");
    for (FollowUp followUp : lead.getFollowUpDetails()) {
      followUp(json, followUp);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("statusLogDetails");
    for (StatusLogEntry entry : lead.getStatusLogDetails()) {
      statusLogEntry(json, entry);
    }
    json.writeEndArray();
    json.writeNumberField("orgSourceId", lead.getOrgSourceId());
    json.writeObjectFieldStart("extendedFields");
    for (Map.Entry<String, String> field : lead.getExtendedFields().entrySet()) {
      json.writeStringField(field.getKey(), field.getValue());
    }
    json.writeEndObject();
  }

  private static void followUp(JsonGenerator json, FollowUp followUp) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", followUp.getId());
    json.writeNumberField("userId", followUp.getUserId());
    json.writeNumberField("leadId", followUp.getLeadId());
    optional(json, "notes", followUp.getNotes());
    json.writeNumberField("createdBy", followUp.getCreatedBy());
    json.writeStringField("createdOn", followUp.getCreatedOn());
    if (followUp.getFollowedUpBy() != null) {
      json.writeNumberField("followedUpBy", followUp.getFollowedUpBy());
    }
    json.writeStringField("followedUpOn", followUp.getFollowedUpOn());
    optional(json, "scheduledFollowUp", followUp.getScheduledFollowUp());
    optional(json, "nextFollowUp", followUp.getNextFollowUp());
    json.writeEndObject();
  }

  private static void statusLogEntry(JsonGenerator json, StatusLogEntry entry) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", entry.getId());
    json.writeNumberField("userId", entry.getUserId());
    json.writeNumberField("leadId", entry.getLeadId());
    json.writeStringField("status", entry.getStatus().name());
    json.writeNumberField("createdBy", entry.getCreatedBy());
    json.writeStringField("createdOn", entry.getCreatedOn());
    if (entry.getReasonId() != null) {
      json.writeNumberField("reasonId", entry.getReasonId());
    }
    optional(json, "reason", entry.getReason());
    optional(json, "subStatus", entry.getSubStatus());
    json.writeEndObject();
  }

  private static void reason(JsonGenerator json, Reason reason) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", reason.getId());
    json.writeStringField("reason", reason.getReason());
    json.writeEndObject();
  }

  private static void optional(JsonGenerator json, String field, String value) throws IOException {
    if (value != null) {
      json.writeStringField(field, value);
    }
  }

  private static void emptyArray(JsonGenerator json, String field) throws IOException {
    json.writeArrayFieldStart(field);
    json.writeEndArray();
  }
}
