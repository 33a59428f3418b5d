package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.lms.query.LeadSearch;
import io.lms.query.QueryResult;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer on its own: writes through the real topology in a test driver, reads from a stub. */
class HttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CredentialStore CREDENTIALS = CredentialStore.of("till", "secret", "acme", 15002926L)
      .with("globex-till", "pw", "globex", 42L);
  /** What every instance of the test deployment signs forwarded reads with. */
  static final String INSTANCE_SECRET = "test-instance-secret-0123456789abcdef";
  static final InstanceSignature SIGNATURE = new InstanceSignature(INSTANCE_SECRET, Clock.systemUTC());

  static TopologyBackedCommands commands;
  static StubReader reader;
  static HttpApi api;
  static final HttpClient client = HttpClient.newHttpClient();
  static volatile Optional<String> notReady = Optional.empty();
  /** How long the test API's reads wait for unavailable data: short, but several tries. */
  static final Duration READ_WAIT = Duration.ofMillis(300);

  @BeforeAll
  static void start() throws Exception {
    commands = new TopologyBackedCommands();
    reader = new StubReader();
    api = startApi(reader, new OrgRateLimiter(10_000, 10_000));
  }

  static HttpApi startApi(StubReader reader, OrgRateLimiter limiter) {
    return new HttpApi(new HttpApi.Dependencies(CREDENTIALS, limiter, reader, commands, () -> notReady,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new HostInfo("127.0.0.1", 0), SIGNATURE,
        Duration.ofMillis(300), READ_WAIT, Clock.systemUTC())).start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    api.close();
    commands.close();
  }

  @BeforeEach
  void reset() {
    commands.silent = false;
    notReady = Optional.empty();
  }

  record Response(int status, JsonNode json, HttpResponse<String> raw) {
    int code() {
      return json.path("errors").path(0).path("code").asInt();
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Response call(HttpApi target, String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() || !response.body().startsWith("{")
        ? JSON.createObjectNode() : JSON.readTree(response.body());
    return new Response(response.statusCode(), json, response);
  }

  static Response acme(String method, String path, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = basic("till", "secret");
    System.arraycopy(headers, 0, all, 2, headers.length);
    return call(api, method, path, body, all);
  }

  static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static final String SAMPLE_LEAD = """
      {"type":"SKU","leadFor":"item001","idType":"EMAIL","identifier":"tom.sawyer@example.com","status":"ON_HOLD",
       "nextFollowUp":"2018-10-05T08:00:00+05:30","createdOn":"2018-10-04T13:30:00+05:30","createdBy":28812689,
       "followUpDetails":[{"scheduledFollowUp":"2018-10-04T12:30:00+05:30","followedUpOn":"2018-10-04T12:45:00+05:30",
         "followedUpBy":28812689,"notes":"notes 1","nextFollowUp":"2018-10-04T13:15:00+05:30"}],
       "extendedFields":{"trial_status":"Not Done"},
       "statusLogDetails":[{"status":"OPEN","createdBy":28812689,"reasonId":1},{"status":"ON_HOLD","createdBy":28812689,"reasonId":2}],
       "orgSourceId":-1}""";

  @Test
  void writesAnswerWithTheSampleShapesOnceApplied() throws Exception {
    Response reasons = acme("POST", "/v2/leads/reasons",
        "[{\"reason\":\"Item not available in store\"},{\"reason\":\"Best price availabe at another store\"}]");
    assertThat(reasons.status()).isEqualTo(200);
    assertThat(fields(reasons.json())).containsExactly("data", "errors", "warnings");
    assertThat(fields(reasons.json().get("data").get(0))).containsExactly("id", "reason");

    Response lead = acme("POST", "/v2/leads", SAMPLE_LEAD);

    assertThat(lead.status()).isEqualTo(200);
    assertThat(fields(lead.json())).containsExactly("createdBy", "createdOn", "extendedFields", "followUpDetails", "id",
        "lastFollowUp", "lastUpdatedBy", "lastUpdatedOn", "leadFor", "nextFollowUp", "orgSourceId", "status",
        "statusLogDetails", "type", "userId", "warnings");
    assertThat(fields(lead.json().get("followUpDetails").get(0))).containsExactly("createdBy", "createdOn",
        "followedUpBy", "followedUpOn", "id", "leadId", "nextFollowUp", "notes", "scheduledFollowUp", "userId");
    assertThat(fields(lead.json().get("statusLogDetails").get(1))).containsExactly("createdBy", "createdOn", "id",
        "leadId", "reason", "reasonId", "status", "userId");
    assertThat(lead.json().get("status").asText()).isEqualTo("ON_HOLD");
    assertThat(lead.json().get("createdBy").asLong()).isEqualTo(28812689L);
    assertThat(lead.json().get("lastUpdatedBy").asLong()).as("the staff id comes from the credential").isEqualTo(15002926L);
    assertThat(lead.json().get("warnings").isArray()).isTrue();
    long id = lead.json().get("id").asLong();
    assertThat(commands.storedLead("acme", id)).isNotNull();

    Response sub = acme("POST", "/v2/leads/substatus", "{\"status\":\"ON_HOLD\",\"subStatus\":\"YetToDecide\"}");
    assertThat(sub.status()).isEqualTo(200);
    assertThat(fields(sub.json())).containsExactly("status", "subStatus", "warnings");

    Response status = acme("PUT", "/v2/leads/" + id + "/status",
        "{\"status\":\"OPEN\",\"subStatus\":null,\"createdBy\":28812689,\"reasonId\":2}");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().get("statusLogDetails")).hasSize(3);

    Response update = acme("PUT", "/v2/leads/" + id, "{\"extendedFields\":{\"trial_status\":\"Done\"},\"owner\":\"sam\"}");
    assertThat(update.json().get("extendedFields").get("trial_status").asText()).isEqualTo("Done");
    assertThat(update.json().get("owner").asText()).isEqualTo("sam");

    Response followUp = acme("POST", "/v2/leads/" + id + "/followup",
        "{\"followedUpOn\":\"2018-10-05T08:00:00+05:30\",\"createdBy\":124}");
    assertThat(followUp.status()).isEqualTo(200);
    assertThat(followUp.json().get("lastFollowUp").asText()).isEqualTo("2018-10-05T08:00:00+05:30");
  }

  @Test
  void theOrgComesFromTheCredentialOnly() throws Exception {
    Response lead = call(api, "POST", "/v2/leads", "{\"leadFor\":\"x\",\"idType\":\"EMAIL\",\"identifier\":\"g@example.com\"}",
        "Authorization", basic("globex-till", "pw"));
    assertThat(lead.status()).isEqualTo(200);
    long id = lead.json().get("id").asLong();
    assertThat(commands.storedLead("globex", id)).isNotNull();
    assertThat(commands.storedLead("globex", id).getLastUpdatedBy()).isEqualTo(42L);

    Response massAssignment = acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"userId\":1,\"orgId\":\"globex\"}");
    assertThat(massAssignment.status()).isEqualTo(400);
    assertThat(massAssignment.code()).isEqualTo(93002);
  }

  @Test
  void aRepeatedIdempotencyKeyGetsTheFirstOutcomeAndWritesNothingNew() throws Exception {
    String body = "{\"leadFor\":\"x\",\"idType\":\"MOBILE\",\"identifier\":\"+1 555 0100 200\"}";
    Response first = acme("POST", "/v2/leads", body, "Idempotency-Key", "till-7:order-1");
    Response again = acme("POST", "/v2/leads", body, "Idempotency-Key", "till-7:order-1");

    assertThat(first.status()).isEqualTo(200);
    assertThat(again.raw().body()).isEqualTo(first.raw().body());
    assertThat(again.raw().headers().firstValue("Idempotency-Key")).contains("till-7:order-1");
    long id = first.json().get("id").asLong();
    assertThat(commands.storedLead("acme", id + 1)).isNull();

    Response next = acme("POST", "/v2/leads", body);
    assertThat(next.json().get("id").asLong()).isEqualTo(id + 1);
  }

  @Test
  void aKeyReusedForAnotherRequestIs422AndChangesNothing() throws Exception {
    String first = "{\"leadFor\":\"first\",\"idType\":\"EMAIL\",\"identifier\":\"k@example.com\"}";
    String other = "{\"leadFor\":\"other\",\"idType\":\"EMAIL\",\"identifier\":\"k@example.com\"}";
    Response created = acme("POST", "/v2/leads", first, "Idempotency-Key", "till-9:0001");
    long id = created.json().get("id").asLong();

    Response reused = acme("POST", "/v2/leads", other, "Idempotency-Key", "till-9:0001");
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo(93023);
    assertThat(commands.storedLead("acme", id + 1)).isNull();

    // The same request, however it is spaced, is a retry: the first outcome again.
    Response retry = acme("POST", "/v2/leads", " { \"identifier\" : \"k@example.com\", \"idType\":\"EMAIL\",\"leadFor\":\"first\"}",
        "Idempotency-Key", "\"till-9:0001\"");
    assertThat(retry.raw().body()).isEqualTo(created.raw().body());
    // Another route under the same key is another request too.
    assertThat(acme("PUT", "/v2/leads/" + id, "{\"owner\":\"sam\"}", "Idempotency-Key", "till-9:0001").status())
        .isEqualTo(422);
  }

  @Test
  void anIdempotencyKeyIsTheSameKeyBareOrAsAStructuredFieldString() throws Exception {
    String body = "{\"leadFor\":\"quoted\",\"idType\":\"EMAIL\",\"identifier\":\"q@example.com\"}";
    Response bare = acme("POST", "/v2/leads", body, "Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324");
    Response quoted = acme("POST", "/v2/leads", body, "Idempotency-Key", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");

    assertThat(bare.status()).isEqualTo(200);
    assertThat(quoted.raw().body()).isEqualTo(bare.raw().body());
    assertThat(quoted.raw().headers().firstValue("Idempotency-Key")).contains("8e03978e-40d5-43e8-bc93-6894a57f9324");

    // Any visible ASCII, as Stripe allows; the draft's escapes inside quotes.
    for (String key : new String[] {"crm/tom@example.com", "\"crm/tom@example.com\"", "a\\\"b", "\"a\\\\\\\"b\"",
        "x".repeat(255), "{}[]()<>|~!#$%&'*+,;=?^`"}) {
      Response answer = acme("PUT", "/v2/leads/" + bare.json().get("id").asLong(),
          "{\"extendedFields\":{\"k\":\"v\"}}", "Idempotency-Key", key);
      assertThat(answer.status()).as(key).isEqualTo(200);
    }
  }

  @Test
  void anIdempotencyKeyOutsideTheRuleIsRefusedWithTheRule() throws Exception {
    int before = commands.submitted;
    for (String key : new String[] {"x".repeat(256), "bad key!", "\"unclosed", "\"a\"b\"", "\"bad\\x\"", "\"\"",
        "\"with space\""}) {
      Response refused = acme("POST", "/v2/leads/reasons", "[{\"reason\":\"r\"}]", "Idempotency-Key", key);
      assertThat(refused.status()).as(key).isEqualTo(400);
      assertThat(refused.code()).as(key).isEqualTo(93003);
      assertThat(refused.json().path("errors").path(0).path("message").asText()).as(key)
          .contains("visible ASCII", "255");
    }
    assertThat(commands.submitted).isEqualTo(before);
  }

  @Test
  void rejectionsAnswerWithTheirCodeAndHttpStatus() throws Exception {
    Response unknownLead = acme("PUT", "/v2/leads/999999/status", "{\"status\":\"WON\",\"reasonId\":1}");
    assertThat(unknownLead.status()).isEqualTo(404);
    assertThat(unknownLead.code()).isEqualTo(92001);
    assertThat(unknownLead.json().path("errors").path(0).path("status").asBoolean(true)).isFalse();
    assertThat(fields(unknownLead.json())).containsExactly("errors", "warnings");

    Response badStatus = acme("PUT", "/v2/leads/1/status", "{\"status\":\"MAYBE\",\"reasonId\":1}");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.code()).isEqualTo(92003);
  }

  @Test
  void badRequestBodiesGetTheErrorEnvelopeAndNeverReachKafka() throws Exception {
    int before = commands.submitted;
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":").code()).isEqualTo(93001);
    assertThat(acme("POST", "/v2/leads", "").code()).isEqualTo(93001);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\"} trailing").code()).isEqualTo(93001);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"id\":5}").code()).isEqualTo(93002);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"status\":\"OPEN\",\"statusLogDetails\":[{\"status\":\"OPEN\",\"org\":1}]}").code())
        .isEqualTo(93002);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":42}").code()).isEqualTo(93003);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"userId\":\"12\"}").code()).isEqualTo(93003);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"userId\":1.5}").code()).isEqualTo(93003);
    assertThat(acme("POST", "/v2/leads", "[1,2]").code()).isEqualTo(93003);
    assertThat(acme("POST", "/v2/leads", "{\"leadFor\":\"x\",\"extendedFields\":{\"a\":{\"b\":1}}}").code()).isEqualTo(93003);
    assertThat(acme("POST", "/v2/leads/reasons", "{\"reason\":\"not an array\"}").code()).isEqualTo(93003);
    String deep = "[".repeat(5000) + "]".repeat(5000);
    Response nested = acme("POST", "/v2/leads/reasons", deep);
    assertThat(nested.status()).isEqualTo(400);
    assertThat(nested.code()).isEqualTo(93001);
    Response huge = acme("POST", "/v2/leads", "{\"leadFor\":\"" + "x".repeat(300_000) + "\"}");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.code()).isEqualTo(93016);
    assertThat(acme("PUT", "/v2/leads/abc", "{\"owner\":\"x\"}").code()).isEqualTo(93003);
    assertThat(acme("PUT", "/v2/leads/..%2F..%2Fetc", "{\"owner\":\"x\"}").status()).isBetween(400, 404);
    assertThat(acme("PUT", "/v2/leads/1", "{\"owner\":\"x\"}", "Idempotency-Key", "bad key!").code()).isEqualTo(93003);
    assertThat(commands.submitted).isEqualTo(before);
  }

  @Test
  void aWriteWithoutOutcomeInTimeIs503WithItsCommandId() throws Exception {
    commands.silent = true;
    Response response = acme("POST", "/v2/leads/reasons", "[{\"reason\":\"r\"}]", "Idempotency-Key", "k-503");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.code()).isEqualTo(93015);
    assertThat(response.json().path("errors").path(0).path("commandId").asText()).isEqualTo("k-503");
    assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void readsMapTheQueryResultToStatuses() throws Exception {
    LeadState lead = commands.storedLead("acme", 1) != null ? commands.storedLead("acme", 1) : null;
    reader.leads = id -> id == 1 && lead != null ? new QueryResult.Found<>(lead)
        : id == 2 ? new QueryResult.Unavailable<>("restoring") : new QueryResult.NotFound<>();
    reader.reasons = new QueryResult.Found<>(List.of(new Reason("acme", 1L, "r")));

    Response reasons = acme("GET", "/v2/leads/reasons", null);
    assertThat(reasons.status()).isEqualTo(200);
    assertThat(reasons.json().get("data").get(0).get("reason").asText()).isEqualTo("r");
    assertThat(reader.lastOrg).isEqualTo("acme");

    Response missing = acme("GET", "/v2/leads/3", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo(92001);

    Response restoring = acme("GET", "/v2/leads/2", null);
    assertThat(restoring.status()).isEqualTo(503);
    assertThat(restoring.raw().headers().firstValue("Retry-After")).contains("1");
  }

  @Test
  void aReadOwnedElsewhereIsForwardedOnceToTheOwner() throws Exception {
    StubReader ownerReader = new StubReader();
    ownerReader.reasons = new QueryResult.Found<>(List.of(new Reason("acme", 9L, "from the owner")));
    HttpApi owner = startApi(ownerReader, new OrgRateLimiter(10_000, 10_000));
    StubReader confused = new StubReader();
    HttpApi other = startApi(confused, new OrgRateLimiter(10_000, 10_000));
    try {
      reader.reasons = new QueryResult.Elsewhere<>(new HostInfo("127.0.0.1", owner.port()));
      Response forwarded = acme("GET", "/v2/leads/reasons", null);
      assertThat(forwarded.status()).isEqualTo(200);
      assertThat(forwarded.json().get("data").get(0).get("reason").asText()).isEqualTo("from the owner");
      assertThat(ownerReader.lastOrg).isEqualTo("acme");

      // The owner it was sent to thinks yet another instance owns the org: it answers 503, never forwards again.
      ownerReader.reasons = new QueryResult.Elsewhere<>(new HostInfo("127.0.0.1", other.port()));
      Response moving = acme("GET", "/v2/leads/reasons", null);
      assertThat(moving.status()).isEqualTo(503);
      assertThat(confused.lastOrg).isNull();
    } finally {
      reader.reasons = new QueryResult.Found<>(List.of());
      owner.close();
      other.close();
    }
  }

  @Test
  void aReadWaitsOutAShortUnavailabilityAndAnswersOnceTheDataIsBack() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    // Unavailable for the first three tries (a task moving), then the store's answer, not 503.
    reader.leads = id -> tries.incrementAndGet() <= 3 ? new QueryResult.Unavailable<>("restoring")
        : new QueryResult.NotFound<>();
    try {
      Response response = acme("GET", "/v2/leads/1", null);
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.code()).isEqualTo(92001);
      assertThat(tries).hasValue(4);

      // Unavailable throughout: 503 once the wait is over, after several tries.
      tries.set(0);
      reader.leads = id -> {
        tries.incrementAndGet();
        return new QueryResult.Unavailable<>("restoring");
      };
      Response unavailable = acme("GET", "/v2/leads/1", null);
      assertThat(unavailable.status()).isEqualTo(503);
      assertThat(unavailable.raw().headers().firstValue("Retry-After")).contains("1");
      assertThat(tries.get()).isGreaterThan(1);
    } finally {
      reader.leads = id -> new QueryResult.NotFound<>();
    }
  }

  @Test
  void aForwardedReadThatFindsTheOwnerRestoringIsTriedAgainByTheInstanceItReached() throws Exception {
    StubReader ownerReader = new StubReader();
    AtomicInteger ownerTries = new AtomicInteger();
    HttpApi owner = startApi(ownerReader, new OrgRateLimiter(10_000, 10_000));
    try {
      ownerReader.leads = id -> ownerTries.incrementAndGet() <= 2 ? new QueryResult.Unavailable<>("restoring")
          : new QueryResult.NotFound<>();
      reader.leads = id -> new QueryResult.Elsewhere<>(new HostInfo("127.0.0.1", owner.port()));
      Response response = acme("GET", "/v2/leads/7", null);
      // The owner answered the first two 503 at once (a forwarded read does not wait there); this
      // instance asked again, and relayed the third answer.
      assertThat(response.status()).isEqualTo(404);
      assertThat(ownerTries).hasValue(3);
    } finally {
      reader.leads = id -> new QueryResult.NotFound<>();
      owner.close();
    }
  }

  @Test
  void searchParametersAreReadStrictly() throws Exception {
    assertThat(acme("GET", "/v2/leads?sortOrder=DESC&type=ALL&limit=10&orgSourceId=-1", null).status()).isEqualTo(200);
    assertThat(reader.lastSearch.type()).isEmpty();
    assertThat(reader.lastSearch.orgSourceId()).contains(-1L);
    assertThat(reader.lastSearch.sortOrder()).isEqualTo(LeadSearch.SortOrder.DESC);

    acme("GET", "/v2/leads?status=on_hold&sortBy=lastupdatedon&sortOrder=asc&offset=10000&limit=20&substatus=x&owner=sam&userId=5", null);
    assertThat(reader.lastSearch.status()).map(Enum::name).contains("ON_HOLD");
    assertThat(reader.lastSearch.sortBy()).isEqualTo(LeadSearch.SortBy.LAST_UPDATED_ON);
    assertThat(reader.lastSearch.offset()).isEqualTo(10_000L);
    assertThat(reader.lastSearch.limit()).isEqualTo(20);
    assertThat(reader.lastSearch.userId()).contains(5L);

    assertThat(acme("GET", "/v2/leads?limit=101", null).code()).isEqualTo(93006);
    assertThat(acme("GET", "/v2/leads?limit=0", null).code()).isEqualTo(93003);
    assertThat(acme("GET", "/v2/leads?offset=-1", null).code()).isEqualTo(93003);
    assertThat(acme("GET", "/v2/leads?offset=99999999999999999999999", null).code()).isEqualTo(93003);
    assertThat(acme("GET", "/v2/leads?type=SERVICE", null).code()).isEqualTo(92009);
    assertThat(acme("GET", "/v2/leads?status=MAYBE", null).code()).isEqualTo(92003);
    assertThat(acme("GET", "/v2/leads?orgId=globex", null).code()).isEqualTo(93002);
    assertThat(acme("GET", "/v2/leads?sortBy=id", null).code()).isEqualTo(93003);

    assertThat(acme("GET", "/v2/leads/followups/due?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00%2B05:30&limit=20", null).status())
        .isEqualTo(200);
    assertThat(reader.lastDue.limit()).isEqualTo(20);
    assertThat(acme("GET", "/v2/leads/followups/due?from=yesterday", null).code()).isEqualTo(93005);
  }

  @Test
  void theRateLimitIsPerOrgAndAnswers429WithRetryAfter() throws Exception {
    StubReader quiet = new StubReader();
    HttpApi limited = startApi(quiet, new OrgRateLimiter(0.5, 2));
    try {
      String acme = basic("till", "secret");
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme).status()).isEqualTo(200);
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme).status()).isEqualTo(200);
      Response limitedResponse = call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme);
      assertThat(limitedResponse.status()).isEqualTo(429);
      assertThat(limitedResponse.code()).isEqualTo(93013);
      assertThat(limitedResponse.raw().headers().firstValue("Retry-After")).isPresent();
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", basic("globex-till", "pw")).status())
          .isEqualTo(200);
    } finally {
      limited.close();
    }
  }

  @Test
  void aForgedForwardMarkNeitherSkipsTheRateLimitNorIsServed() throws Exception {
    StubReader quiet = new StubReader();
    HttpApi limited = startApi(quiet, new OrgRateLimiter(0.5, 3));
    try {
      String acme = basic("till", "secret");
      String[][] forgeries = {
        {Forwarder.FORWARDED_HEADER, "anything"},
        {Forwarder.FORWARDED_HEADER, "127.0.0.1:" + limited.port(), Forwarder.SIGNATURE_HEADER, "v1;t=0;n=00;s=AAAA"},
        {Forwarder.SIGNATURE_HEADER, SIGNATURE.sign("GET", "/v2/leads/reasons", "x:1", acme)},
      };
      for (String[] forged : forgeries) {
        String[] headers = new String[forged.length + 2];
        headers[0] = "Authorization";
        headers[1] = acme;
        System.arraycopy(forged, 0, headers, 2, forged.length);
        Response refused = call(limited, "GET", "/v2/leads/reasons", null, headers);
        assertThat(refused.status()).as("%s", List.of(forged)).isEqualTo(403);
        assertThat(refused.code()).isEqualTo(93020);
      }
      assertThat(quiet.lastOrg).as("no forged request reached the reader").isNull();
      // The three forgeries spent the burst: the next request waits, marked or not.
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme).status()).isEqualTo(429);
      assertThat(call(limited, "POST", "/v2/leads/reasons", "[{\"reason\":\"r\"}]", "Authorization", acme,
          Forwarder.FORWARDED_HEADER, "anything").status()).isEqualTo(429);
    } finally {
      limited.close();
    }
  }

  @Test
  void aSignedForwardSkipsTheRateLimitOnceAndItsReplayIsRefused() throws Exception {
    StubReader owner = new StubReader();
    HttpApi limited = startApi(owner, new OrgRateLimiter(0.5, 1));
    try {
      String acme = basic("till", "secret");
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme).status()).isEqualTo(200);
      assertThat(call(limited, "GET", "/v2/leads/reasons", null, "Authorization", acme).status()).isEqualTo(429);

      String path = "/v2/leads?status=OPEN&limit=20";
      String signature = SIGNATURE.sign("GET", path, "127.0.0.1:1", acme);
      String[] signed = {"Authorization", acme, Forwarder.FORWARDED_HEADER, "127.0.0.1:1",
          Forwarder.SIGNATURE_HEADER, signature};
      assertThat(call(limited, "GET", path, null, signed).status()).isEqualTo(200);
      assertThat(owner.lastOrg).isEqualTo("acme");

    } finally {
      limited.close();
    }
  }

  @Test
  void aReplayedOrForeignSignatureIsRefusedWithItsReason() throws Exception {
    String acme = basic("till", "secret");
    String path = "/v2/leads/reasons";
    String[] signed = {"Authorization", acme, Forwarder.FORWARDED_HEADER, "127.0.0.1:1",
        Forwarder.SIGNATURE_HEADER, SIGNATURE.sign("GET", path, "127.0.0.1:1", acme)};
    assertThat(call(api, "GET", path, null, signed).status()).isEqualTo(200);

    Response replayed = call(api, "GET", path, null, signed);
    assertThat(replayed.status()).isEqualTo(403);
    assertThat(replayed.code()).isEqualTo(93020);
    assertThat(replayed.json().path("errors").path(0).path("message").asText()).contains("replayed");

    var stranger = new InstanceSignature("the-secret-of-some-other-deployment-0123", Clock.systemUTC());
    Response foreign = call(api, "GET", path, null, "Authorization", acme, Forwarder.FORWARDED_HEADER,
        "127.0.0.1:1", Forwarder.SIGNATURE_HEADER, stranger.sign("GET", path, "127.0.0.1:1", acme));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.json().path("errors").path(0).path("message").asText()).contains("bad signature");

    // A write is never forwarded, so no signature makes one trusted.
    Response write = call(api, "POST", path, "[{\"reason\":\"r\"}]", "Authorization", acme,
        Forwarder.FORWARDED_HEADER, "127.0.0.1:1", Forwarder.SIGNATURE_HEADER, SIGNATURE.sign("POST", path, "127.0.0.1:1", acme));
    assertThat(write.status()).isEqualTo(403);
  }

  @Test
  void unknownPathsAndMethodsGetTheErrorEnvelope() throws Exception {
    Response unknown = acme("GET", "/v2/nothing-here", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo(93017);
    Response method = acme("DELETE", "/v2/leads/1", null);
    assertThat(method.status()).isIn(404, 405);
    assertThat(method.json().has("errors")).isTrue();
  }

  @Test
  void healthAndMetricsAnswerWithoutCredentials() throws Exception {
    assertThat(call(api, "GET", "/health/live", null).status()).isEqualTo(200);
    assertThat(call(api, "GET", "/health/ready", null).status()).isEqualTo(200);
    notReady = Optional.of("Kafka Streams is REBALANCING");
    Response notReadyResponse = call(api, "GET", "/health/ready", null);
    assertThat(notReadyResponse.status()).isEqualTo(503);
    assertThat(notReadyResponse.json().path("errors").path(0).path("message").asText()).contains("REBALANCING");
    acme("GET", "/v2/leads/reasons", null);
    HttpResponse<String> metrics = call(api, "GET", "/metrics", null).raw();
    assertThat(metrics.body()).contains("lms_http_requests_seconds_count{method=\"GET\",route=\"/v2/leads/reasons\",status=\"200\"}");
  }

  @Test
  void malformedHttpOnTheUnauthenticatedRoutesGetsTheErrorEnvelope() throws Exception {
    // The OpenAPI document lists these answers for /health/*, /metrics and /openapi.json too.
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/openapi.json")) {
      Response longLine = call(api, "GET", path + "?padding=" + "x".repeat(10_000), null);
      assertThat(longLine.status()).as("%s, request line too long", path).isEqualTo(414);
      assertThat(longLine.code()).as(path).isEqualTo(93019);

      Response longHeaders = call(api, "GET", path, null, "X-Padding", "x".repeat(10_000));
      assertThat(longHeaders.status()).as("%s, headers too long", path).isEqualTo(431);
      assertThat(longHeaders.code()).as(path).isEqualTo(93019);

      String brokenHeader = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
      assertThat(brokenHeader).as("%s, a header without a colon", path).startsWith("HTTP/1.1 400 ").contains("\"code\":93019");
    }
  }

  /** A request the JDK's client refuses to send, written to the socket as it is; the whole answer. */
  static String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void theOpenApiDocumentDescribesExactlyTheRoutesTheServerHas() throws Exception {
    JsonNode doc = call(api, "GET", "/openapi.json", null).json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    Set<String> documented = new HashSet<>();
    for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      doc.get("paths").get(path).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path));
    }
    Set<String> served = new HashSet<>();
    for (HttpApi.Route route : HttpApi.routes()) {
      served.add(route.method().name() + " " + route.path());
      // Each listed route is really registered: it answers something other than "no such path".
      String path = route.path().replace("{leadId}", "1");
      Response response = call(api, route.method().name(), path, route.method() == HandlerType.GET ? null : "{}",
          "Authorization", basic("till", "secret"));
      assertThat(response.code()).as("%s %s", route.method(), path).isNotEqualTo(93017);
    }
    assertThat(documented).isEqualTo(served);
  }
}
