package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What {@code lms tail} prints for a record of each kind. */
class RecordJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final LmsTopics TOPICS = LmsTopics.withPrefix("lms.");
  private static final TopicRecords RECORDS = new TopicRecords("lms.", TOPICS);
  private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

  private static JsonNode printed(String topic, byte[] value, RecordHeaders headers) throws Exception {
    var record = new ConsumerRecord<>(topic, 1, 42L, AT.toEpochMilli(), TimestampType.CREATE_TIME, 4,
        value == null ? 0 : value.length, "acme".getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty());
    String line = TailCommand.json(record, RECORDS);
    assertThat(line).doesNotContain("\n");
    return MAPPER.readTree(line);
  }

  @Test
  void aCommandReadsAsPlainJsonWithItsPayloadNamedAndNullsLeftOut() throws Exception {
    var command = new LeadCommand("till-7:0001", "acme", 7L, AT, CreateLead.newBuilder()
        .setLeadFor("sku-1").setIdentifier("tom@example.com").setExtendedFields(Map.of("trial", "done")).build());

    JsonNode json = printed("lms.lead-commands", SingleObjectCodec.of(LeadCommand.class).encode(command),
        new RecordHeaders());

    assertThat(json.get("topic").asText()).isEqualTo("lms.lead-commands");
    assertThat(json.get("partition").asInt()).isEqualTo(1);
    assertThat(json.get("offset").asLong()).isEqualTo(42L);
    assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-27T10:00:00Z");
    assertThat(json.get("key").asText()).isEqualTo("acme");
    assertThat(json.has("headers")).isFalse();
    JsonNode value = json.get("value");
    assertThat(value.get("commandId").asText()).isEqualTo("till-7:0001");
    assertThat(value.get("issuedAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
    JsonNode create = value.get("payload").get("CreateLead");
    assertThat(create.get("leadFor").asText()).as("no {\"string\": ...} wrapper").isEqualTo("sku-1");
    assertThat(create.get("extendedFields").get("trial").asText()).isEqualTo("done");
    assertThat(create.has("userId")).as("null fields are left out").isFalse();
    assertThat(create.get("followUpDetails").isArray()).isTrue();
  }

  @Test
  void aRejectionShowsItsCodes() throws Exception {
    var result = new CommandResult("c1", "acme", AT, new Rejected(List.of(new ApiError(92003, "Invalid Lead Status MAYBE"))), null);

    JsonNode json = printed("lms.command-results", SingleObjectCodec.of(CommandResult.class).encode(result),
        new RecordHeaders());

    JsonNode error = json.get("value").get("outcome").get("Rejected").get("errors").get(0);
    assertThat(error.get("code").asInt()).isEqualTo(92003);
    assertThat(error.get("message").asText()).isEqualTo("Invalid Lead Status MAYBE");
  }

  @Test
  void deadLettersShowTheirBytesAndTheReasonHeaders() throws Exception {
    var headers = new RecordHeaders();
    headers.add("__streams.errors.message", "Cannot decode LeadCommand".getBytes(StandardCharsets.UTF_8));
    byte[] poison = "not a command".getBytes(StandardCharsets.UTF_8);

    JsonNode json = printed("lms.lead-commands-dlq", poison, headers);

    assertThat(json.get("value").isNull()).isTrue();
    assertThat(json.get("undecodable").asText()).contains("LeadCommand");
    assertThat(json.get("valueBase64").binaryValue()).isEqualTo(poison);
    assertThat(json.get("headers").get("__streams.errors.message").asText()).isEqualTo("Cannot decode LeadCommand");
  }

  @Test
  void aTombstoneHasANullValue() throws Exception {
    JsonNode json = printed("lms.leads", null, new RecordHeaders());

    assertThat(json.get("value").isNull()).isTrue();
    assertThat(json.has("undecodable")).isFalse();
  }

  @Test
  void topicsAreFoundByFullOrShortName() {
    assertThat(RECORDS.topicNamed("lead-events")).contains("lms.lead-events");
    assertThat(RECORDS.topicNamed("lms.substatuses")).contains("lms.substatuses");
    assertThat(RECORDS.topicNamed("lead-commands-dlq")).contains("lms.lead-commands-dlq");
    assertThat(RECORDS.topicNamed("orders")).isEmpty();
  }
}
