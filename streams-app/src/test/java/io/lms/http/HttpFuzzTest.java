package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.fuzz.ByteMutation;
import io.lms.fuzz.HostileValues;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes the HTTP API over the real server, the real topology and real reads: arbitrary and
 * mutated JSON bodies on every write, query strings on both lists, and odd lead ids on every
 * route that takes one. Every answer is below 500, an error in the API's envelope, free of stack
 * traces and internal names, and never shows what globex holds to acme.
 *
 * <p>Each target has one server for all its inputs (starting one per input would cost more than
 * the requests), so what one input writes, the next one meets: as for a server in production.
 * Seeds and findings are under {@code src/test/resources/io/lms/http/HttpFuzzTestInputs} (README,
 * "Fuzzing"); {@code HttpFuzzSeedsTest} writes the seeds.
 */
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
  static final List<String> QUERY_NAMES = List.of("type", "status", "substatus", "subStatus", "userId",
      "owner", "orgSourceId", "offset", "limit", "sortBy", "sortOrder", "from", "to");
  static final List<String> NUMBERS = List.of("0", "-0", "1", "-1", "+1", "007", "100", "101", "10000",
      "10001", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "-9223372036854775808", "99999999999999999999999", "1e3", "0x10", "1.0", " 5 ", "\u0661\u0662", "NaN", "");
  static final List<String> ODD_IDS = List.of("..", "../", "../..", "%2e%2e", "%2E%2E%2F", "..%2f..%2fetc",
      "..%5c..", "%252e%252e", ".", "%2e", "0", "-0", "-1", "+1", "00001", "9223372036854775807",
      "9223372036854775808", "99999999999999999999999", "1e3", "0x1", "%D9%A1", "%EF%BC%91", "1%00", "%00", "%",
      "%zz", "%ff", "%C0%AE%C0%AE", "1;x=y", "1%2F2", "1%3F", "abc", "null", "reasons", "followups", "~1",
      "1".repeat(2_000), "x".repeat(6_000));
  private static final List<String> LEAD_ROUTES = List.of("/v2/leads/{leadId}", "/v2/leads/{leadId}/status",
      "/v2/leads/{leadId}/followup", "/v2/leads/{leadId}/statusLog", "/v2/leads/{leadId}/followups");

  private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e400",
      "-1e400", "1E2", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "123456789012345678901234567890");
  private static final List<String> LISTS = List.of("/v2/leads", "/v2/leads/followups/due");
  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");
  /** Request targets as written by hand or by a broken client: no encoding, stray '%', '=' and '&'. */
  private static final String RAW_QUERY_CHARS = printableAsciiExcept("#");
  private static final String RAW_ID_CHARS = printableAsciiExcept("#?/");

  /** One server per target, kept across its inputs: acme with three leads, globex with five. */
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");
  private static final Map<String, ApiFixture> SERVERS = new ConcurrentHashMap<>();
  private ApiFixture lms;

  /** A request as a target sends it: what it reads from the fuzzer's input. */
  record Request(String method, String target, byte[] body) {
    @Override
    public String toString() {
      return method + " " + target + (body == null ? "" : " " + HexFormat.of().formatHex(body));
    }

    String shown() {
      return method + " " + target + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
    }
  }

  @BeforeEach
  void givenAcmeWithThreeLeadsAndGlobexWithFive(TestInfo test) {
    lms = SERVERS.computeIfAbsent(test.getTestMethod().orElseThrow().getName(), name -> startServer());
  }

  private static ApiFixture startServer() {
    try (SilentCloseable anyLoopbackPort = BugDetectors.allowNetworkConnections((host, port) -> LOOPBACK.contains(host))) {
      ApiFixture server = new ApiFixture();
      try {
        return server.withAcmeAndGlobexLeads();
      } catch (IOException | RuntimeException | AssertionError e) {
        // The next input tries again with a server of its own: this one must not stay open.
        server.close();
        throw e;
      }
    } catch (Exception e) {
      throw new IllegalStateException("the server did not start", e);
    }
  }

  /**
   * Sends as acme. Jazzer's SSRF detector reports every connection the fuzzed code makes, and the
   * test's own requests to its server are no finding: those alone are let through.
   */
  private ApiFixture.Answer sendAsAcme(Request request) throws IOException {
    int server = lms.api.port();
    try (SilentCloseable ownServer = BugDetectors.allowNetworkConnections(
        (host, port) -> LOOPBACK.contains(host) && port == server)) {
      return lms.send(request.method(), request.target(), request.body(), "Authorization", ApiFixture.ACME);
    }
  }

  @AfterAll
  static void close() {
    SERVERS.values().forEach(ApiFixture::close);
    SERVERS.clear();
  }

  @FuzzTest(maxDuration = "5m")
  void anyBodyOnAnyWriteGetsAWellFormedAnswer(FuzzedDataProvider data) throws IOException {
    Request request = bodyOnAWrite(data);
    thenWellFormedAndNothingOfGlobex(sendAsAcme(request), request.shown());
  }

  @FuzzTest(maxDuration = "5m")
  void anyQueryOnTheListsGetsAWellFormedAnswer(FuzzedDataProvider data) throws IOException {
    Request request = queryOnAList(data);
    thenWellFormedAndNothingOfGlobex(sendAsAcme(request), request.shown());
  }

  @FuzzTest(maxDuration = "5m")
  void anyLeadIdOnAnyLeadRouteGetsAWellFormedAnswer(FuzzedDataProvider data) throws IOException {
    Request request = idOnALeadRoute(data);
    ApiFixture.Answer answer = sendAsAcme(request);
    thenWellFormedAndNothingOfGlobex(answer, request.shown());
    String id = request.target().split("/")[3];
    if (id.equals("4") || id.equals("5")) {
      assertThat(answer.status()).as("%s: globex has the lead, acme does not", request.shown()).isIn(400, 404, 405);
    }
  }

  private static void thenWellFormedAndNothingOfGlobex(ApiFixture.Answer answer, String request) {
    ApiFixture.assertWellFormed(answer, request);
    assertThat(answer.body()).as("answer to %s", request).doesNotContain(ApiFixture.GLOBEX_SECRET);
  }

  // ---- what each target reads from the fuzzer's input (HttpFuzzSeedsTest writes seeds through the same)

  /** A write with a generated body, or with its valid sample body mutated. */
  static Request bodyOnAWrite(FuzzedDataProvider data) {
    Write write = data.pickValue(WRITES);
    // 1-3 are acme's, 4 and 5 only globex's.
    long leadId = data.consumeInt(0, 8) < 8 ? data.consumeLong(1, 5) : data.consumeLong();
    byte[] body = data.consumeBoolean()
        ? ByteMutation.applyAll(ByteMutation.some(data), write.sample().getBytes(StandardCharsets.UTF_8))
        : body(data);
    return new Request(write.method(), write.path().replace("{leadId}", Long.toString(leadId)), body);
  }

  static Request queryOnAList(FuzzedDataProvider data) {
    String path = data.pickValue(LISTS);
    return new Request("GET", path + "?" + query(data), null);
  }

  static Request idOnALeadRoute(FuzzedDataProvider data) {
    String route = data.pickValue(LEAD_ROUTES);
    String method = data.pickValue(METHODS);
    String id = oddId(data);
    return new Request(method, route.replace("{leadId}", id),
        method.equals("GET") ? null : "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] body(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 7);
    if (kind <= 5) {
      return json(data, 3).getBytes(StandardCharsets.UTF_8);
    }
    return kind == 6 ? data.consumeString(60).getBytes(StandardCharsets.UTF_8) : data.consumeBytes(data.consumeInt(0, 60));
  }

  /** JSON text of any shape, whose objects mostly name fields the endpoints take. */
  private static String json(FuzzedDataProvider data, int depth) {
    int kind = depth == 0 ? 0 : data.consumeInt(0, 6);
    if (kind <= 2) {
      int scalar = data.consumeInt(0, 8);
      if (scalar <= 1) {
        return data.pickValue(SCALARS);
      }
      return scalar <= 3 ? String.valueOf(data.consumeLong(-3, 6)) : quoted(HostileValues.presentText(data));
    }
    if (kind == 3) {
      int size = data.consumeInt(0, 4);
      List<String> items = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        items.add(json(data, depth - 1));
      }
      return "[" + String.join(",", items) + "]";
    }
    int size = data.consumeInt(0, 6);
    List<String> fields = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int name = data.consumeInt(0, 13);
      String field = name <= 11 ? data.pickValue(FIELDS) : name == 12 ? data.pickValue(FORBIDDEN) : data.consumeString(12);
      fields.add(quoted(field) + ":" + json(data, depth - 1));
    }
    return "{" + String.join(",", fields) + "}";
  }

  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mostly name=value pairs, encoded; now and then a raw query as a broken client writes it. */
  private static String query(FuzzedDataProvider data) {
    if (data.consumeInt(0, 4) == 4) {
      return HostileValues.chars(data, RAW_QUERY_CHARS, 0, 40);
    }
    int size = data.consumeInt(0, 5);
    List<String> pairs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int kind = data.consumeInt(0, 11);
      String name = kind <= 9 ? data.pickValue(QUERY_NAMES) : kind == 10 ? data.pickValue(FORBIDDEN) : data.consumeString(8);
      String value = data.consumeBoolean() ? data.pickValue(NUMBERS) : HostileValues.presentText(data);
      pairs.add(encoded(name) + "=" + encoded(value));
    }
    return String.join("&", pairs);
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Odd ids as written, ids that exist (acme's or only globex's), printable garbage, encoded Unicode. */
  private static String oddId(FuzzedDataProvider data) {
    int kind = data.consumeInt(0, 8);
    if (kind <= 3) {
      return data.pickValue(ODD_IDS);
    }
    if (kind <= 5) {
      return String.valueOf(data.consumeLong(1, 5));
    }
    if (kind <= 7) {
      return HostileValues.chars(data, RAW_ID_CHARS, 1, 20);
    }
    String text = data.consumeString(8);
    return encoded(text.isEmpty() ? "\u00e9" : text);
  }

  private static String printableAsciiExcept(String excluded) {
    StringBuilder chars = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      if (excluded.indexOf(c) < 0) {
        chars.append(c);
      }
    }
    return chars.toString();
  }
}
