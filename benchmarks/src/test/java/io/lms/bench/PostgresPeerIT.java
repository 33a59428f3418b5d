package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.command.json.RequestBodies;
import io.lms.domain.ErrorCode;
import io.lms.http.ApiJson;
import io.lms.http.CredentialStore;
import io.lms.query.DueFollowUps;
import io.lms.query.LeadSearch;
import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.query.LocalLeadReader;
import io.lms.query.QueryResult;
import io.lms.runtime.LmsConfig;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.TopologySettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peer answers what LMS answers: the same generated leads go through the real topology (in a
 * test driver, on the production settings), the leads it writes to {@code lms.leads} go into the
 * peer's table as the benchmark copies them, and each read the benchmark measures gives the same
 * JSON from LMS's reader (rendered as its HTTP layer renders it) and from the peer over HTTP.
 *
 * <p>Needs PostgreSQL at 127.0.0.1:5432 with user postgres and database {@code test}, trust auth
 * ({@code LMS_IT_PG_HOST}, {@code _PORT}, {@code _USER} override), as the connector tests do; it
 * creates and drops a schema of its own there.
 */
class PostgresPeerIT {
  private static final int LEADS = 400;
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final String HOST = env("LMS_IT_PG_HOST", "127.0.0.1");
  private static final String URL = "jdbc:postgresql://" + HOST + ":" + env("LMS_IT_PG_PORT", "5432") + "/test";
  private static final String USER = env("LMS_IT_PG_USER", "postgres");
  private static final String AUTH = "Basic "
      + Base64.getEncoder().encodeToString("till:secret".getBytes(StandardCharsets.UTF_8));

  /** The time of LMS's writes: the driver's wall clock, which the test never moves; the peer's clock shows it too. */
  private static final Instant WRITTEN_AT = NOW.minus(Duration.ofDays(1));

  private static Path stateDir;
  private static TopologyTestDriver driver;
  private static TestInputTopic<String, LeadCommand> commands;
  private static TestOutputTopic<String, CommandResult> results;
  private static LocalLeadReader lms;
  private static PeerTable table;
  private static PostgresPeer peer;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void loadBothSides() throws Exception {
    stateDir = Files.createTempDirectory("peer-it");
    LmsTopics topics = LmsTopics.defaults();
    driver = new TopologyTestDriver(LmsTopology.build(topics, TopologySettings.defaults()),
        LmsConfig.parse(Map.of(), Map.of("LMS_STATE_DIR", stateDir.toString())).streamsProperties("unused:9092"),
        WRITTEN_AT);
    commands = driver.createInputTopic(topics.commands().name(), new StringSerializer(),
        topics.commands().valueSerde().serializer());
    results = driver.createOutputTopic(topics.results().name(), new StringDeserializer(),
        topics.results().valueSerde().deserializer());
    new LeadLoad(LEADS, 42, NOW).forEach(command ->
        commands.pipeInput(command.getOrgId(), command, command.getIssuedAt()));
    lms = new LocalLeadReader((store, org) -> driver.getKeyValueStore(store));

    // The latest version of each lead on lms.leads, as the benchmark copies them.
    Map<String, byte[]> latest = new LinkedHashMap<>();
    driver.createOutputTopic(topics.leads().name(), new StringDeserializer(), new ByteArrayDeserializer())
        .readKeyValuesToList().forEach(record -> latest.put(record.key, record.value));
    assertThat(latest).hasSize(LEADS);

    table = new PeerTable("bench_peer_it_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36));
    SingleObjectCodec<LeadState> codec = SingleObjectCodec.of(LeadState.class);
    try (Connection connection = connect()) {
      table.create(connection);
      try (PeerTable.Loader loader = table.loader(connection)) {
        for (byte[] lead : latest.values()) {
          loader.add(codec.decode(lead), lead);
        }
        assertThat(loader.finish()).isEqualTo(LEADS);
      }
      table.index(connection);
    }
    peer = new PostgresPeer(URL, USER, table, CredentialStore.of("till", "secret", LeadLoad.ORG, 7L),
        Clock.fixed(WRITTEN_AT, ZoneOffset.UTC)).start(0);
  }

  @AfterAll
  static void dropBothSides() throws Exception {
    if (peer != null) {
      peer.close();
    }
    if (table != null) {
      try (Connection connection = connect()) {
        table.drop(connection);
      }
    }
    if (driver != null) {
      driver.close();
    }
    ThroughputBenchmark.deleteRecursively(stateDir);
  }

  @Test
  void lookupsAnswerTheSameLead() throws Exception {
    for (long id : List.of(1L, LEADS / 2L, (long) LEADS)) {
      String expected = new String(ApiJson.lead(found(lms.lead(LeadLoad.ORG, id))), StandardCharsets.UTF_8);

      assertThat(peer("/v2/leads/" + id)).as("lead %d", id).isEqualTo(expected);
    }
  }

  @Test
  void anUnknownLeadIsNotFoundWithLmsError() throws Exception {
    HttpResponse<String> response = get("/v2/leads/" + (LEADS + 1));

    assertThat(lms.lead(LeadLoad.ORG, LEADS + 1)).isInstanceOf(QueryResult.NotFound.class);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo(
        new String(ApiJson.errors(List.of(ErrorCode.LEAD_NOT_FOUND.error())), StandardCharsets.UTF_8));
  }

  @Test
  void firstSearchPageIsTheSame() throws Exception {
    List<LeadState> page = search(0, 20, SortBy.LAST_UPDATED_ON, SortOrder.DESC);

    assertThat(page).hasSize(20);
    assertThat(peer("/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20")).isEqualTo(json(page));
  }

  @Test
  void anOffsetPageIsTheSameInEitherOrder() throws Exception {
    List<LeadState> byUpdate = search(100, 20, SortBy.LAST_UPDATED_ON, SortOrder.DESC);
    List<LeadState> byCreation = search(100, 20, SortBy.CREATED_ON, SortOrder.ASC);

    assertThat(byCreation.get(0).getId()).isGreaterThan(100);
    assertThat(peer("/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20&offset=100")).isEqualTo(json(byUpdate));
    assertThat(peer("/v2/leads?status=OPEN&sortBy=createdOn&sortOrder=ASC&limit=20&offset=100"))
        .isEqualTo(json(byCreation));
  }

  @Test
  void aSearchWithoutParametersIsTheSame() throws Exception {
    assertThat(peer("/v2/leads")).isEqualTo(json(found(lms.search(LeadLoad.ORG, LeadSearch.all()))));
  }

  /** The rows after the first 40 of LMS's order, reached by SQL OFFSET and by keyset, are LMS's rows 41 to 60. */
  @Test
  void deepPagesBySqlOffsetAndByKeysetAreTheRowsThatFollow() throws Exception {
    List<LeadState> first60 = search(0, 60, SortBy.LAST_UPDATED_ON, SortOrder.DESC);
    LeadState fortieth = first60.get(39);
    String expected = json(first60.subList(40, 60));

    assertThat(peer("/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20&skip=40")).isEqualTo(expected);
    assertThat(peer("/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20&after="
        + fortieth.getLastUpdatedAtMillis() + ":" + fortieth.getId())).isEqualTo(expected);
  }

  @Test
  void dueListIsTheSame() throws Exception {
    Instant to = NOW.plus(Duration.ofDays(1));
    for (int offset : List.of(0, 5)) {
      List<LeadState> due = found(lms.dueFollowUps(LeadLoad.ORG, new DueFollowUps(Instant.EPOCH, to, Optional.empty(),
          offset, 20)));

      assertThat(due).as("offset %d", offset).hasSize(20);
      assertThat(peer("/v2/leads/followups/due?limit=20&offset=" + offset + "&to=" + to.atOffset(ZoneOffset.UTC)))
          .as("offset %d", offset).isEqualTo(json(due));
    }
  }

  /**
   * The same follow-up, by the same till at the same time, gives the same lead from LMS's topology
   * and from the peer, whose follow-up id continues the sequence its load took from the leads; the
   * peer keeps it, so its lookup answers it.
   */
  @Test
  void aFollowUpAnswersTheLeadLmsAnswers() throws Exception {
    long id = LEADS / 4;
    String body = followUpBody("called back");

    String expected = lmsFollowUp(id, "peer-it-followup", body);
    HttpResponse<String> answer = postFollowUp(id, "peer-it-followup", body);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(expected);
    assertThat(peer("/v2/leads/" + id)).isEqualTo(expected);
  }

  /** A retry under the same key gets the first answer and changes nothing; another request under it gets LMS's 422. */
  @Test
  void aRetriedFollowUpIsAnsweredAgainAndAppliedOnce() throws Exception {
    long id = LEADS / 4 + 1;
    String body = followUpBody("left a message");
    String first = lmsFollowUp(id, "peer-it-retry", body);
    assertThat(postFollowUp(id, "peer-it-retry", body).body()).isEqualTo(first);

    HttpResponse<String> retry = postFollowUp(id, "peer-it-retry", body);
    HttpResponse<String> reused = postFollowUp(id, "peer-it-retry", followUpBody("another request"));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first);
    assertThat(peer("/v2/leads/" + id)).isEqualTo(first);
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.body()).isEqualTo(new String(
        ApiJson.errors(List.of(ErrorCode.IDEMPOTENCY_KEY_REUSED.error("peer-it-retry"))), StandardCharsets.UTF_8));
  }

  @Test
  void aFollowUpOfAnUnknownLeadIsNotFound() throws Exception {
    HttpResponse<String> answer = postFollowUp(LEADS + 1, "peer-it-unknown", followUpBody("nobody"));

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).isEqualTo(
        new String(ApiJson.errors(List.of(ErrorCode.LEAD_NOT_FOUND.error())), StandardCharsets.UTF_8));
  }

  private static String followUpBody(String notes) {
    return "{\"followedUpOn\":\"" + WRITTEN_AT.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC)
        + "\",\"nextFollowUp\":\"" + WRITTEN_AT.plus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC)
        + "\",\"notes\":\"" + notes + "\"}";
  }

  /** The lead LMS's topology answers a follow-up with, as its HTTP layer renders it. */
  private static String lmsFollowUp(long id, String commandId, String body) {
    results.readValuesToList();
    commands.pipeInput(LeadLoad.ORG, new LeadCommand(commandId, LeadLoad.ORG, 7L, WRITTEN_AT,
        RequestBodies.recordFollowUp(id, body.getBytes(StandardCharsets.UTF_8))), WRITTEN_AT);
    CommandResult result = results.readValue();
    assertThat(result.getOutcome()).as("LMS's answer").isInstanceOf(Accepted.class);
    return new String(ApiJson.lead(((Accepted) result.getOutcome()).getLead()), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> postFollowUp(long id, String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + "/v2/leads/" + id + "/followup"))
            .header("Authorization", AUTH).header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesACallerWithoutCredentials() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v2/leads/1")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  private static List<LeadState> search(long offset, int limit, SortBy sortBy, SortOrder order) {
    return found(lms.search(LeadLoad.ORG, new LeadSearch(Optional.empty(), Optional.of(LeadStatus.OPEN), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), offset, limit, sortBy, order)));
  }

  private static <T> T found(QueryResult<T> result) {
    assertThat(result).isInstanceOf(QueryResult.Found.class);
    return ((QueryResult.Found<T>) result).value();
  }

  private static String json(List<LeadState> leads) {
    return new String(ApiJson.leads(leads), StandardCharsets.UTF_8);
  }

  private static String peer(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", AUTH).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String base() {
    return "http://127.0.0.1:" + peer.port();
  }

  private static Connection connect() {
    try {
      return DriverManager.getConnection(URL, USER, "");
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage()
          + "). This test needs it: start it with\n"
          + "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
