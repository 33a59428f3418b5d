package io.lms.http;

import static io.lms.http.ApiFixture.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.lms.schema.LeadState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile callers over the real server, topology and reads: bad credentials, another org's data,
 * absurd paging, oversized and deeply nested bodies, mass assignment, traversal and odd ids. Every
 * answer is also checked to be a well-formed error (never a 5xx, a stack trace or an internal
 * name). {@link HttpFuzzTest} covers the same ground with generated inputs; this class names the cases.
 */
class HttpSecurityTest {
  private static final String LEAD_BODY = "{\"leadFor\":\"item\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}";

  private static ApiFixture lms;

  @BeforeAll
  static void givenAcmeWithThreeLeadsAndGlobexWithFive() throws Exception {
    lms = new ApiFixture().withAcmeAndGlobexLeads();
  }


  @AfterAll
  static void close() {
    lms.close();
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  /** The API's routes that need credentials, with a lead id and a body where they take one. */
  private static List<String[]> protectedRoutes() {
    List<String[]> routes = new ArrayList<>();
    for (HttpApi.Route route : HttpApi.routes()) {
      if (route.path().startsWith("/v2/")) {
        routes.add(new String[] {route.method().name(), route.path().replace("{leadId}", "1"),
            route.method() == HandlerType.GET ? null : LEAD_BODY});
      }
    }
    assertThat(routes).hasSize(13);
    return routes;
  }

  private static ApiFixture.Answer wellFormed(ApiFixture.Answer answer, String request) {
    assertWellFormed(answer, request);
    assertThat(answer.body()).as("answer to %s", request).doesNotContain(ApiFixture.GLOBEX_SECRET);
    return answer;
  }

  @Test
  void everyEndpointRefusesMissingWrongAndMalformedCredentials() throws Exception {
    List<String> refused = new ArrayList<>(List.of("", "Basic", "Basic ", "Basic Og==", basic("till"),
        basic("till:wrong"), basic("nobody:secret"), basic("till:secret "), basic(" till:secret"), basic("globex-till:secret"),
        "Basic !!!", "Basic " + Base64.getEncoder().encodeToString("till:secret".getBytes(StandardCharsets.UTF_8)) + "extra",
        "Bearer dGlsbDpzZWNyZXQ=", "Digest username=\"till\"", "Basic " + "QUFB".repeat(1_500), basic("till:secret\u0000")));
    int submitted = lms.commands.submitted;
    for (String[] route : protectedRoutes()) {
      String[] headers = {};
      assertThat(lms.send(route[0], route[1], route[2], headers).code()).as("%s %s without credentials", route[0], route[1])
          .isEqualTo(93011);
      for (String authorization : refused) {
        String request = route[0] + " " + route[1] + " with Authorization: " + authorization;
        ApiFixture.Answer answer = wellFormed(lms.send(route[0], route[1], route[2], "Authorization", authorization), request);
        assertThat(answer.status()).as(request).isEqualTo(401);
        assertThat(answer.code()).as(request).isEqualTo(93011);
        assertThat(answer.headers().get("www-authenticate")).as(request).startsWith("Basic");
      }
    }
    assertThat(lms.commands.submitted).as("commands sent without a valid credential").isEqualTo(submitted);
  }

  @Test
  void anotherOrgsLeadIsNotFoundOnEveryLeadEndpointAndStaysUnchanged() throws Exception {
    LeadState before = lms.commands.storedLead("globex", 4);
    for (String[] request : List.of(
        new String[] {"GET", "/v2/leads/4", null},
        new String[] {"GET", "/v2/leads/4/statusLog", null},
        new String[] {"GET", "/v2/leads/4/followups", null},
        new String[] {"PUT", "/v2/leads/4", "{\"owner\":\"mallory\",\"extendedFields\":{\"x\":\"y\"}}"},
        new String[] {"PUT", "/v2/leads/4/status", "{\"status\":\"LOST\",\"reasonId\":1}"},
        new String[] {"POST", "/v2/leads/4/followup", "{\"followedUpOn\":\"2026-11-27T10:00:00Z\"}"})) {
      ApiFixture.Answer answer = wellFormed(lms.acme(request[0], request[1], request[2]), request[0] + " " + request[1]);
      assertThat(answer.status()).as("%s %s", request[0], request[1]).isEqualTo(404);
      assertThat(answer.code()).as("%s %s", request[0], request[1]).isEqualTo(92001);
    }
    assertThat(lms.commands.storedLead("globex", 4)).isEqualTo(before);
    // acme's lead 1 is acme's own: a write to it leaves globex's lead 1 alone.
    LeadState globexFirst = lms.commands.storedLead("globex", 1);
    assertThat(lms.acme("PUT", "/v2/leads/1", "{\"owner\":\"mallory\"}").status()).isEqualTo(200);
    assertThat(lms.commands.storedLead("globex", 1)).isEqualTo(globexFirst);
  }

  @Test
  void searchAndTheDueListNeverShowAnotherOrgsLeads() throws Exception {
    for (String target : List.of("/v2/leads", "/v2/leads?type=ALL&limit=100", "/v2/leads?status=OPEN&limit=100",
        "/v2/leads?owner=sam", "/v2/leads?userId=1", "/v2/leads?userId=2", "/v2/leads?sortBy=lastUpdatedOn&sortOrder=ASC",
        "/v2/leads?offset=3", "/v2/leads?offset=4&sortOrder=ASC", "/v2/leads?type=SKU&orgSourceId=-1",
        "/v2/leads/followups/due", "/v2/leads/followups/due?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
        "/v2/leads/followups/due?owner=sam&to=2027-01-01T00:00:00Z")) {
      ApiFixture.Answer answer = wellFormed(lms.acme("GET", target, null), target);
      assertThat(answer.status()).as(target).isEqualTo(200);
      answer.json().get("data").forEach(lead -> assertThat(lead.get("id").asLong()).as(target).isBetween(1L, 3L));
    }
  }

  @Test
  void hugeNegativeAndNonNumericPagingIs400() throws Exception {
    Map<String, Integer> codes = Map.ofEntries(
        Map.entry("/v2/leads?limit=2147483648", 93006),
        Map.entry("/v2/leads?limit=9223372036854775807", 93006),
        Map.entry("/v2/leads?limit=9223372036854775808", 93003),
        Map.entry("/v2/leads?limit=-1", 93003),
        Map.entry("/v2/leads?limit=-9223372036854775808", 93003),
        Map.entry("/v2/leads?limit=abc", 93003),
        Map.entry("/v2/leads?limit=1e2", 93003),
        Map.entry("/v2/leads?limit=0x10", 93003),
        Map.entry("/v2/leads?limit=%D9%A1", 93003),
        Map.entry("/v2/leads?limit=1&limit=2", 93003),
        Map.entry("/v2/leads?offset=-1", 93003),
        Map.entry("/v2/leads?offset=9223372036854775808", 93003),
        Map.entry("/v2/leads?offset=%D9%A1%D9%A0", 93003),
        Map.entry("/v2/leads?offset=1.5", 93003),
        Map.entry("/v2/leads/followups/due?offset=10001", 93003),
        Map.entry("/v2/leads/followups/due?offset=-1", 93003),
        Map.entry("/v2/leads/followups/due?limit=101", 93006),
        Map.entry("/v2/leads/followups/due?limit=2147483648", 93006),
        Map.entry("/v2/leads/followups/due?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", 93003));
    codes.forEach((target, code) -> {
      try {
        ApiFixture.Answer answer = wellFormed(lms.acme("GET", target, null), target);
        assertThat(answer.status()).as(target).isEqualTo(400);
        assertThat(answer.code()).as(target).isEqualTo(code);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    for (String target : List.of("/v2/leads?offset=9223372036854775807", "/v2/leads?offset=9223372036854775807&sortBy=lastUpdatedOn",
        "/v2/leads/followups/due?offset=10000&from=-999999999-01-01T00:00:00%2B18:00&to=%2B999999999-12-31T23:59:59-18:00")) {
      ApiFixture.Answer answer = wellFormed(lms.acme("GET", target, null), target);
      assertThat(answer.status()).as(target).isEqualTo(200);
      assertThat(answer.json().get("data")).as(target).isEmpty();
    }
  }

  @Test
  void oversizedAndDeeplyNestedBodiesAreRefusedOnEveryWrite() throws Exception {
    int submitted = lms.commands.submitted;
    String deepObject = "{\"extendedFields\":".repeat(3_000) + "{}" + "}".repeat(3_000);
    String deepArray = "{\"followUpDetails\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}";
    String tooLarge = "{\"leadFor\":\"" + "x".repeat((int) HttpApi.MAX_BODY_BYTES) + "\"}";
    for (String[] route : protectedRoutes()) {
      if (route[2] == null) {
        continue;
      }
      for (String body : List.of(deepObject, deepArray)) {
        ApiFixture.Answer answer = wellFormed(lms.acme(route[0], route[1], body), route[0] + " " + route[1] + " nested");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo(93001);
      }
      ApiFixture.Answer large = wellFormed(lms.acme(route[0], route[1], tooLarge), route[0] + " " + route[1] + " large");
      assertThat(large.status()).isEqualTo(413);
      assertThat(large.code()).isEqualTo(93016);
      ApiFixture.Answer chunked = wellFormed(lms.sendChunked(route[0], route[1], tooLarge.getBytes(StandardCharsets.UTF_8),
          "Authorization", ApiFixture.ACME), route[0] + " " + route[1] + " large, chunked");
      assertThat(chunked.status()).as("a large body without Content-Length").isEqualTo(413);
    }
    assertThat(lms.commands.submitted).isEqualTo(submitted);
  }

  @Test
  void fieldsMeantForMassAssignmentAre400AndNeverApplied() throws Exception {
    LeadState before = lms.commands.storedLead("acme", 2);
    int submitted = lms.commands.submitted;
    Map<String[], List<String>> forbidden = Map.of(
        new String[] {"POST", "/v2/leads", LEAD_BODY}, List.of("id", "orgId", "org", "leadId", "commandId", "actorId",
            "lastUpdatedAtMillis", "ID", "OrgId", "\\u006frgId"),
        new String[] {"PUT", "/v2/leads/2", "{\"owner\":\"sam\"}"}, List.of("id", "status", "orgId", "createdOn",
            "createdBy", "userId", "leadFor", "type", "lastUpdatedOn", "lastUpdatedBy", "statusLogDetails"),
        new String[] {"PUT", "/v2/leads/2/status", "{\"status\":\"LOST\",\"reasonId\":1}"}, List.of("id", "leadId",
            "orgId", "userId", "owner", "lastUpdatedOn"),
        new String[] {"POST", "/v2/leads/2/followup", "{\"followedUpOn\":\"2026-11-27T10:00:00Z\"}"}, List.of("id",
            "leadId", "orgId", "userId", "status"),
        new String[] {"POST", "/v2/leads/substatus", "{\"status\":\"LOST\",\"subStatus\":\"Other\"}"}, List.of("id",
            "orgId", "org"),
        new String[] {"POST", "/v2/leads/reasons", "[{\"reason\":\"Other\"}]"}, List.of("id", "orgId"));
    forbidden.forEach((request, fields) -> fields.forEach(field -> {
      String body = request[2].replaceFirst("\\{", "{\"" + field + "\":\"globex\",");
      try {
        ApiFixture.Answer answer = wellFormed(lms.acme(request[0], request[1], body), request[0] + " " + request[1] + " " + body);
        assertThat(answer.status()).as(body).isEqualTo(400);
        assertThat(answer.code()).as(body).isEqualTo(93002);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    assertThat(lms.commands.submitted).isEqualTo(submitted);
    assertThat(lms.commands.storedLead("acme", 2)).isEqualTo(before);
  }

  @Test
  void traversalAndOddLeadIdsAnswerTheir4xx() throws Exception {
    Map<String, Integer> statuses = Map.ofEntries(
        Map.entry("/v2/leads/..", 400), Map.entry("/v2/leads/%2e%2e", 400), Map.entry("/v2/leads/%2e%2e/statusLog", 400),
        Map.entry("/v2/leads/..%2f..%2fmetrics", 400), Map.entry("/v2/leads/%2E%2E%2F4", 400),
        Map.entry("/v2/leads/../leads/4", 404), Map.entry("/v2/leads/1/../4", 404), Map.entry("/v2/leads/%252e%252e", 400),
        Map.entry("/v2/leads/0", 400), Map.entry("/v2/leads/-1", 400), Map.entry("/v2/leads/-0", 400),
        Map.entry("/v2/leads/abc", 400), Map.entry("/v2/leads/1e3", 400), Map.entry("/v2/leads/0x1", 400),
        Map.entry("/v2/leads/9223372036854775808", 400), Map.entry("/v2/leads/" + "1".repeat(5_000), 400),
        Map.entry("/v2/leads/%D9%A1", 400), Map.entry("/v2/leads/%EF%BC%91", 400), Map.entry("/v2/leads/1%00", 400),
        Map.entry("/v2/leads/1%+/status", 400), Map.entry("/v2/leads/%/followups", 400), Map.entry("/v2/leads/1<2", 400),
        Map.entry("/v2/leads/9223372036854775807", 404), Map.entry("/v2/leads/4/statusLog", 404));
    statuses.forEach((target, status) -> {
      try {
        ApiFixture.Answer answer = wellFormed(lms.acme("GET", target, null), "GET " + target);
        assertThat(answer.status()).as("GET %s: %s", target, answer.body()).isEqualTo(status);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void errorsNeverEchoJacksonsInternals() throws Exception {
    for (String body : List.of("{\"leadFor\":\"x\"} trailing", "[{\"reason\":\"a\"}]\"}]", "{\"leadFor\":\"x\",\"leadFor\":\"y\"}",
        "{\"leadFor\":", "{\"leadFor\":\"x\u0000\"}", " ")) {
      ApiFixture.Answer answer = wellFormed(lms.acme("POST", "/v2/leads", body), "POST /v2/leads " + body);
      assertThat(answer.code()).as(body).isEqualTo(93001);
    }
  }
}
