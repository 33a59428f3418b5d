package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.http.PasswordHash;
import io.lms.topology.LmsTopics;
import io.lms.topology.TopicSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation through the real write path: two instances on the real broker, each with its own
 * {@code CommandGateway}, and three orgs that run the same random script at the same moment (a
 * barrier before every step). So every step collides across orgs on purpose: the same
 * Idempotency-Key, the same lead ids, the same customer identifiers, the same reason texts, sent at
 * once, half through one instance and half through the other (reads forwarded between them).
 *
 * <p>Every org writes values tagged with its own name. The property: no answer, result, event or
 * record on any topic carries another org's tag, and each org's answers and final state equal an
 * independent per-org model of the few rules the script exercises. Orgs skip some creates, so the
 * same lead id means different leads in different orgs.
 *
 * <p>{@code -Dlms.isolation.seed=N} replays one script; {@code -Dlms.isolation.steps=N} makes it longer.
 */
class TenantIsolationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> ORGS = List.of("alpha", "beta", "gamma");
  private static final List<String> IDENTIFIERS = List.of("tom@example.com", "huck@example.com", "becky@example.com");
  private static final List<String> REASONS = List.of("Item not available", "Best price elsewhere");

  @TempDir static Path dir;
  static List<LmsApplication> instances = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path credentials = dir.resolve("credentials.properties");
    var lines = new ArrayList<String>();
    for (int i = 0; i < ORGS.size(); i++) {
      lines.add(ORGS.get(i) + "-till = " + ORGS.get(i) + ":" + (100 + i) + ":" + PasswordHash.hash(password(ORGS.get(i))));
    }
    Files.writeString(credentials, String.join("\n", lines), StandardCharsets.UTF_8);
    Map<String, String> shared = new HashMap<>(SharedKafka.isolatedEnvironment("isolation", dir.resolve("unused")));
    shared.put("LMS_CREDENTIALS_FILE", credentials.toString());
    shared.put("LMS_PARTITIONS", "4");
    for (int i = 0; i < 2; i++) {
      Map<String, String> env = new HashMap<>(shared);
      env.put("LMS_STATE_DIR", dir.resolve("state-" + i).toString());
      LmsApplication app = new LmsApplication(LmsConfig.parse(Map.of(), env));
      instances.add(app);
      app.start();
    }
    for (LmsApplication app : instances) {
      assertThat(app.awaitRunning(Duration.ofSeconds(90))).isTrue();
      assertThat(app.awaitWritable(Duration.ofSeconds(30))).isTrue();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream().allMatch(TenantIsolationIT::ready));
  }

  @AfterAll
  static void stop() {
    for (int i = instances.size() - 1; i >= 0; i--) {
      instances.get(i).close();
    }
  }

  private static char[] password(String org) {
    return (org + "-password").toCharArray();
  }

  private static String tag(String org) {
    return "<" + org + "-only>";
  }

  // ---- the script

  sealed interface Step permits Create, Update, ChangeStatus, Get, Search, Reasons, Repeat {}

  /** A create in the orgs of {@code orgMask} only (bit i: ORGS.get(i)), so that lead ids diverge. */
  record Create(String key, int identifier, int n, int orgMask) implements Step {}

  record Update(String key, long leadId, int n) implements Step {}

  record ChangeStatus(String key, long leadId, String status, long reasonId) implements Step {}

  record Get(long leadId) implements Step {}

  record Search(String status) implements Step {}

  record Reasons() implements Step {}

  /** The exact request of an earlier step with an Idempotency-Key, sent again. */
  record Repeat(int step) implements Step {}

  static List<Step> script(long seed, int length) {
    var random = new Random(seed);
    var steps = new ArrayList<Step>();
    var keyed = new ArrayList<Integer>();
    int keys = 0;
    int creates = 0;
    for (int i = 0; i < length; i++) {
      int dice = random.nextInt(100);
      // Keys of the README's form, the same in every org; some writes go without one.
      String key = random.nextInt(5) == 0 ? null : String.format("till-7:%04d", ++keys);
      long leadId = 1 + random.nextInt(creates + 2);
      Step step;
      if (dice < 30 || creates == 0) {
        int mask = random.nextInt(4) == 0 ? 1 + random.nextInt((1 << ORGS.size()) - 1) : (1 << ORGS.size()) - 1;
        step = new Create(key, random.nextInt(IDENTIFIERS.size()), i, mask);
        creates++;
      } else if (dice < 45) {
        step = new Update(key, leadId, i);
      } else if (dice < 60) {
        step = new ChangeStatus(key, leadId, random.nextBoolean() ? "ON_HOLD" : "OPEN", 1 + random.nextInt(3));
      } else if (dice < 75 && !keyed.isEmpty()) {
        step = new Repeat(keyed.get(random.nextInt(keyed.size())));
      } else if (dice < 88) {
        step = new Get(leadId);
      } else if (dice < 96) {
        step = new Search(random.nextBoolean() ? "ON_HOLD" : "OPEN");
      } else {
        step = new Reasons();
      }
      if (keyOf(step) != null) {
        keyed.add(i);
      }
      steps.add(step);
    }
    return steps;
  }

  // ---- the model of one org

  record Lead(long id, String leadFor, long userId, String status, String note) {}

  record Answer(int status, JsonNode json, String text) {
    int code() {
      return json.path("errors").path(0).path("code").asInt();
    }
  }

  /** What one org must see: its own leads, customers, reasons and first outcomes, and nothing else. */
  static final class OrgModel {
    final String org;
    final Map<Long, Lead> leads = new TreeMap<>();
    final Map<String, Long> userIds = new HashMap<>();
    final Map<String, Answer> firstAnswers = new HashMap<>();

    OrgModel(String org) {
      this.org = org;
    }

    int index() {
      return ORGS.indexOf(org);
    }
  }

  // ---- the property

  @Test
  void noOrgEverSeesAnotherOrgsDataThroughTheRealWritePath() throws Exception {
    long seed = Long.getLong("lms.isolation.seed", System.nanoTime());
    int length = Integer.getInteger("lms.isolation.steps", 120);
    List<Step> script = script(seed, length);
    String replay = "replay with -Dlms.isolation.seed=" + seed + " -Dlms.isolation.steps=" + length;

    var barrier = new CyclicBarrier(ORGS.size());
    ExecutorService pool = Executors.newFixedThreadPool(ORGS.size());
    var models = new LinkedHashMap<String, OrgModel>();
    var runs = new ArrayList<Future<?>>();
    for (String org : ORGS) {
      OrgModel model = new OrgModel(org);
      models.put(org, model);
      runs.add(pool.submit(() -> {
        configureReasons(model);
        for (int i = 0; i < script.size(); i++) {
          barrier.await(60, TimeUnit.SECONDS);
          run(model, script, i, replay);
        }
        return null;
      }));
    }
    try {
      for (Future<?> run : runs) {
        run.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    for (OrgModel model : models.values()) {
      assertFinalStateOverHttp(model, replay);
    }
    assertTopicsKeepOrgsApart(models, replay);
  }

  private void configureReasons(OrgModel model) throws Exception {
    var body = new StringBuilder("[");
    for (String reason : REASONS) {
      body.append(body.length() > 1 ? "," : "").append("{\"reason\":\"").append(reason).append("\"}");
    }
    Answer answer = write(model, 0, "POST", "/v2/leads/reasons", body.append("]").toString(), "reasons:1");
    assertThat(answer.status()).as("%s: %s", model.org, answer.text()).isEqualTo(200);
  }

  private void run(OrgModel model, List<Step> script, int i, String replay) throws Exception {
    Step step = script.get(i);
    String at = model.org + ", step " + i + " " + step + "; " + replay;
    int via = i % instances.size();
    if (step instanceof Create c && (c.orgMask() & (1 << model.index())) == 0) {
      return; // this org skips that create
    }
    if (step instanceof Repeat r) {
      Step first = script.get(r.step());
      if (first instanceof Create c && (c.orgMask() & (1 << model.index())) == 0) {
        return;
      }
      Answer again = send(model, via, first);
      Answer original = model.firstAnswers.get(keyOf(first));
      assertThat(again.status()).as("repeat of %s", at).isEqualTo(original.status());
      assertThat(again.json().path("id")).as("repeat of %s", at).isEqualTo(original.json().path("id"));
      assertThat(again.json().path("leadFor")).as("repeat of %s", at).isEqualTo(original.json().path("leadFor"));
      assertThat(again.json().path("extendedFields")).as("repeat of %s", at)
          .isEqualTo(original.json().path("extendedFields"));
      return;
    }
    Answer answer = send(model, via, step);
    String key = keyOf(step);
    if (key != null) {
      model.firstAnswers.put(key, answer);
    }
    if (step instanceof Create c) {
      long id = model.leads.size() + 1L;
      long userId = model.userIds.computeIfAbsent(IDENTIFIERS.get(c.identifier()), x -> model.userIds.size() + 1L);
      Lead lead = new Lead(id, tag(model.org) + "item-" + c.n(), userId, "OPEN", null);
      model.leads.put(id, lead);
      assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
      assertLead(answer.json(), lead, at);
    } else if (step instanceof Update u) {
      Lead current = model.leads.get(u.leadId());
      if (current == null) {
        assertRejected(answer, 404, 92001, at);
      } else {
        Lead updated = new Lead(current.id(), current.leadFor(), current.userId(), current.status(),
            tag(model.org) + u.n());
        model.leads.put(current.id(), updated);
        assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
        assertLead(answer.json(), updated, at);
      }
    } else if (step instanceof ChangeStatus s) {
      Lead current = model.leads.get(s.leadId());
      if (current == null) {
        assertRejected(answer, 404, 92001, at);
      } else if (current.status().equals(s.status())) {
        assertRejected(answer, 400, 92002, at);
      } else if (s.reasonId() > REASONS.size()) {
        assertRejected(answer, 400, 92004, at);
      } else {
        Lead changed = new Lead(current.id(), current.leadFor(), current.userId(), s.status(), current.note());
        model.leads.put(current.id(), changed);
        assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
        assertLead(answer.json(), changed, at);
      }
    } else if (step instanceof Get g) {
      Lead lead = model.leads.get(g.leadId());
      if (lead == null) {
        assertRejected(answer, 404, 92001, at);
      } else {
        assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
        assertLead(answer.json(), lead, at);
      }
    } else if (step instanceof Search s) {
      assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
      var found = new TreeSet<Long>();
      answer.json().path("data").forEach(lead -> found.add(lead.path("id").asLong()));
      var expected = new TreeSet<Long>();
      model.leads.values().stream().filter(l -> l.status().equals(s.status())).forEach(l -> expected.add(l.id()));
      assertThat(found).as(at).isEqualTo(expected);
      for (JsonNode lead : answer.json().path("data")) {
        assertLead(lead, model.leads.get(lead.path("id").asLong()), at);
      }
    } else {
      assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
      var texts = new ArrayList<String>();
      answer.json().path("data").forEach(reason -> texts.add(reason.path("reason").asText()));
      assertThat(texts).as(at).isEqualTo(REASONS);
    }
  }

  private static String keyOf(Step step) {
    if (step instanceof Create c) {
      return c.key();
    } else if (step instanceof Update u) {
      return u.key();
    } else if (step instanceof ChangeStatus s) {
      return s.key();
    }
    return null;
  }

  private Answer send(OrgModel model, int via, Step step) throws Exception {
    String tag = tag(model.org);
    if (step instanceof Create c) {
      return write(model, via, "POST", "/v2/leads", "{\"type\":\"SKU\",\"leadFor\":\"" + tag + "item-" + c.n()
          + "\",\"idType\":\"EMAIL\",\"identifier\":\"" + IDENTIFIERS.get(c.identifier()) + "\"}", c.key());
    } else if (step instanceof Update u) {
      return write(model, via, "PUT", "/v2/leads/" + u.leadId(),
          "{\"extendedFields\":{\"note\":\"" + tag + u.n() + "\"}}", u.key());
    } else if (step instanceof ChangeStatus s) {
      return write(model, via, "PUT", "/v2/leads/" + s.leadId() + "/status",
          "{\"status\":\"" + s.status() + "\",\"reasonId\":" + s.reasonId() + "}", s.key());
    } else if (step instanceof Get g) {
      return read(model, via, "/v2/leads/" + g.leadId());
    } else if (step instanceof Search s) {
      return read(model, via, "/v2/leads?status=" + s.status() + "&limit=100");
    } else if (step instanceof Reasons) {
      return read(model, via, "/v2/leads/reasons");
    }
    throw new AssertionError("a repeat sends its first step");
  }

  // ---- HTTP, with what a well-behaved client does on a 503: read again, write again with the key

  private Answer write(OrgModel model, int via, String method, String path, String body, String key) throws Exception {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response = call(model, via, method, path, body, key);
      if (response.statusCode() != 503 || attempt == 20) {
        return answer(model, response);
      }
      // The outcome is unknown: the server named the commandId to retry with.
      key = response.headers().firstValue("Idempotency-Key").orElse(key);
      Thread.sleep(500);
    }
  }

  private Answer read(OrgModel model, int via, String path) throws Exception {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response = call(model, via, "GET", path, null, null);
      if (response.statusCode() != 503 || attempt == 20) {
        return answer(model, response);
      }
      Thread.sleep(500);
    }
  }

  private HttpResponse<String> call(OrgModel model, int via, String method, String path, String body, String key)
      throws Exception {
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (model.org + "-till:" + new String(password(model.org))).getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + instances.get(via).httpAddress().port() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", auth)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every answer, whatever it says, is checked for other orgs' data. */
  private static Answer answer(OrgModel model, HttpResponse<String> response) throws Exception {
    String text = response.body();
    assertNoOtherOrg(model.org, text, "answer to " + model.org + " " + response.request().method() + " "
        + response.request().uri());
    return new Answer(response.statusCode(), text.startsWith("{") ? JSON.readTree(text) : JSON.createObjectNode(), text);
  }

  private static void assertNoOtherOrg(String org, String text, String what) {
    for (String other : ORGS) {
      if (!other.equals(org)) {
        assertThat(text).as("%s carries %s's data", what, other).doesNotContain(tag(other));
      }
    }
  }

  private static void assertLead(JsonNode json, Lead lead, String at) {
    assertThat(lead).as("a lead the model does not know: %s at %s", json, at).isNotNull();
    assertThat(json.path("id").asLong()).as(at).isEqualTo(lead.id());
    assertThat(json.path("leadFor").asText()).as(at).isEqualTo(lead.leadFor());
    assertThat(json.path("userId").asLong()).as(at).isEqualTo(lead.userId());
    assertThat(json.path("status").asText()).as(at).isEqualTo(lead.status());
    if (lead.note() != null) {
      assertThat(json.path("extendedFields").path("note").asText()).as(at).isEqualTo(lead.note());
    }
  }

  private static void assertRejected(Answer answer, int status, int code, String at) {
    assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(status);
    assertThat(answer.code()).as("%s: %s", at, answer.text()).isEqualTo(code);
  }

  private void assertFinalStateOverHttp(OrgModel model, String replay) throws Exception {
    for (long id = 1; id <= model.leads.size() + 2L; id++) {
      for (int via = 0; via < instances.size(); via++) {
        Answer answer = read(model, via, "/v2/leads/" + id);
        String at = model.org + " lead " + id + " at the end via instance " + via + "; " + replay;
        Lead lead = model.leads.get(id);
        if (lead == null) {
          assertRejected(answer, 404, 92001, at);
        } else {
          assertThat(answer.status()).as("%s: %s", at, answer.text()).isEqualTo(200);
          assertLead(answer.json(), lead, at);
        }
      }
    }
  }

  // ---- the topics

  private void assertTopicsKeepOrgsApart(Map<String, OrgModel> models, String replay) {
    LmsTopics topics = instances.get(0).config().topics();
    var latestLeads = new HashMap<String, String>();
    int results = 0;
    for (TopicSpec<String, ?> topic : List.of(topics.events(), topics.leads(), topics.results(), topics.reasons())) {
      for (ConsumerRecord<String, ?> record : readAll(topic)) {
        String org = record.key().contains(":") ? record.key().substring(0, record.key().indexOf(':')) : record.key();
        assertThat(models).as("%s key %s; %s", topic.name(), record.key(), replay).containsKey(org);
        String value = String.valueOf(record.value());
        assertThat(value).as("%s record of %s", topic.name(), org).contains("\"orgId\": \"" + org + "\"");
        assertNoOtherOrg(org, value, topic.name() + " record keyed " + record.key());
        if (topic == topics.leads()) {
          latestLeads.put(record.key(), value);
        }
        if (topic == topics.results()) {
          results++;
        }
      }
    }
    assertThat(results).as("results on %s", topics.results().name()).isPositive();
    // lms.leads holds exactly the leads of the model, each org's under its own key.
    var expectedKeys = new TreeSet<String>();
    models.values().forEach(m -> m.leads.keySet().forEach(id -> expectedKeys.add(m.org + ":" + id)));
    assertThat(new TreeSet<>(latestLeads.keySet())).as(replay).isEqualTo(expectedKeys);
    models.values().forEach(m -> m.leads.values().forEach(lead -> assertThat(latestLeads.get(m.org + ":" + lead.id()))
        .as("%s:%d on lms.leads; %s", m.org, lead.id(), replay)
        .contains("\"leadFor\": \"" + lead.leadFor() + "\"", "\"status\": \"" + lead.status() + "\"")));
  }

  private static <V> List<ConsumerRecord<String, V>> readAll(TopicSpec<String, V> topic) {
    var records = new ArrayList<ConsumerRecord<String, V>>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, instances.get(0).bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), topic.keySerde().deserializer(),
        topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        assertThat(System.nanoTime()).as("reading %s to its end", topic.name()).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static boolean ready(LmsApplication app) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpAddress().port() + "/health/ready"))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }
}
