package io.lms.command.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.domain.CommandHandler;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.domain.Times;
import io.lms.schema.LeadCommand;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/**
 * A command as JSON: an envelope naming the command, with the Leads v2 API request body inside, so
 * that an upstream system without Avro writes the same JSON it would POST. Outbox rows carry it,
 * and so may records on {@code lms.lead-commands}.
 *
 * <pre>{@code
 * {"commandId": "crm-42:0001", "org": "demo", "actorId": 7, "kind": "ChangeStatus", "leadId": 1,
 *  "issuedAt": "2026-11-27T10:00:00Z", "body": {"status": "LOST", "reasonId": 2}}
 * }</pre>
 *
 * <p>Read in two steps, because there are two kinds of fault. {@link #parse} refuses what is no
 * envelope at all: not a JSON object, a field it does not have, no {@code commandId} or {@code org}
 * string that a result could be addressed to. {@link #toCommand} judges the rest as the HTTP API
 * judges a request, with its error codes: the body by {@link RequestBodies}, a lead write without
 * {@code leadId} 92010. What an Avro command may get wrong too (an empty commandId, an org id LMS
 * does not take) is left to the topology, which judges both alike.
 */
public final class CommandEnvelope {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Set<String> FIELDS = Set.of("commandId", "org", "actorId", "kind", "leadId", "issuedAt", "body");

  private final JsonNode json;
  private final String commandId;
  private final String org;

  private CommandEnvelope(JsonNode json, String commandId, String org) {
    this.json = json;
    this.commandId = commandId;
    this.org = org;
  }

  /**
   * @throws InvalidCommandEnvelopeException when the bytes are no command envelope
   */
  public static CommandEnvelope parse(byte[] bytes) {
    JsonNode json;
    try {
      json = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidCommandEnvelopeException("not JSON: " + (e instanceof JsonProcessingException p
          ? p.getOriginalMessage() : e.getMessage()));
    }
    if (json == null || !json.isObject()) {
      throw new InvalidCommandEnvelopeException("expected a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidCommandEnvelopeException("unknown envelope field " + CommandHandler.abbreviated(name)
            + " (the request body goes in \"body\")");
      }
    }
    return new CommandEnvelope(json, requiredText(json, "commandId"), requiredText(json, "org"));
  }

  public String commandId() {
    return commandId;
  }

  public String org() {
    return org;
  }

  /**
   * The command the envelope holds.
   *
   * @param issuedAtWhenAbsent the command's time when the envelope gives no {@code issuedAt}
   * @throws Rejection with the API's code for what the HTTP API would refuse too
   */
  public LeadCommand toCommand(Instant issuedAtWhenAbsent) {
    long actorId = actorId();
    CommandKind kind = kind();
    long leadId = kind.needsLeadId() ? CommandKind.leadIdOf(json.get("leadId")) : 0L;
    Instant issuedAt = issuedAt(issuedAtWhenAbsent);
    JsonNode body = json.get("body");
    Object payload = kind.payload(leadId, body == null || body.isNull() ? null : bytesOf(body));
    return new LeadCommand(commandId, org, actorId, issuedAt, payload);
  }

  private long actorId() {
    JsonNode value = json.get("actorId");
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new Rejection(ErrorCode.INVALID_VALUE, "actorId", "expected a whole number");
    }
    return value.longValue();
  }

  private CommandKind kind() {
    JsonNode value = json.get("kind");
    String name = value == null || !value.isTextual() ? null : value.textValue();
    return CommandKind.named(name).orElseThrow(() -> new Rejection(ErrorCode.INVALID_ENVELOPE,
        (name == null ? "no kind" : "unknown kind " + CommandHandler.abbreviated(name)) + " (one of " + CommandKind.NAMES + ")"));
  }

  private Instant issuedAt(Instant whenAbsent) {
    JsonNode value = json.get("issuedAt");
    if (value == null || value.isNull()) {
      return whenAbsent;
    }
    if (!value.isTextual()) {
      throw new Rejection(ErrorCode.INVALID_DATE_TIME, "issuedAt", CommandHandler.abbreviated(value.toString()));
    }
    return Times.parse("issuedAt", value.textValue()).toInstant();
  }

  private static byte[] bytesOf(JsonNode body) {
    try {
      // Written back to bytes so that RequestBodies reads the body exactly as it reads an HTTP
      // request's (its nesting limit included): one reader, one set of error codes.
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written again", e);
    }
  }

  private static String requiredText(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new InvalidCommandEnvelopeException(field + " must be a string");
    }
    return value.textValue();
  }
}
