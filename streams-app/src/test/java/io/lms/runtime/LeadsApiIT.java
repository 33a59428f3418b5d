package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.http.PasswordHash;
import io.lms.topology.Commands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Leads v2 API end to end: two instances of one application on a real broker, two orgs, every
 * endpoint tried on both instances, then one instance closed and the other serving everything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeadsApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String ACME = basic("acme-till", "acme-secret");
  static final String GLOBEX = basic("globex-till", "globex-secret");

  @TempDir static Path dir;
  static LmsApplication first;
  static LmsApplication second;

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.properties");
    Files.writeString(credentials, String.join("\n",
        "acme-till = acme:15002926:" + PasswordHash.hash("acme-secret".toCharArray()),
        "globex-till = globex:77:" + PasswordHash.hash("globex-secret".toCharArray())), StandardCharsets.UTF_8);
    Map<String, String> shared = new HashMap<>(SharedKafka.isolatedEnvironment("api", dir.resolve("unused")));
    shared.put("LMS_CREDENTIALS_FILE", credentials.toString());
    shared.put("LMS_PARTITIONS", "4");
    first = start(shared, dir.resolve("state-1"));
    second = start(shared, dir.resolve("state-2"));
    for (LmsApplication app : List.of(first, second)) {
      assertThat(app.awaitRunning(Duration.ofSeconds(90))).isTrue();
      assertThat(app.awaitWritable(Duration.ofSeconds(30))).isTrue();
    }
    // Both instances have joined and the tasks are spread before the tests start.
    await().atMost(Duration.ofSeconds(60)).until(() -> ready(first) && ready(second));
  }

  static LmsApplication start(Map<String, String> shared, Path stateDir) throws Exception {
    Map<String, String> env = new HashMap<>(shared);
    env.put("LMS_STATE_DIR", stateDir.toString());
    LmsApplication app = new LmsApplication(LmsConfig.parse(Map.of(), env));
    app.start();
    return app;
  }

  @AfterAll
  static void stop() {
    for (LmsApplication app : new LmsApplication[] {second, first}) {
      if (app != null) {
        app.close();
      }
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  record Response(int status, JsonNode json) {
    int code() {
      return json.path("errors").path(0).path("code").asInt();
    }
  }

  static boolean ready(LmsApplication app) throws Exception {
    return call(app, "GET", "/health/ready", null, null).status() == 200;
  }

  static Response call(LmsApplication app, String method, String path, String auth, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.httpAddress().port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    return new Response(response.statusCode(), text.startsWith("{") ? JSON.readTree(text) : JSON.createObjectNode());
  }

  static Response ok(Response response) {
    assertThat(response.status()).as("%s", response.json()).isEqualTo(200);
    return response;
  }

  static long acmeLead;
  static long globexLead;

  @Test
  @Order(1)
  void theSamplesWorkEndToEndAndEveryInstanceAnswersTheSame() throws Exception {
    ok(call(first, "POST", "/v2/leads/reasons", ACME,
        "[{\"reason\":\"Item not available in store\"},{\"reason\":\"Best price availabe at another store\"},"
            + "{\"reason\":\"Interested in our brand products\"}]"));
    ok(call(second, "POST", "/v2/leads/substatus", ACME, "{\"status\":\"ON_HOLD\",\"subStatus\":\"YetToDecide\"}"));
    JsonNode lead = ok(call(second, "POST", "/v2/leads", ACME, Commands.SAMPLE_CREATE_JSON)).json();
    acmeLead = lead.get("id").asLong();
    assertThat(lead.get("followUpDetails")).hasSize(2);
    assertThat(lead.get("statusLogDetails").get(1).get("reason").asText()).isEqualTo("Best price availabe at another store");

    // Read-your-writes: right after the answer, on either instance.
    for (LmsApplication app : List.of(first, second)) {
      JsonNode read = ok(call(app, "GET", "/v2/leads/" + acmeLead, ACME, null)).json();
      assertThat(read.get("leadFor").asText()).isEqualTo("item001");
      assertThat(read.get("warnings").isArray()).isTrue();
    }

    ok(call(first, "PUT", "/v2/leads/" + acmeLead, ACME, "{\"extendedFields\":{\"trial_status\":\"Done\"},\"owner\":\"sam\"}"));
    ok(call(second, "PUT", "/v2/leads/" + acmeLead + "/status", ACME,
        "{\"status\":\"OPEN\",\"createdBy\":28812689,\"reasonId\":2}"));
    ok(call(first, "POST", "/v2/leads/" + acmeLead + "/followup", ACME,
        "{\"followedUpOn\":\"2026-11-27T10:00:00Z\",\"createdBy\":124,\"nextFollowUp\":\"2026-11-28T10:00:00+05:30\",\"notes\":\"called\"}"));

    for (LmsApplication app : List.of(first, second)) {
      assertThat(ok(call(app, "GET", "/v2/leads/reasons", ACME, null)).json().get("data")).hasSize(3);
      assertThat(ok(call(app, "GET", "/v2/leads/substatuses", ACME, null)).json().get("data").get(0).get("subStatus").asText())
          .isEqualTo("YetToDecide");
      assertThat(ok(call(app, "GET", "/v2/leads/" + acmeLead + "/statusLog", ACME, null)).json().get("data")).hasSize(3);
      assertThat(ok(call(app, "GET", "/v2/leads/" + acmeLead + "/followups", ACME, null)).json().get("data")).hasSize(3);
      JsonNode search = ok(call(app, "GET", "/v2/leads?sortOrder=DESC&type=ALL&limit=10&orgSourceId=-1", ACME, null)).json();
      assertThat(search.get("data")).hasSize(1);
      assertThat(search.get("data").get(0).get("owner").asText()).isEqualTo("sam");
      assertThat(ok(call(app, "GET", "/v2/leads?status=OPEN&sortBy=lastUpdatedOn", ACME, null)).json().get("data")).hasSize(1);
      assertThat(ok(call(app, "GET", "/v2/leads?status=WON", ACME, null)).json().get("data")).isEmpty();
      assertThat(ok(call(app, "GET", "/v2/leads/followups/due?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z", ACME, null))
          .json().get("data")).hasSize(1);
    }
  }

  @Test
  @Order(2)
  void anotherOrgSeesNothingOfTheFirstOnAnyEndpoint() throws Exception {
    globexLead = ok(call(first, "POST", "/v2/leads", GLOBEX,
        "{\"leadFor\":\"gadget\",\"idType\":\"MOBILE\",\"identifier\":\"+1 555 0100\"}")).json().get("id").asLong();
    assertThat(globexLead).as("ids are per-org sequences").isEqualTo(1L);
    for (LmsApplication app : List.of(first, second)) {
      // acme's lead ids exist in acme only: from globex, the same id is globex's own lead.
      assertThat(ok(call(app, "GET", "/v2/leads/" + globexLead, GLOBEX, null)).json().get("leadFor").asText()).isEqualTo("gadget");
      assertThat(call(app, "GET", "/v2/leads/2", GLOBEX, null).code()).isEqualTo(92001);
      assertThat(call(app, "GET", "/v2/leads/2/statusLog", GLOBEX, null).status()).isEqualTo(404);
      assertThat(call(app, "GET", "/v2/leads/2/followups", GLOBEX, null).status()).isEqualTo(404);
      assertThat(ok(call(app, "GET", "/v2/leads/reasons", GLOBEX, null)).json().get("data")).isEmpty();
      assertThat(ok(call(app, "GET", "/v2/leads/substatuses", GLOBEX, null)).json().get("data")).isEmpty();
      assertThat(ok(call(app, "GET", "/v2/leads?type=ALL", GLOBEX, null)).json().get("data")).hasSize(1);
      assertThat(ok(call(app, "GET", "/v2/leads/followups/due", GLOBEX, null)).json().get("data")).isEmpty();
    }
    assertThat(call(second, "PUT", "/v2/leads/2/status", GLOBEX, "{\"status\":\"WON\",\"reasonId\":1}").status()).isEqualTo(404);
    assertThat(call(second, "PUT", "/v2/leads/2", GLOBEX, "{\"owner\":\"mallory\"}").status()).isEqualTo(404);
    assertThat(call(second, "POST", "/v2/leads/2/followup", GLOBEX, "{\"followedUpOn\":\"2026-11-27T10:00:00Z\"}").status())
        .isEqualTo(404);
    assertThat(ok(call(first, "GET", "/v2/leads/" + acmeLead, ACME, null)).json().get("owner").asText()).isEqualTo("sam");
  }

  @Test
  @Order(3)
  void aRetriedWriteWithTheSameKeyIsAnsweredTheSameOnAnyInstance() throws Exception {
    String body = "{\"leadFor\":\"retry\",\"idType\":\"EMAIL\",\"identifier\":\"retry@example.com\"}";
    Response a = ok(call(first, "POST", "/v2/leads", ACME, body, "Idempotency-Key", "it-retry-1"));
    Response b = ok(call(second, "POST", "/v2/leads", ACME, body, "Idempotency-Key", "it-retry-1"));
    assertThat(b.json()).isEqualTo(a.json());
    assertThat(ok(call(second, "GET", "/v2/leads?type=ALL&limit=100", ACME, null)).json().get("data")).hasSize(2);
  }

  @Test
  @Order(4)
  void whenOneInstanceClosesTheOtherServesEverythingWithoutAWrong404() throws Exception {
    second.close();
    List<Integer> statuses = new ArrayList<>();
    List<JsonNode> wrongLists = new ArrayList<>();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      int acme = call(first, "GET", "/v2/leads/" + acmeLead, ACME, null).status();
      int globex = call(first, "GET", "/v2/leads/" + globexLead, GLOBEX, null).status();
      Response search = call(first, "GET", "/v2/leads?type=ALL&limit=100", ACME, null);
      statuses.addAll(List.of(acme, globex, search.status()));
      if (search.status() == 200 && search.json().get("data").size() != 2) {
        wrongLists.add(search.json());
      }
      return acme == 200 && globex == 200 && search.status() == 200;
    });
    assertThat(statuses).as("while tasks move, only 200 or 503").allMatch(s -> s == 200 || s == 503);
    assertThat(wrongLists).as("searches answered while tasks move").isEmpty();
    ok(call(first, "POST", "/v2/leads/" + globexLead + "/followup", GLOBEX, "{\"followedUpOn\":\"2026-11-27T11:00:00Z\"}"));
  }
}
