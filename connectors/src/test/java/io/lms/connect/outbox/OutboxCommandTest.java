package io.lms.connect.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.UpdateLead;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxCommandTest {
  static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static LeadCommand read(String json) {
    return OutboxCommand.read(json.getBytes(StandardCharsets.UTF_8), CLOCK);
  }

  static String envelope(String kind, String leadId, String body) {
    return "{\"commandId\":\"crm:1\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"" + kind + "\""
        + (leadId == null ? "" : ",\"leadId\":" + leadId) + ",\"body\":" + body + "}";
  }

  @Test
  void readsTheEnvelopeAndTheApiBodyOfEachKind() {
    LeadCommand create = read(envelope("CreateLead", null, """
        {"type":"SKU","leadFor":"item001","idType":"EMAIL","identifier":"tom@example.com",
         "extendedFields":{"trial_status":"Not Done","visits":3},
         "followUpDetails":[{"followedUpOn":"2026-11-26T10:00:00Z","notes":"walk-in"}]}"""));
    assertThat(create.getCommandId()).isEqualTo("crm:1");
    assertThat(create.getOrgId()).isEqualTo("acme");
    assertThat(create.getActorId()).isEqualTo(7L);
    assertThat(create.getIssuedAt()).isEqualTo(NOW);
    assertThat(create.getPayload()).isInstanceOfSatisfying(CreateLead.class, c -> {
      assertThat(c.getLeadFor()).isEqualTo("item001");
      assertThat(c.getExtendedFields()).isEqualTo(Map.of("trial_status", "Not Done", "visits", "3"));
      assertThat(c.getFollowUpDetails()).singleElement().satisfies(f -> assertThat(f.getNotes()).isEqualTo("walk-in"));
    });

    assertThat(read(envelope("UpdateLead", "4", "{\"owner\":\"anna.k\"}")).getPayload())
        .isEqualTo(new UpdateLead(4L, null, "anna.k"));
    assertThat(read(envelope("RecordFollowUp", "4", "{\"followedUpOn\":\"2026-11-27T09:00:00Z\"}")).getPayload())
        .isEqualTo(new RecordFollowUp(4L, "2026-11-27T09:00:00Z", null, null, null, null, null));
    assertThat(read(envelope("ConfigureReasons", null, "[{\"reason\":\"Bought elsewhere\"}]")).getPayload())
        .isEqualTo(new ConfigureReasons(List.of("Bought elsewhere")));
    assertThat(read(envelope("CreateSubStatus", null, "{\"status\":\"LOST\",\"subStatus\":\"Price\"}")).getPayload())
        .isEqualTo(new CreateSubStatus("LOST", "Price"));
  }

  @Test
  void takesTheIssuedAtOfTheEnvelopeWhenGiven() {
    LeadCommand command = read("""
        {"commandId":"crm:2","org":"acme","actorId":7,"kind":"CreateSubStatus","issuedAt":"2026-11-01T12:00:00+05:30",
         "body":{"status":"LOST","subStatus":"Price"}}""");

    assertThat(command.getIssuedAt()).isEqualTo(Instant.parse("2026-11-01T06:30:00Z"));
  }

  @Test
  void refusesWhatCannotBeACommandNamingTheCommand() {
    assertThatThrownBy(() -> read(envelope("ChangeStatus", null, "{\"status\":\"LOST\"}")))
        .isInstanceOf(InvalidOutboxCommandException.class).hasMessage("command crm:1: leadId must be a whole number");
    assertThatThrownBy(() -> read(envelope("DeleteLead", "1", "{}")))
        .hasMessageStartingWith("command crm:1: unknown kind DeleteLead");
    assertThatThrownBy(() -> read(envelope("UpdateLead", "1", "{\"owner\":\"a\",\"status\":\"WON\"}")))
        .hasMessageStartingWith("command crm:1: 93002");
    assertThatThrownBy(() -> read(envelope("UpdateLead", "1", "{\"owner\":5}")))
        .hasMessageStartingWith("command crm:1: 93003");
    assertThatThrownBy(() -> read("{\"commandId\":\"crm:3\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\"}"))
        .hasMessage("command crm:3: body is missing");
    assertThatThrownBy(() -> read("{\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\",\"body\":{}}"))
        .hasMessage("commandId must be a non-empty string");
    assertThatThrownBy(() -> read("{\"commandId\":\"x\",\"leadFor\":\"item\"}"))
        .hasMessageContaining("unknown envelope field leadFor");
    assertThatThrownBy(() -> read("not json")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> read(envelope("CreateLead", null, "{}").replace("\"actorId\":7", "\"actorId\":\"7\"")))
        .hasMessage("command crm:1: actorId must be a whole number");
  }
}
