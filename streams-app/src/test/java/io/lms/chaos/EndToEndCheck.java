package io.lms.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.chaos.CommandLedger.Channel;
import io.lms.chaos.CommandLedger.Sent;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks of a chaos run once it is quiet, against two models fed the commands the command
 * topic holds: the topics, record for record, against a {@link ReferenceModel} (the service's own
 * rules over plain maps: it judges exactly-once, not the rules), and what clients were told and
 * read back over HTTP (answers, leads, reasons, sub-statuses, searches, the due list) against a
 * {@link LeadsOracle} (the API's rules written a second time, sharing no code with the service). And
 * the {@link CommandLedger} of what the load generator was told. Collects every violation instead of
 * stopping at the first, and the figures of the run.
 */
final class EndToEndCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);
  private static final SingleObjectCodec<CommandResult> RESULTS = SingleObjectCodec.of(CommandResult.class);
  private static final SingleObjectCodec<LeadEvent> EVENTS = SingleObjectCodec.of(LeadEvent.class);
  private static final SingleObjectCodec<LeadState> LEADS = SingleObjectCodec.of(LeadState.class);
  private static final SingleObjectCodec<Reason> REASONS = SingleObjectCodec.of(Reason.class);
  private static final SingleObjectCodec<SubStatus> SUB_STATUSES = SingleObjectCodec.of(SubStatus.class);
  private static final int MAX_LISTED = 10;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** What the checks found: the violations (none on a good run) and the figures. */
  record Verdict(List<String> violations, Map<String, Object> figures) {}

  private final ChaosCluster cluster;
  private final Map<String, ChaosOrg> orgs;
  private final CommandLedger ledger;
  private final LmsTopics topics;
  private final List<String> violations = new ArrayList<>();
  /** Where each command sits on the command topic, to point at what went missing. */
  private final Map<String, String> commandPositions = new HashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

  EndToEndCheck(ChaosCluster cluster, List<ChaosOrg> orgs, CommandLedger ledger) {
    this.cluster = cluster;
    this.orgs = orgs.stream().collect(Collectors.toMap(ChaosOrg::id, Function.identity()));
    this.ledger = ledger;
    this.topics = cluster.topics();
  }

  /**
   * Waits until every command on the command topic has its committed result and the command topic
   * stopped growing (a gateway may still deliver a command it buffered while the broker was down).
   */
  void awaitQuiet(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int lastCommands = -1;
    while (System.nanoTime() < deadline) {
      TopicSnapshot commands = TopicSnapshot.read(cluster.bootstrapServers(), topics.commands().name(), false);
      int decodable = (int) commands.all().stream().filter(r -> decodes(r.value())).count();
      int results = TopicSnapshot.read(cluster.bootstrapServers(), topics.results().name(), true).size();
      if (results >= decodable && decodable == lastCommands) {
        return;
      }
      lastCommands = results >= decodable ? decodable : -1;
      Thread.sleep(2_000);
    }
    violations.add("the output did not catch up with the command topic within " + timeout.toSeconds() + " s");
  }

  Verdict run() throws InterruptedException {
    ReferenceModel model = new ReferenceModel();
    LeadsOracle oracle = new LeadsOracle();
    List<String> poisonOnTopic = new ArrayList<>();
    TopicSnapshot commands = TopicSnapshot.read(cluster.bootstrapServers(), topics.commands().name(), false);
    for (ConsumerRecord<String, byte[]> record : commands.all()) {
      LeadCommand command;
      try {
        command = COMMANDS.decode(record.value());
      } catch (RuntimeException e) {
        poisonOnTopic.add(Base64.getEncoder().encodeToString(record.value()));
        continue;
      }
      commandPositions.putIfAbsent(command.getCommandId(), record.topic() + "-" + record.partition() + "@" + record.offset());
      model.apply(record.key(), command);
      try {
        oracle.apply(command);
      } catch (LeadsOracle.OutsideModelException e) {
        violations.add("the oracle cannot judge " + command.getCommandId() + ": " + e.getMessage());
      }
    }
    figures.put("command records on the topic", commands.size());
    figures.put("poison records on the topic", poisonOnTopic.size());

    checkResults(model);
    checkEvents(model);
    checkDeadLetters(poisonOnTopic);
    checkLedger(model, oracle);
    checkStateTopics(model);
    checkReadsOverHttp(oracle);
    checkNoOpenTransaction();
    return new Verdict(List.copyOf(violations), figures);
  }

  private static boolean decodes(byte[] value) {
    try {
      COMMANDS.decode(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---- results and events: per org, exactly the model's sequence

  private void checkResults(ReferenceModel model) {
    Map<String, List<CommandResult>> actual = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : read(topics.results().name())) {
      CommandResult result = RESULTS.decode(record.value());
      result.setProcessedAt(ReferenceModel.PROCESSED_AT);
      // The run never reuses a commandId for another request; the fingerprint itself is the
      // topology tests' (HttpApiTest, CommandFuzzTest).
      result.setRequestFingerprint(null);
      actual.computeIfAbsent(record.key(), o -> new ArrayList<>()).add(result);
    }
    int expected = model.resultsByOrg().values().stream().mapToInt(List::size).sum();
    figures.put("results expected", expected);
    figures.put("results found", actual.values().stream().mapToInt(List::size).sum());
    compareSequences("result", model.resultsByOrg(), actual, CommandResult::getCommandId);
  }

  private void checkEvents(ReferenceModel model) {
    Map<String, List<LeadEvent>> actual = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : read(topics.events().name())) {
      actual.computeIfAbsent(record.key(), o -> new ArrayList<>()).add(EVENTS.decode(record.value()));
    }
    figures.put("events expected", model.eventsByOrg().values().stream().mapToInt(List::size).sum());
    figures.put("events found", actual.values().stream().mapToInt(List::size).sum());
    compareSequences("event", model.eventsByOrg(), actual, LeadEvent::getEventId);
  }

  /**
   * Per org, the actual records must be the expected ones, in the same order. When they are not,
   * says how: lost, duplicated, unexpected, changed or reordered (counted by id).
   */
  private <T> void compareSequences(String what, Map<String, List<T>> expected, Map<String, List<T>> actual,
      Function<T, String> id) {
    int lost = 0;
    int duplicated = 0;
    int unexpected = 0;
    Set<String> allOrgs = new HashSet<>(expected.keySet());
    allOrgs.addAll(actual.keySet());
    for (String org : allOrgs) {
      List<T> want = expected.getOrDefault(org, List.of());
      List<T> got = actual.getOrDefault(org, List.of());
      if (want.equals(got)) {
        continue;
      }
      Map<String, Long> wantCounts = want.stream().collect(Collectors.groupingBy(id, Collectors.counting()));
      Map<String, Long> gotCounts = got.stream().collect(Collectors.groupingBy(id, Collectors.counting()));
      List<String> details = new ArrayList<>();
      for (var e : wantCounts.entrySet()) {
        long have = gotCounts.getOrDefault(e.getKey(), 0L);
        if (have < e.getValue()) {
          lost += (int) (e.getValue() - have);
          details.add("lost " + e.getKey() + " (" + commandPositions.get(e.getKey().split("/")[0]) + ")");
        } else if (have > e.getValue()) {
          duplicated += (int) (have - e.getValue());
          details.add("duplicated " + e.getKey() + " x" + have);
        }
      }
      for (var e : gotCounts.entrySet()) {
        if (!wantCounts.containsKey(e.getKey())) {
          unexpected += e.getValue().intValue();
          details.add("unexpected " + e.getKey());
        }
      }
      if (details.isEmpty()) {
        for (int i = 0; i < want.size(); i++) {
          if (!Objects.equals(want.get(i), got.get(i))) {
            details.add("at " + i + " expected " + want.get(i) + " but found " + got.get(i));
            break;
          }
        }
      }
      violations.add(org + ": the " + what + "s differ from the model: "
          + details.subList(0, Math.min(MAX_LISTED, details.size())) + (details.size() > MAX_LISTED ? " ..." : ""));
    }
    figures.put(what + "s lost", lost);
    figures.put(what + "s duplicated", duplicated);
    figures.put(what + "s unexpected", unexpected);
  }

  // ---- dead letters: exactly the poison the command topic holds

  private void checkDeadLetters(List<String> poisonOnTopic) {
    List<String> dead = read(topics.deadLetter()).stream()
        .map(r -> Base64.getEncoder().encodeToString(r.value())).toList();
    figures.put("dead letters", dead.size());
    Map<String, Long> want = poisonOnTopic.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    Map<String, Long> got = dead.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    if (!want.equals(got)) {
      violations.add("the dead-letter topic holds " + dead.size() + " records (" + (new HashSet<>(dead).size())
          + " distinct), the command topic " + poisonOnTopic.size() + " poison records");
    }
    Set<String> onTopic = new HashSet<>(poisonOnTopic);
    long sent = ledger.poison().stream().filter(CommandLedger.Poison::acknowledged).count();
    long lost = ledger.poison().stream()
        .filter(p -> p.acknowledged() && !onTopic.contains(Base64.getEncoder().encodeToString(p.value()))).count();
    figures.put("poison records sent and acknowledged", sent);
    if (lost > 0) {
      violations.add(lost + " acknowledged poison records are not on the command topic");
    }
  }

  // ---- what the clients were told

  private void checkLedger(ReferenceModel model, LeadsOracle oracle) {
    Map<String, Integer> tally = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    Collection<Sent> sent = ledger.commands();
    for (Sent s : sent) {
      var result = model.firstResult(s.org, s.commandId);
      String applied = result.isPresent() ? "applied" : "absent";
      if (s.channel == Channel.HTTP) {
        if (s.answer == null) {
          count(tally, "HTTP unanswered, " + applied);
          continue;
        }
        count(tally, s.answer.accepted() ? "HTTP answered accepted" : "HTTP answered rejected");
        if (result.isEmpty()) {
          wrong.add(s.commandId + " was answered " + s.answer.status() + " but is not on the command topic");
          continue;
        }
        var outcome = oracle.firstOutcome(s.org, s.commandId);
        String mismatch = outcome.isPresent() ? mismatch(s, outcome.get()) : "the oracle never saw it";
        if (mismatch != null) {
          wrong.add(s.commandId + ": " + mismatch);
        }
      } else {
        count(tally, "direct " + (s.acknowledged ? "acknowledged" : "not acknowledged") + ", " + applied);
        if (s.acknowledged && result.isEmpty()) {
          wrong.add(s.commandId + " was acknowledged by the broker but is not on the command topic");
        }
      }
    }
    figures.put("commands sent", sent.size());
    figures.put("commands sent by kind", sent.stream()
        .collect(Collectors.groupingBy(s -> s.channel + " " + s.kind, TreeMap::new, Collectors.counting())));
    figures.put("outcomes", tally);
    figures.put("HTTP retries with the same key", ledger.httpRetries.get());
    figures.put("direct resends with the same commandId", ledger.directResends.get());
    figures.put("acknowledged commands lost or answered wrongly", wrong.size());
    if (!wrong.isEmpty()) {
      violations.add(wrong.size() + " commands were answered otherwise than the oracle decided: "
          + wrong.subList(0, Math.min(MAX_LISTED, wrong.size())));
    }
  }

  private static void count(Map<String, Integer> tally, String key) {
    tally.merge(key, 1, Integer::sum);
  }

  /** Null when the answer is the oracle's outcome: the same body, or the same status and codes. */
  private static String mismatch(Sent sent, LeadsOracle.Outcome outcome) {
    if (outcome instanceof LeadsOracle.Rejected rejected) {
      return sent.answer.status() == rejected.httpStatus() && sent.answer.codes().equals(rejected.codes())
          ? null : "answered " + sent.answer.status() + " " + sent.answer.codes() + ", the oracle rejects with "
              + rejected.httpStatus() + " " + rejected.codes();
    }
    JsonNode body = ((LeadsOracle.Accepted) outcome).body();
    return sent.answer.accepted() && sent.answer.body().equals(body)
        ? null : "answered " + sent.answer.status() + " " + sent.answer.body() + ", the oracle's answer is " + body;
  }

  // ---- the state topics (lms.leads, lms.reasons, lms.substatuses): each key's last value

  private void checkStateTopics(ReferenceModel model) {
    compareLastValues(topics.leads().name(), LEADS, model.leads(), l -> l.getOrgId() + "/" + l.getId());
    compareLastValues(topics.reasons().name(), REASONS, model.reasons(), r -> r.getOrgId() + "/" + r.getId());
    compareLastValues(topics.subStatuses().name(), SUB_STATUSES, model.subStatuses(),
        s -> s.getOrgId() + "/" + s.getStatus() + "/" + s.getSubStatus());
  }

  /**
   * The last value of each key of a compacted topic, read committed, must be the model's record of
   * the same entity, and the topic must hold no entity the model does not.
   */
  private <T extends SpecificRecord> void compareLastValues(String topic, SingleObjectCodec<T> codec, List<T> expected,
      Function<T, String> id) {
    Map<String, T> last = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : read(topic)) {
      if (record.value() == null) {
        last.remove(record.key());
      } else {
        last.put(record.key(), codec.decode(record.value()));
      }
    }
    Map<String, T> actual = last.values().stream().collect(Collectors.toMap(id, v -> v, (a, b) -> a, TreeMap::new));
    Map<String, T> want = expected.stream().collect(Collectors.toMap(id, v -> v, (a, b) -> a, TreeMap::new));
    List<String> details = new ArrayList<>();
    want.forEach((key, value) -> {
      T have = actual.get(key);
      if (have == null) {
        details.add("missing " + key);
      } else if (!have.equals(value)) {
        details.add(key + " is " + have + " but the model has " + value);
      }
    });
    actual.keySet().stream().filter(key -> !want.containsKey(key)).forEach(key -> details.add("unexpected " + key));
    figures.put(topic + " entities (expected / found)", want.size() + " / " + actual.size());
    if (!details.isEmpty()) {
      violations.add(topic + " differs from the model in " + details.size() + " entities: "
          + details.subList(0, Math.min(MAX_LISTED, details.size())));
    }
  }

  // ---- the query side: every lead, and every org's lists, as the oracle has them

  private void checkReadsOverHttp(LeadsOracle oracle) throws InterruptedException {
    Instant now = Instant.now();
    String dueTo = TIME.format(now.plus(Duration.ofDays(60)).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    List<String> wrong = new ArrayList<>();
    int leads = 0;
    int lists = 0;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> checks = new ArrayList<>();
      for (ChaosOrg org : orgs.values()) {
        for (long id : oracle.leadIds(org.id())) {
          JsonNode expected = oracle.lead(org.id(), id).orElseThrow();
          checks.add(pool.submit(() -> compare(org, "/v2/leads/" + id, expected)));
          leads++;
        }
        Map<String, JsonNode> pages = new LinkedHashMap<>();
        pages.put("/v2/leads/reasons", oracle.reasons(org.id()));
        pages.put("/v2/leads/substatuses", oracle.subStatuses(org.id()));
        pages.put("/v2/leads?limit=20", oracle.search(org.id(), null, null, null, 0, 20));
        pages.put("/v2/leads?status=OPEN&sortBy=lastUpdatedOn&sortOrder=DESC&limit=20",
            oracle.search(org.id(), "OPEN", "lastUpdatedOn", "DESC", 0, 20));
        pages.put("/v2/leads?status=ON_HOLD&sortBy=createdOn&sortOrder=ASC&offset=10&limit=15",
            oracle.search(org.id(), "ON_HOLD", "createdOn", "ASC", 10, 15));
        pages.put("/v2/leads?status=DELETED&limit=20", oracle.search(org.id(), "DELETED", null, null, 0, 20));
        pages.put("/v2/leads?sortBy=lastUpdatedOn&sortOrder=ASC&offset=100&limit=20",
            oracle.search(org.id(), null, "lastUpdatedOn", "ASC", 100, 20));
        pages.put("/v2/leads/followups/due?from=1970-01-01T00:00:00Z&to=" + dueTo + "&limit=50",
            oracle.due(org.id(), Instant.EPOCH, Instant.parse(dueTo), null, 0, 50));
        pages.put("/v2/leads/followups/due?from=1970-01-01T00:00:00Z&to=" + dueTo + "&offset=20&limit=20",
            oracle.due(org.id(), Instant.EPOCH, Instant.parse(dueTo), null, 20, 20));
        pages.forEach((path, expected) -> checks.add(pool.submit(() -> compare(org, path, expected))));
        lists += pages.size();
      }
      for (Future<String> check : checks) {
        String problem = check.get();
        if (problem != null) {
          wrong.add(problem);
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    figures.put("leads read back over HTTP", leads);
    figures.put("lists read back over HTTP (reasons, sub-statuses, searches, due)", lists);
    figures.put("reads differing from the oracle", wrong.size());
    if (!wrong.isEmpty()) {
      violations.add(wrong.size() + " reads differ from the oracle: " + wrong.subList(0, Math.min(MAX_LISTED, wrong.size())));
    }
  }

  /** Null when the API answers {@code path} with {@code expected}; 503 is retried for a minute. */
  private String compare(ChaosOrg org, String path, JsonNode expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<LmsProcess> serving = cluster.serving();
      if (serving.isEmpty()) {
        if (System.nanoTime() > deadline) {
          return org.id() + " " + path + ": no instance ready";
        }
        Thread.sleep(200);
        continue;
      }
      LmsProcess instance = serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(instance.uri(path))
            .timeout(Duration.ofSeconds(15)).header("Authorization", org.authorization()).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          JsonNode actual = JSON.readTree(response.body());
          return actual.equals(expected) ? null
              : org.id() + " " + path + " from " + instance + ": " + actual + " but the model has " + expected;
        }
        if (response.statusCode() != 503 || System.nanoTime() > deadline) {
          return org.id() + " " + path + " from " + instance + ": " + response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          return org.id() + " " + path + " from " + instance + ": " + e;
        }
      }
      Thread.sleep(200);
    }
  }

  // ---- no transaction left open

  private void checkNoOpenTransaction() throws InterruptedException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      List<TransactionState> open = List.of(
          TransactionState.ONGOING, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT);
      Collection<TransactionListing> ongoing = admin.listTransactions(new ListTransactionsOptions().filterStates(open))
          .all().get(30, TimeUnit.SECONDS);
      figures.put("transactions open at the end", ongoing.size());
      if (!ongoing.isEmpty()) {
        violations.add("transactions still open: " + ongoing);
      }
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var description : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        if (description.name().startsWith("__")) {
          continue;
        }
        description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
            OffsetSpec.latest()));
      }
      var committed = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all().get(30, TimeUnit.SECONDS);
      var written = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
          .all().get(30, TimeUnit.SECONDS);
      List<String> unstable = latest.keySet().stream()
          .filter(p -> committed.get(p).offset() != written.get(p).offset())
          .map(p -> p + " LSO " + committed.get(p).offset() + " < end " + written.get(p).offset())
          .toList();
      figures.put("partitions whose last stable offset is behind their end", unstable.size());
      if (!unstable.isEmpty()) {
        violations.add("partitions with an unstable tail: " + unstable);
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      violations.add("could not list transactions or offsets: " + e);
    }
  }

  private List<ConsumerRecord<String, byte[]>> read(String topic) {
    return TopicSnapshot.read(cluster.bootstrapServers(), topic, true).all();
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
