package io.lms.command.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.domain.Rejection;
import io.lms.schema.ApiError;
import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.UpdateLead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandEnvelopeTest {
  static final Instant RECEIVED = Instant.parse("2026-11-27T10:00:00Z");

  static CommandEnvelope parse(String json) {
    return CommandEnvelope.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static LeadCommand read(String json) {
    return parse(json).toCommand(RECEIVED);
  }

  static String envelope(String kind, String leadId, String body) {
    return "{\"commandId\":\"crm:1\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"" + kind + "\""
        + (leadId == null ? "" : ",\"leadId\":" + leadId) + (body == null ? "" : ",\"body\":" + body) + "}";
  }

  static int codeOf(String json) {
    CommandEnvelope envelope = parse(json);
    try {
      envelope.toCommand(RECEIVED);
    } catch (Rejection e) {
      return e.errors().stream().map(ApiError::getCode).findFirst().orElseThrow();
    }
    throw new AssertionError("not rejected: " + json);
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
    assertThat(create.getIssuedAt()).as("no issuedAt: the time given for that").isEqualTo(RECEIVED);
    assertThat(create.getPayload()).isInstanceOfSatisfying(CreateLead.class, c -> {
      assertThat(c.getLeadFor()).isEqualTo("item001");
      assertThat(c.getExtendedFields()).isEqualTo(Map.of("trial_status", "Not Done", "visits", "3"));
      assertThat(c.getFollowUpDetails()).singleElement().satisfies(f -> assertThat(f.getNotes()).isEqualTo("walk-in"));
    });

    assertThat(read(envelope("UpdateLead", "4", "{\"owner\":\"anna.k\"}")).getPayload())
        .isEqualTo(new UpdateLead(4L, null, "anna.k"));
    assertThat(read(envelope("ChangeStatus", "4", "{\"status\":\"LOST\",\"reasonId\":2}")).getPayload())
        .isEqualTo(new ChangeStatus(4L, "LOST", null, 2L, null, null));
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
  void judgesTheBodyAsTheHttpApiDoesWithItsCodes() {
    assertThat(codeOf(envelope("UpdateLead", "1", "{\"owner\":\"a\",\"status\":\"WON\"}"))).as("unknown field").isEqualTo(93002);
    assertThat(codeOf(envelope("UpdateLead", "1", "{\"owner\":5}"))).as("wrong type").isEqualTo(93003);
    assertThat(codeOf(envelope("CreateLead", null, null))).as("no body").isEqualTo(93001);
    assertThat(codeOf(envelope("ConfigureReasons", null, "{\"reason\":\"x\"}"))).as("not an array").isEqualTo(93003);
    assertThat(codeOf(envelope("CreateLead", null, "[".repeat(20) + "]".repeat(20)))).as("nested too deep").isEqualTo(93001);
  }

  @Test
  void judgesTheRestOfTheEnvelopeWithTheApiCodesForTheSameFault() {
    assertThat(codeOf(envelope("ChangeStatus", null, "{\"status\":\"LOST\"}"))).as("no leadId").isEqualTo(92010);
    assertThat(codeOf(envelope("ChangeStatus", "0", "{\"status\":\"LOST\"}"))).as("leadId 0").isEqualTo(93003);
    assertThat(codeOf(envelope("ChangeStatus", "\"1\"", "{\"status\":\"LOST\"}"))).as("leadId a string").isEqualTo(93003);
    assertThat(codeOf(envelope("DeleteLead", "1", "{}"))).as("unknown kind").isEqualTo(93007);
    assertThat(codeOf("{\"commandId\":\"c\",\"org\":\"acme\",\"actorId\":7,\"body\":{}}")).as("no kind").isEqualTo(93007);
    assertThat(codeOf(envelope("CreateLead", null, "{}").replace("\"actorId\":7", "\"actorId\":\"7\"")))
        .as("actorId a string").isEqualTo(93003);
    assertThat(codeOf(envelope("CreateLead", null, "{}").replace("\"actorId\":7", "\"actorId\":7,\"issuedAt\":\"yesterday\"")))
        .as("issuedAt not ISO-8601").isEqualTo(93005);
  }

  @Test
  void leavesToTheTopologyWhatAnAvroCommandMayGetWrongToo() {
    CommandEnvelope envelope = parse(envelope("CreateLead", null, "{}").replace("\"crm:1\"", "\"\"").replace("\"acme\"", "\"not an org!\""));

    assertThat(envelope.toCommand(RECEIVED)).satisfies(c -> {
      assertThat(c.getCommandId()).isEmpty();
      assertThat(c.getOrgId()).isEqualTo("not an org!");
    });
  }

  @Test
  void refusesWhatIsNoEnvelope() {
    assertThatThrownBy(() -> parse("{\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\",\"body\":{}}"))
        .isInstanceOf(InvalidCommandEnvelopeException.class).hasMessage("commandId must be a string");
    assertThatThrownBy(() -> parse("{\"commandId\":\"c\",\"org\":7,\"body\":{}}")).hasMessage("org must be a string");
    assertThatThrownBy(() -> parse("{\"commandId\":\"x\",\"org\":\"acme\",\"leadFor\":\"item\"}"))
        .hasMessageContaining("unknown envelope field leadFor");
    assertThatThrownBy(() -> parse("not json")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> parse("[]")).hasMessage("expected a JSON object");
    assertThatThrownBy(() -> parse("{\"commandId\":\"c\",\"org\":\"acme\"} {}")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> parse("")).isInstanceOf(InvalidCommandEnvelopeException.class);
  }
}
