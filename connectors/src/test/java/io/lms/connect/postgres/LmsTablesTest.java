package io.lms.connect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.connect.converter.LmsAvroConverter;
import io.lms.connect.converter.SampleRecords;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.codec.SingleObjectCodec;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class LmsTablesTest {
  static final LmsAvroConverter CONVERTER = new LmsAvroConverter();

  static {
    CONVERTER.configure(Map.of(), false);
  }

  static Struct connectLead() {
    return (Struct) CONVERTER.toConnectData("lms.leads", SingleObjectCodec.of(LeadState.class).encode(SampleRecords.lead())).value();
  }

  static Struct connectEvent(LeadEvent event) {
    return (Struct) CONVERTER.toConnectData("lms.lead-events", SingleObjectCodec.of(LeadEvent.class).encode(event)).value();
  }

  static Map<String, Object> row(AnalyticsTable table, Struct value) {
    Map<String, Object> row = new LinkedHashMap<>();
    table.columns().forEach(c -> row.put(c.name(), c.value().apply(value)));
    return row;
  }

  @Test
  void aLeadIsFlattenedIntoColumnsAndKeptWholeAsJson() throws Exception {
    Map<String, Object> row = row(LmsTables.LEADS, connectLead());

    assertThat(row).containsEntry("org_id", "acme").containsEntry("lead_id", 12L).containsEntry("user_id", 3L)
        .containsEntry("type", "SKU").containsEntry("lead_for", "item001").containsEntry("status", "ON_HOLD")
        .containsEntry("sub_status", "Waiting").containsEntry("owner", "anna.k").containsEntry("follow_ups", 1)
        .containsEntry("created_on", OffsetDateTime.parse("2026-11-27T15:30:00+05:30"))
        .containsEntry("next_follow_up", OffsetDateTime.parse("2026-12-01T10:00:00+05:30"))
        .containsEntry("last_follow_up", null);
    JsonNode extended = new ObjectMapper().readTree((String) row.get("extended_fields"));
    assertThat(extended.get("trial_status").asText()).isEqualTo("Not Done");
    JsonNode lead = new ObjectMapper().readTree((String) row.get("lead"));
    assertThat(lead.get("statusLogDetails").get(1).get("reason").asText()).isEqualTo("Best price elsewhere");
    assertThat(lead.get("lastFollowUp").isNull()).isTrue();
  }

  @Test
  void anEventKeepsItsKindAndTheStatusesItMovesBetween() throws Exception {
    List<LeadEvent> events = SampleRecords.events();

    Map<String, Object> created = row(LmsTables.LEAD_EVENTS, connectEvent(events.get(1)));
    Map<String, Object> changed = row(LmsTables.LEAD_EVENTS, connectEvent(events.get(2)));
    Map<String, Object> customer = row(LmsTables.LEAD_EVENTS, connectEvent(events.get(0)));

    assertThat(created).containsEntry("event_id", "c1/1").containsEntry("kind", "LeadCreated")
        .containsEntry("status", "ON_HOLD").containsEntry("from_status", null).containsEntry("lead_id", 12L)
        .containsEntry("occurred_at", OffsetDateTime.parse("2026-11-27T10:00:00Z"));
    assertThat(changed).containsEntry("kind", "StatusChanged").containsEntry("status", "ON_HOLD")
        .containsEntry("from_status", "OPEN");
    assertThat(customer).containsEntry("kind", "CustomerRegistered").containsEntry("lead_id", null)
        .containsEntry("status", null);
    JsonNode json = new ObjectMapper().readTree((String) changed.get("event"));
    assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-27T10:01:00Z");
    assertThat(json.get("payload").size()).as("only the branch the union holds").isEqualTo(1);
    assertThat(json.at("/payload/StatusChanged/entry/reasonId").asLong()).isEqualTo(2L);
  }

  @Test
  void leadsAreUpsertedByOrgAndLeadIdAndEventsInsertedOnce() {
    TableName leads = TableName.parse("lms.leads");

    assertThat(LmsTables.LEADS.writeStatement(leads))
        .startsWith("INSERT INTO lms.leads (org_id, lead_id, user_id,")
        .contains("?::jsonb")
        .contains("ON CONFLICT (org_id, lead_id) DO UPDATE SET user_id = EXCLUDED.user_id,")
        .doesNotContain("org_id = EXCLUDED").doesNotContain("lead_id = EXCLUDED");
    assertThat(LmsTables.LEAD_EVENTS.writeStatement(TableName.parse("lead_events")))
        .endsWith("ON CONFLICT (org_id, event_id) DO NOTHING");
    assertThat(LmsTables.LEADS.createStatements(leads))
        .first().isEqualTo("CREATE SCHEMA IF NOT EXISTS lms");
    assertThat(LmsTables.LEADS.createStatements(leads))
        .contains("CREATE INDEX IF NOT EXISTS leads_org_id_status_last_updated_on_idx ON lms.leads (org_id, status, last_updated_on)");
  }

  @Test
  void tableNamesArePlainIdentifiersOnly() {
    assertThat(TableName.parse("lead_events")).hasToString("lead_events");
    assertThat(TableName.parse(" analytics.leads ").schema()).contains("analytics");
    assertThatThrownBy(() -> TableName.parse("leads; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TableName.parse("\"Leads\"")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LmsTables.forKind("reasons")).hasMessageContaining("leads");
  }
}
