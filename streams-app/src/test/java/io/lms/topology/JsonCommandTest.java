package io.lms.topology;

import static io.lms.topology.LeadCommandTopologyTest.codes;
import static io.lms.topology.LeadCommandTopologyTest.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.UpdateLead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * JSON command envelopes on {@code lms.lead-commands}, in the topology run with the service's own
 * Kafka Streams properties: applied as their Avro twins are, and refused with the codes the HTTP API
 * answers with (compared with the API itself in {@code JsonCommandsMatchTheApiTest}).
 */
class JsonCommandTest {
  private final TopologyFixture lms = TopologyFixture.onProductionConfig();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  /** The envelope of {@code twin}: its id, org, actor and time, with {@code body} as the API's request body. */
  static String envelope(LeadCommand twin, String kind, Long leadId, String body) {
    return "{\"commandId\":\"" + twin.getCommandId() + "\",\"org\":\"" + twin.getOrgId() + "\",\"actorId\":"
        + twin.getActorId() + ",\"kind\":\"" + kind + "\"" + (leadId == null ? "" : ",\"leadId\":" + leadId)
        + ",\"issuedAt\":\"" + twin.getIssuedAt() + "\",\"body\":" + body + "}";
  }

  static String envelope(String commandId, String kind, Long leadId, String body) {
    return "{\"commandId\":\"" + commandId + "\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"" + kind + "\""
        + (leadId == null ? "" : ",\"leadId\":" + leadId) + ",\"body\":" + body + "}";
  }

  private CommandResult sendJson(String key, String json) {
    List<CommandResult> results = lms.sendRaw(key, json.getBytes(StandardCharsets.UTF_8), TopologyFixture.START);
    assertThat(results).as("results of %s", json).hasSize(1);
    return results.get(0);
  }

  private CommandResult sendJson(String json) {
    return sendJson("acme", json);
  }

  @Test
  void everyKindOfCommandIsAppliedExactlyAsItsAvroTwin() {
    // given the same writes as Avro commands and as JSON envelopes with the API's request bodies
    Map<LeadCommand, String> writes = new LinkedHashMap<>();
    LeadCommand reasons = acme.reasons("Out of stock", "Too dear");
    writes.put(reasons, envelope(reasons, "ConfigureReasons", null, "[{\"reason\":\"Out of stock\"},{\"reason\":\"Too dear\"}]"));
    LeadCommand subStatus = acme.subStatus("LOST", "Gone");
    writes.put(subStatus, envelope(subStatus, "CreateSubStatus", null, "{\"status\":\"LOST\",\"subStatus\":\"Gone\"}"));
    LeadCommand create = acme.command(Commands.sampleCreate());
    writes.put(create, envelope(create, "CreateLead", null, Commands.SAMPLE_CREATE_JSON));
    LeadCommand update = acme.command(new UpdateLead(1L, Map.of("trial_status", "Done"), "sam"));
    writes.put(update, envelope(update, "UpdateLead", 1L, "{\"extendedFields\":{\"trial_status\":\"Done\"},\"owner\":\"sam\"}"));
    LeadCommand followUp = acme.command(new RecordFollowUp(1L, "2026-11-27T10:00:00Z", null, 124L, "2026-11-28T10:00:00Z", null, null));
    writes.put(followUp, envelope(followUp, "RecordFollowUp", 1L,
        "{\"followedUpOn\":\"2026-11-27T10:00:00Z\",\"createdBy\":124,\"nextFollowUp\":\"2026-11-28T10:00:00Z\"}"));
    LeadCommand status = acme.command(new ChangeStatus(1L, "LOST", "Gone", 2L, null, null));
    writes.put(status, envelope(status, "ChangeStatus", 1L, "{\"status\":\"LOST\",\"subStatus\":\"Gone\",\"reasonId\":2}"));

    try (TopologyFixture avro = TopologyFixture.onProductionConfig()) {
      for (var write : writes.entrySet()) {
        // when one topology takes the Avro command and the other the JSON envelope
        CommandResult fromAvro = avro.send(write.getKey());
        CommandResult fromJson = sendJson(write.getValue());

        // then both decide the same, write the same and tell the same
        assertThat(fromJson).as(write.getValue()).isEqualTo(fromAvro);
        assertThat(fromJson.getOutcome()).isInstanceOf(Accepted.class);
        assertThat(lms.drainEvents()).isEqualTo(avro.drainEvents());
      }
      assertThat(lms.storedLead("acme", 1L)).isEqualTo(avro.storedLead("acme", 1L));
      assertThat(lms.storedLead("acme", 1L).getStatus().name()).isEqualTo("LOST");
    }
  }

  @Test
  void aCommandWithoutIssuedAtIsStampedWithItsRecordTime() {
    Instant recordTime = Instant.parse("2026-10-01T08:00:00Z");

    List<CommandResult> results = lms.sendRaw("acme", envelope("j1", "CreateLead", null,
        "{\"leadFor\":\"item001\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}").getBytes(StandardCharsets.UTF_8),
        recordTime);

    assertThat(lead(results.get(0)).getCreatedOn()).isEqualTo("2026-10-01T08:00:00Z");
    assertThat(lead(results.get(0)).getLastUpdatedOn()).isEqualTo("2026-10-01T08:00:00Z");
  }

  @Test
  void whitespaceBeforeTheEnvelopeIsStillJson() {
    CommandResult result = sendJson(" \r\n\t" + envelope("j1", "ConfigureReasons", null, "[{\"reason\":\"Too dear\"}]"));

    assertThat(result.getCommandId()).isEqualTo("j1");
    assertThat(result.getOutcome()).isInstanceOf(Accepted.class);
  }

  @Test
  void whatTheApiWouldRefuseIsRejectedWithTheApiCodeAndChangesNothing() {
    sendJson(envelope("setup", "CreateLead", null, "{\"leadFor\":\"item001\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}"));
    lms.drainEvents();
    record Case(String commandId, String json, int code) {}
    List<Case> cases = List.of(
        new Case("c1", envelope("c1", "UpdateLead", 1L, "{\"owner\":\"sam\",\"status\":\"WON\"}"), 93002),
        new Case("c2", envelope("c2", "UpdateLead", 1L, "{\"owner\":5}"), 93003),
        new Case("c3", envelope("c3", "CreateLead", null, "null"), 93001),
        new Case("c4", envelope("c4", "CreateLead", null, "[".repeat(20) + "]".repeat(20)), 93001),
        new Case("c5", envelope("c5", "ChangeStatus", null, "{\"status\":\"LOST\"}"), 92010),
        new Case("c6", envelope("c6", "ChangeStatus", 0L, "{\"status\":\"LOST\"}"), 93003),
        new Case("c7", envelope("c7", "DeleteLead", 1L, "{}"), 93007),
        new Case("c8", envelope("c8", "CreateLead", null, "{}").replace("\"actorId\":7", "\"actorId\":7,\"issuedAt\":\"today\""), 93005),
        new Case("c9", envelope("c9", "CreateLead", null, "{}").replace("\"actorId\":7", "\"actorId\":\"7\""), 93003),
        // and what the rules refuse, as for any command
        new Case("c10", envelope("c10", "ChangeStatus", 1L, "{\"status\":\"MAYBE\"}"), 92003),
        new Case("c11", envelope("c11", "ChangeStatus", 9L, "{\"status\":\"LOST\"}"), 92001),
        new Case("c12", envelope("c12", "RecordFollowUp", 1L, "{\"followedUpOn\":\"tomorrow\"}"), 93005),
        new Case("c13", envelope("c13", "ConfigureReasons", null, "[{\"reason\":\" \"}]"), 93009),
        new Case("c14", envelope("c14", "UpdateLead", 1L, "{}"), 93008));

    for (Case c : cases) {
      CommandResult result = sendJson(c.json());
      assertThat(result.getCommandId()).isEqualTo(c.commandId());
      assertThat(codes(result)).as(c.json()).containsExactly(c.code());
    }
    assertThat(lms.drainEvents()).isEmpty();
    assertThat(lms.storedLead("acme", 1L).getLeadFor()).isEqualTo("item001");
  }

  @Test
  void theEnvelopeIsJudgedAsAnAvroCommandsIs() {
    String reasons = "[{\"reason\":\"Too dear\"}]";

    assertThat(codes(sendJson("globex", envelope("k1", "ConfigureReasons", null, reasons))))
        .as("a key that is not the org").containsExactly(93007);
    assertThat(codes(sendJson(envelope("", "ConfigureReasons", null, reasons)))).as("an empty commandId").containsExactly(93007);
    assertThat(codes(sendJson(envelope("x".repeat(256), "ConfigureReasons", null, reasons)))).as("a commandId too long")
        .containsExactly(93004);
    assertThat(codes(sendJson("not an org!", envelope("k2", "ConfigureReasons", null, reasons).replace("\"acme\"", "\"not an org!\""))))
        .as("an org id LMS does not take").containsExactly(93007);
    assertThat(codes(sendJson("globex", envelope("k3", "ChangeStatus", null, "{}"))))
        .as("the key is judged before the body").containsExactly(93007);
  }

  @Test
  void aRepeatedCommandIdGetsItsFirstResultWhateverFormItComesIn() {
    LeadCommand create = acme.create(Commands.lead("a@example.com"));
    CommandResult first = lms.send(create);
    lms.drainEvents();

    CommandResult again = sendJson(envelope(create, "CreateLead", null,
        "{\"leadFor\":\"item001\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}"));
    CommandResult rejected = sendJson(envelope("j1", "UpdateLead", 1L, "{\"owner\":5}"));
    CommandResult rejectedAgain = sendJson(envelope("j1", "UpdateLead", 1L, "{\"owner\":\"sam\"}"));

    assertThat(again).isEqualTo(first);
    assertThat(rejectedAgain).as("a rejection is a first result too").isEqualTo(rejected);
    assertThat(lms.drainEvents()).isEmpty();
  }
}
