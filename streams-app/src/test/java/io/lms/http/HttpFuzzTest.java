package io.lms.http;

import static io.lms.fuzz.HostileValues.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.fuzz.ByteMutation;
import io.lms.fuzz.FuzzTries;
import io.lms.fuzz.HostileValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Fuzzes the HTTP API over the real server, the real topology and real reads: arbitrary and
 * mutated JSON bodies on every write, query strings on both lists, and odd lead ids on every
 * route that takes one. Every answer is below 500, an error in the API's envelope, free of stack
 * traces and internal names, and never shows what globex holds to acme.
 *
 * <p>Shrinking is off for the same reason as in {@code CommandFuzzTest}: the state carries over.
 */
@AddLifecycleHook(FuzzTries.class)
class HttpFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A write, with a valid body for it that mutations start from. */
  record Write(String method, String path, String sample) {}

  private static final List<Write> WRITES = List.of(
      new Write("POST", "/v2/leads", HttpApiTest.SAMPLE_LEAD),
      new Write("PUT", "/v2/leads/{leadId}", "{\"extendedFields\":{\"trial_status\":\"Done\"},\"owner\":\"sam\"}"),
      new Write("PUT", "/v2/leads/{leadId}/status",
          "{\"status\":\"LOST\",\"subStatus\":\"Gone\",\"reasonId\":1,\"createdBy\":5,\"createdOn\":\"2026-11-27T10:00:00Z\"}"),
      new Write("POST", "/v2/leads/{leadId}/followup", "{\"followedUpOn\":\"2026-11-27T10:00:00+05:30\",\"createdBy\":124,"
          + "\"followedUpBy\":7,\"nextFollowUp\":\"2026-12-01T10:00:00Z\",\"notes\":\"n\",\"scheduledFollowUp\":\"2026-11-27T09:00:00Z\"}"),
      new Write("POST", "/v2/leads/substatus", "{\"status\":\"ON_HOLD\",\"subStatus\":\"Waiting\"}"),
      new Write("POST", "/v2/leads/reasons", "[{\"reason\":\"Out of stock\"},{\"reason\":\"Too dear\"}]"));
  /** Every field any endpoint takes, and some that none may: generated objects mostly pass the field check. */
  private static final List<String> FIELDS = List.of(
      "type", "leadFor", "userId", "idType", "identifier", "status", "subStatus", "nextFollowUp", "lastFollowUp",
      "createdOn", "createdBy", "lastUpdatedOn", "lastUpdatedBy", "owner", "orgSourceId", "extendedFields",
      "followUpDetails", "statusLogDetails", "scheduledFollowUp", "followedUpOn", "followedUpBy", "notes", "reasonId",
      "reason");
  private static final List<String> FORBIDDEN = List.of("id", "orgId", "org", "leadId", "commandId", "actorId",
      "lastUpdatedAtMillis", "warnings", "errors", "__proto__");
  private static final List<String> QUERY_NAMES = List.of("type", "status", "substatus", "subStatus", "userId",
      "owner", "orgSourceId", "offset", "limit", "sortBy", "sortOrder", "from", "to");
  private static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "+1", "007", "100", "101", "10000",
      "10001", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "99999999999999999999999", "1e3", "0x10", "1.0", " 5 ", "\u0661\u0662", "NaN", "");
  private static final List<String> ODD_IDS = List.of("..", "../", "../..", "%2e%2e", "%2E%2E%2F", "..%2f..%2fetc",
      "..%5c..", "%252e%252e", ".", "%2e", "0", "-0", "-1", "+1", "00001", "9223372036854775807",
      "9223372036854775808", "99999999999999999999999", "1e3", "0x1", "%D9%A1", "%EF%BC%91", "1%00", "%00", "%",
      "%zz", "%ff", "%C0%AE%C0%AE", "1;x=y", "1%2F2", "1%3F", "abc", "null", "reasons", "followups", "~1",
      "1".repeat(2_000), "x".repeat(6_000));
  private static final List<String> LEAD_ROUTES = List.of("/v2/leads/{leadId}", "/v2/leads/{leadId}/status",
      "/v2/leads/{leadId}/followup", "/v2/leads/{leadId}/statusLog", "/v2/leads/{leadId}/followups");

  private ApiFixture lms;

  @BeforeProperty
  void givenAcmeWithThreeLeadsAndGlobexWithFive() throws Exception {
    lms = new ApiFixture().withAcmeAndGlobexLeads();
  }


  @AfterProperty
  void close() {
    lms.close();
  }

  @Property(tries = 150, shrinking = ShrinkingMode.OFF)
  void anyBodyOnAnyWriteGetsAWellFormedAnswer(
      @ForAll("writes") Write write, @ForAll("leadIds") long leadId, @ForAll("bodies") byte[] generated,
      @ForAll("mutations") List<ByteMutation> mutations, @ForAll boolean mutateTheSample) throws Exception {
    byte[] body = generated;
    if (mutateTheSample) {
      body = write.sample().getBytes(StandardCharsets.UTF_8);
      for (ByteMutation mutation : mutations) {
        body = mutation.applyTo(body);
      }
    }
    String path = write.path().replace("{leadId}", Long.toString(leadId));
    thenWellFormedAndNothingOfGlobex(lms.send(write.method(), path, body, "Authorization", ApiFixture.ACME),
        write.method() + " " + path + " " + new String(body, StandardCharsets.UTF_8));
  }

  @Property(tries = 150, shrinking = ShrinkingMode.OFF)
  void anyQueryOnTheListsGetsAWellFormedAnswer(
      @ForAll("lists") String path, @ForAll("queries") String query) throws Exception {
    String target = path + "?" + query;
    thenWellFormedAndNothingOfGlobex(lms.acme("GET", target, null), "GET " + target);
  }

  @Property(tries = 150, shrinking = ShrinkingMode.OFF)
  void anyLeadIdOnAnyLeadRouteGetsAWellFormedAnswer(
      @ForAll("leadRoutes") String route, @ForAll("oddIds") String id, @ForAll("methods") String method)
      throws Exception {
    String target = route.replace("{leadId}", id);
    ApiFixture.Answer answer = lms.acme(method, target, method.equals("GET") ? null : "{}");
    thenWellFormedAndNothingOfGlobex(answer, method + " " + target);
    if (id.equals("4") || id.equals("5")) {
      assertThat(answer.status()).as("%s %s: globex has the lead, acme does not", method, target).isIn(400, 404, 405);
    }
  }

  private static void thenWellFormedAndNothingOfGlobex(ApiFixture.Answer answer, String request) {
    ApiFixture.assertWellFormed(answer, request);
    assertThat(answer.body()).as("answer to %s", request).doesNotContain(ApiFixture.GLOBEX_SECRET);
  }

  @Provide
  Arbitrary<Write> writes() {
    return Arbitraries.of(WRITES);
  }

  @Provide
  Arbitrary<Long> leadIds() {
    // 1-3 are acme's, 4 and 5 only globex's.
    return Arbitraries.frequencyOf(weighted(8, Arbitraries.longs().between(1, 5)), weighted(1, Arbitraries.longs()));
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.any().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        weighted(6, json(3).map(text -> text.getBytes(StandardCharsets.UTF_8))),
        weighted(1, Arbitraries.strings().all().ofMaxLength(60).map(text -> text.getBytes(StandardCharsets.UTF_8))),
        weighted(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(60)));
  }

  /** JSON text of any shape, whose objects mostly name fields the endpoints take. */
  private static Arbitrary<String> json(int depth) {
    Arbitrary<String> scalar = Arbitraries.frequencyOf(
        weighted(2, Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1E2",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890")),
        weighted(2, Arbitraries.longs().between(-3, 6).map(String::valueOf)),
        weighted(5, HostileValues.text().filter(text -> text != null).map(HttpFuzzTest::quoted)));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> child = Arbitraries.lazy(() -> json(depth - 1));
    Arbitrary<String> names = Arbitraries.frequencyOf(
        weighted(12, Arbitraries.of(FIELDS)), weighted(1, Arbitraries.of(FORBIDDEN)),
        weighted(1, Arbitraries.strings().all().ofMaxLength(12)));
    Arbitrary<String> array = child.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    Arbitrary<String> object = Combinators.combine(names, child).as((name, value) -> quoted(name) + ":" + value)
        .list().ofMaxSize(6).map(fields -> "{" + String.join(",", fields) + "}");
    return Arbitraries.frequencyOf(weighted(3, scalar), weighted(1, array), weighted(3, object));
  }

  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> lists() {
    return Arbitraries.of("/v2/leads", "/v2/leads/followups/due");
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> names = Arbitraries.frequencyOf(weighted(10, Arbitraries.of(QUERY_NAMES)),
        weighted(1, Arbitraries.of(FORBIDDEN)), weighted(1, Arbitraries.strings().all().ofMaxLength(8)));
    Arbitrary<String> values = Arbitraries.frequencyOf(weighted(3, Arbitraries.of(NUMBERS)),
        weighted(3, HostileValues.text().filter(text -> text != null)));
    Arbitrary<String> pairs = Combinators.combine(names, values)
        .as((name, value) -> encoded(name) + "=" + encoded(value)).list().ofMaxSize(5)
        .map(list -> list.stream().collect(Collectors.joining("&")));
    // Request targets as written by hand or by a broken client: no encoding, stray '%', '=' and '&'.
    Arbitrary<String> raw = Arbitraries.strings().withCharRange('!', '~').excludeChars('#').ofMaxLength(40);
    return Arbitraries.frequencyOf(weighted(4, pairs), weighted(1, raw));
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<String> leadRoutes() {
    return Arbitraries.of(LEAD_ROUTES);
  }

  @Provide
  Arbitrary<String> oddIds() {
    return Arbitraries.frequencyOf(
        weighted(4, Arbitraries.of(ODD_IDS)),
        weighted(2, Arbitraries.longs().between(1, 5).map(String::valueOf)),
        weighted(2, Arbitraries.strings().withCharRange('!', '~').excludeChars('#', '?', '/').ofMinLength(1).ofMaxLength(20)),
        weighted(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8).map(HttpFuzzTest::encoded)));
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "PUT", "POST", "DELETE", "PATCH");
  }
}
