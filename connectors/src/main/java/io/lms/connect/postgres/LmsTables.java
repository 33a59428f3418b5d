package io.lms.connect.postgres;

import io.lms.connect.postgres.AnalyticsTable.Column;
import io.lms.connect.postgres.AnalyticsTable.Write;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The two tables analytics asks for: the latest state of every lead (from {@code lms.leads}) and
 * every event (from {@code lms.lead-events}). What analysts filter and group by is a column; the
 * whole record is kept as JSONB beside it, so a field without a column is still one
 * {@code ->>} away.
 */
final class LmsTables {
  static final AnalyticsTable LEADS = new AnalyticsTable("leads", List.of(
      new Column("org_id", "text NOT NULL", v -> v.getString("orgId")),
      new Column("lead_id", "bigint NOT NULL", v -> v.getInt64("id")),
      new Column("user_id", "bigint NOT NULL", v -> v.getInt64("userId")),
      new Column("type", "text NOT NULL", v -> v.getString("type")),
      new Column("lead_for", "text NOT NULL", v -> v.getString("leadFor")),
      new Column("status", "text NOT NULL", v -> v.getString("status")),
      new Column("sub_status", "text", v -> v.getString("subStatus")),
      new Column("owner", "text", v -> v.getString("owner")),
      new Column("org_source_id", "bigint", v -> v.getInt64("orgSourceId")),
      new Column("created_on", "timestamptz", v -> time(v.getString("createdOn"))),
      new Column("created_by", "bigint", v -> v.getInt64("createdBy")),
      new Column("last_updated_on", "timestamptz", v -> time(v.getString("lastUpdatedOn"))),
      new Column("last_updated_by", "bigint", v -> v.getInt64("lastUpdatedBy")),
      new Column("next_follow_up", "timestamptz", v -> time(v.getString("nextFollowUp"))),
      new Column("last_follow_up", "timestamptz", v -> time(v.getString("lastFollowUp"))),
      new Column("follow_ups", "integer NOT NULL", v -> v.getArray("followUpDetails").size()),
      new Column("extended_fields", "jsonb NOT NULL",
          v -> StructJson.write(v.schema().field("extendedFields").schema(), v.getMap("extendedFields"))),
      new Column("lead", "jsonb NOT NULL", v -> StructJson.write(v.schema(), v))),
      List.of("org_id", "lead_id"),
      Write.UPSERT,
      List.of("org_id, status, last_updated_on", "org_id, user_id", "org_id, next_follow_up"));

  static final AnalyticsTable LEAD_EVENTS = new AnalyticsTable("lead-events", List.of(
      new Column("event_id", "text NOT NULL", v -> v.getString("eventId")),
      new Column("command_id", "text NOT NULL", v -> v.getString("commandId")),
      new Column("org_id", "text NOT NULL", v -> v.getString("orgId")),
      new Column("lead_id", "bigint", v -> v.getInt64("leadId")),
      new Column("actor_id", "bigint NOT NULL", v -> v.getInt64("actorId")),
      new Column("occurred_at", "timestamptz NOT NULL", v -> utc((Date) v.get("occurredAt"))),
      new Column("kind", "text NOT NULL", v -> simpleName(branch(v.getStruct("payload")).name())),
      new Column("status", "text", LmsTables::statusAfter),
      new Column("from_status", "text", v -> statusBefore(v)),
      new Column("event", "jsonb NOT NULL", v -> StructJson.write(v.schema(), v))),
      // An eventId is the commandId and an index, and a commandId is unique only within its org:
      // keyed by event_id alone, one org's event made another's with the same commandId a "duplicate".
      List.of("org_id", "event_id"),
      Write.INSERT_ONCE,
      List.of("org_id, lead_id, occurred_at", "org_id, kind, occurred_at"));

  private static final Map<String, AnalyticsTable> BY_KIND = Map.of(LEADS.kind(), LEADS, LEAD_EVENTS.kind(), LEAD_EVENTS);

  private LmsTables() {}

  static AnalyticsTable forKind(String kind) {
    AnalyticsTable table = BY_KIND.get(kind);
    if (table == null) {
      throw new IllegalArgumentException("unknown table kind " + kind + ": one of " + BY_KIND.keySet());
    }
    return table;
  }

  /** The status a lead has after the event, for the events that set one. */
  private static String statusAfter(Struct event) {
    Field branch = branch(event.getStruct("payload"));
    Struct payload = event.getStruct("payload").getStruct(branch.name());
    return switch (simpleName(branch.name())) {
      case "LeadCreated" -> payload.getStruct("lead").getString("status");
      case "StatusChanged", "AutoClosed" -> payload.getStruct("entry").getString("status");
      default -> null;
    };
  }

  private static String statusBefore(Struct event) {
    Field branch = branch(event.getStruct("payload"));
    return switch (simpleName(branch.name())) {
      case "StatusChanged", "AutoClosed" -> event.getStruct("payload").getStruct(branch.name()).getString("fromStatus");
      default -> null;
    };
  }

  /** The branch a union holds: in Connect data, the one non-null field of the union's struct. */
  private static Field branch(Struct union) {
    for (Field field : union.schema().fields()) {
      if (union.get(field) != null) {
        return field;
      }
    }
    throw new IllegalArgumentException("an empty union: " + union);
  }

  /** A union branch's name without its namespace: {@code io.lms.schema.LeadCreated} is {@code LeadCreated}. */
  static String simpleName(String branchName) {
    return branchName.substring(branchName.lastIndexOf('.') + 1);
  }

  /** An LMS time (ISO-8601 with offset, validated by LMS); anything else is left to the JSON copy. */
  private static OffsetDateTime time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static OffsetDateTime utc(Date date) {
    return date.toInstant().atOffset(ZoneOffset.UTC);
  }
}
