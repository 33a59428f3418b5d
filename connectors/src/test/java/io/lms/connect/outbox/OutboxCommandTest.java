package io.lms.connect.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.ChangeStatus;
import io.lms.schema.LeadCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The outbox's side of the command envelope (read by CommandEnvelope, tested in streams-app). */
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
  void readsAnEnvelopeStampedWithTheTimeOfConversionWhenItGivesNone() {
    LeadCommand command = read(envelope("ChangeStatus", "4", "{\"status\":\"LOST\",\"reasonId\":2}"));

    assertThat(command).isEqualTo(new LeadCommand("crm:1", "acme", 7L, NOW, new ChangeStatus(4L, "LOST", null, 2L, null, null)));
  }

  @Test
  void refusesWhatCannotBeACommandNamingTheCommandAndTheApiCode() {
    assertThatThrownBy(() -> read(envelope("ChangeStatus", null, "{\"status\":\"LOST\"}")))
        .isInstanceOf(InvalidOutboxCommandException.class).hasMessage("command crm:1: 92010 LeadId cannot be null");
    assertThatThrownBy(() -> read(envelope("DeleteLead", "1", "{}")))
        .hasMessageStartingWith("command crm:1: 93007 Invalid command: unknown kind DeleteLead");
    assertThatThrownBy(() -> read(envelope("UpdateLead", "1", "{\"owner\":\"a\",\"status\":\"WON\"}")))
        .hasMessageStartingWith("command crm:1: 93002");
    assertThatThrownBy(() -> read("{\"commandId\":\"crm:3\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\"}"))
        .hasMessage("command crm:3: 93001 Malformed request body: the body is empty");
  }

  @Test
  void refusesWhatIsNoEnvelopeAtAll() {
    assertThatThrownBy(() -> read("{\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\",\"body\":{}}"))
        .isInstanceOf(InvalidOutboxCommandException.class).hasMessage("commandId must be a string");
    assertThatThrownBy(() -> read("not json")).hasMessageStartingWith("not JSON");
  }
}
