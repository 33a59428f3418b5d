package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JSON command on {@code lms.lead-commands} is refused with the very code the HTTP API answers
 * the same request with: each bad request goes to the API, then as a command envelope with the
 * same body to the topology behind it.
 */
class JsonCommandsMatchTheApiTest {
  static ApiFixture api;
  static final AtomicInteger IDS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    api = new ApiFixture().withAcmeAndGlobexLeads();
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  /** One write: the API's method and path, the envelope's kind and leadId, the body (null: none). */
  record Write(String method, String path, String kind, Long leadId, String body) {}

  static Write create(String body) {
    return new Write("POST", "/v2/leads", "CreateLead", null, body);
  }

  static Write update(long leadId, String body) {
    return new Write("PUT", "/v2/leads/" + leadId, "UpdateLead", leadId, body);
  }

  static Write status(long leadId, String body) {
    return new Write("PUT", "/v2/leads/" + leadId + "/status", "ChangeStatus", leadId, body);
  }

  static Write followUp(long leadId, String body) {
    return new Write("POST", "/v2/leads/" + leadId + "/followup", "RecordFollowUp", leadId, body);
  }

  static Write reasons(String body) {
    return new Write("POST", "/v2/leads/reasons", "ConfigureReasons", null, body);
  }

  static Write subStatus(String body) {
    return new Write("POST", "/v2/leads/substatus", "CreateSubStatus", null, body);
  }

  static List<Integer> codesAsCommand(Write write) {
    String json = "{\"commandId\":\"json-" + IDS.incrementAndGet() + "\",\"org\":\"acme\",\"actorId\":15002926,"
        + "\"kind\":\"" + write.kind() + "\"" + (write.leadId() == null ? "" : ",\"leadId\":" + write.leadId())
        + (write.body() == null ? "" : ",\"body\":" + write.body()) + "}";
    List<CommandResult> results = api.commands.sendRaw("acme", json.getBytes(StandardCharsets.UTF_8));
    assertThat(results).as(json).hasSize(1);
    assertThat(results.get(0).getOutcome()).as(json).isInstanceOf(Rejected.class);
    return ((Rejected) results.get(0).getOutcome()).getErrors().stream().map(ApiError::getCode).toList();
  }

  @Test
  void everyRefusalOfTheApiIsTheRejectionOfTheSameJsonCommand() throws Exception {
    String deep = "[".repeat(20) + "]".repeat(20);
    List<Write> writes = List.of(
        create(null),
        create(deep),
        create("{\"leadFor\":\"x\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\",\"id\":5}"),
        create("{\"leadFor\":\"x\",\"userId\":\"12\"}"),
        create("{\"type\":\"NOPE\",\"leadFor\":\"x\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}"),
        create("{\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}"),
        create("{\"leadFor\":\"x\"}"),
        create("{\"leadFor\":\"x\",\"idType\":\"FAX\",\"identifier\":\"1\"}"),
        create("{\"leadFor\":\"" + "x".repeat(300) + "\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}"),
        create("{\"leadFor\":\"x\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\",\"nextFollowUp\":\"2026-11-27 10:00\"}"),
        update(1, "{}"),
        update(1, "{\"owner\":\"not an owner!\"}"),
        update(1, "{\"extendedFields\":[1]}"),
        update(0, "{\"owner\":\"sam\"}"),
        status(1, "{}"),
        status(1, "{\"status\":\"MAYBE\"}"),
        status(1, "{\"status\":\"LOST\",\"reasonId\":99}"),
        status(1, "{\"status\":\"LOST\",\"subStatus\":\"Nope\"}"),
        status(99, "{\"status\":\"LOST\"}"),
        followUp(1, "{}"),
        followUp(1, "{\"followedUpOn\":\"yesterday\"}"),
        reasons("{\"reason\":\"x\"}"),
        reasons("[{\"reason\":\"\"}]"),
        subStatus("{\"status\":\"LOST\",\"subStatus\":\"Gone\"}"),
        subStatus("{\"status\":\"LOST\"}"));

    for (Write write : writes) {
      ApiFixture.Answer http = api.acme(write.method(), write.path(), write.body() == null ? "" : write.body());
      assertThat(http.status()).as("%s %s %s", write.method(), write.path(), write.body()).isIn(400, 404);

      assertThat(codesAsCommand(write)).as("%s %s %s", write.method(), write.path(), write.body())
          .containsExactly(http.code());
    }
  }
}
