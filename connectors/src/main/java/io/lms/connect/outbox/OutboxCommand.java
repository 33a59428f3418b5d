package io.lms.connect.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.domain.Rejection;
import io.lms.http.RequestBodies;
import io.lms.schema.LeadCommand;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads the payload of an outbox row into a {@link LeadCommand}: an envelope naming the command,
 * with the Leads v2 API request body inside, read by the very code that reads HTTP bodies, so an
 * upstream system writes the same JSON it would POST.
 *
 * <pre>{@code
 * {"commandId": "crm-42:0001", "org": "demo", "actorId": 7, "kind": "ChangeStatus", "leadId": 1,
 *  "issuedAt": "2026-11-27T10:00:00Z", "body": {"status": "LOST", "reasonId": 2}}
 * }</pre>
 *
 * {@code kind} is the command's payload record: {@code CreateLead}, {@code UpdateLead},
 * {@code ChangeStatus}, {@code RecordFollowUp} (these three need {@code leadId}, the HTTP path's
 * lead id), {@code ConfigureReasons}, {@code CreateSubStatus}. {@code issuedAt} is optional (the
 * time of conversion when absent).
 */
public final class OutboxCommand {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Set<String> FIELDS = Set.of("commandId", "org", "actorId", "kind", "leadId", "issuedAt", "body");

  private OutboxCommand() {}

  /**
   * @throws InvalidOutboxCommandException when the envelope or its body cannot be a command
   */
  public static LeadCommand read(byte[] json, Clock clock) {
    JsonNode envelope = parse(json);
    String commandId = requiredText(envelope, "commandId");
    try {
      String org = requiredText(envelope, "org");
      long actorId = requiredLong(envelope, "actorId");
      String kind = requiredText(envelope, "kind");
      JsonNode body = envelope.get("body");
      if (body == null || body.isNull()) {
        throw new InvalidOutboxCommandException("body is missing");
      }
      byte[] bodyBytes = MAPPER.writeValueAsBytes(body);
      Object payload = switch (kind) {
        case "CreateLead" -> RequestBodies.createLead(bodyBytes);
        case "UpdateLead" -> RequestBodies.updateLead(leadId(envelope), bodyBytes);
        case "ChangeStatus" -> RequestBodies.changeStatus(leadId(envelope), bodyBytes);
        case "RecordFollowUp" -> RequestBodies.recordFollowUp(leadId(envelope), bodyBytes);
        case "ConfigureReasons" -> RequestBodies.configureReasons(bodyBytes);
        case "CreateSubStatus" -> RequestBodies.createSubStatus(bodyBytes);
        default -> throw new InvalidOutboxCommandException("unknown kind " + kind
            + " (one of CreateLead, UpdateLead, ChangeStatus, RecordFollowUp, ConfigureReasons, CreateSubStatus)");
      };
      return new LeadCommand(commandId, org, actorId, issuedAt(envelope, clock).toInstant(), payload);
    } catch (Rejection e) {
      var error = e.errors().get(0);
      throw new InvalidOutboxCommandException("command " + commandId + ": " + error.getCode() + " " + error.getMessage());
    } catch (InvalidOutboxCommandException e) {
      throw new InvalidOutboxCommandException("command " + commandId + ": " + e.getMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidOutboxCommandException("command " + commandId + ": " + e.getOriginalMessage());
    }
  }

  private static JsonNode parse(byte[] json) {
    JsonNode envelope;
    try {
      envelope = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new InvalidOutboxCommandException("not JSON: " + e.getMessage());
    }
    if (envelope == null || !envelope.isObject()) {
      throw new InvalidOutboxCommandException("expected a JSON object");
    }
    for (Iterator<String> names = envelope.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidOutboxCommandException("unknown envelope field " + name + " (the body goes in \"body\")");
      }
    }
    return envelope;
  }

  private static long leadId(JsonNode envelope) {
    return requiredLong(envelope, "leadId");
  }

  private static OffsetDateTime issuedAt(JsonNode envelope, Clock clock) {
    JsonNode value = envelope.get("issuedAt");
    if (value == null || value.isNull()) {
      return OffsetDateTime.now(clock);
    }
    try {
      return OffsetDateTime.parse(value.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeException e) {
      throw new InvalidOutboxCommandException("issuedAt is not an ISO-8601 date-time with offset: " + value.asText());
    }
  }

  private static String requiredText(JsonNode envelope, String field) {
    JsonNode value = envelope.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new InvalidOutboxCommandException(field + " must be a non-empty string");
    }
    return value.textValue();
  }

  private static long requiredLong(JsonNode envelope, String field) {
    JsonNode value = envelope.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidOutboxCommandException(field + " must be a whole number");
    }
    return value.longValue();
  }
}
