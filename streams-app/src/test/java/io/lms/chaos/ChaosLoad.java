package io.lms.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lms.chaos.CommandLedger.Answer;
import io.lms.chaos.CommandLedger.Channel;
import io.lms.chaos.CommandLedger.Kind;
import io.lms.chaos.CommandLedger.Sent;
import io.lms.schema.ChangeStatus;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.UpdateLead;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.Commands;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load of a chaos run: HTTP writes of every kind, through whichever instance is serving, and
 * encoded commands (with about one poison record in a hundred) produced straight onto the command
 * topic, each with a unique commandId, all recorded in a {@link CommandLedger}. A reader meanwhile
 * looks up leads whose creation was acknowledged and counts any 404: the API promises 503, never
 * a wrong 404, while tasks move.
 */
final class ChaosLoad implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);
  private static final String[] STATUSES = {"OPEN", "ON_HOLD", "LOST", "ON_HOLD", "OPEN", "LOST", "WON", "DELETED"};
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
  private static final int MAX_HTTP_ATTEMPTS = 3;

  /** How much load: HTTP writer threads, and direct commands per second. */
  record Rates(int httpWriters, int directPerSecond, double poisonShare) {}

  /** What the generator knows of one org: enough to aim updates at leads that mostly exist. */
  private static final class OrgCursor {
    final ChaosOrg org;
    final AtomicLong creates = new AtomicLong();
    final AtomicInteger reasons = new AtomicInteger();
    final AtomicLong httpIds = new AtomicLong();
    final AtomicLong directIds = new AtomicLong();
    final Map<String, List<String>> subStatuses = new ConcurrentHashMap<>();

    OrgCursor(ChaosOrg org) {
      this.org = org;
    }

    long someLead(Random random) {
      long created = creates.get();
      return created == 0 ? 1 : 1 + random.nextLong(created);
    }

    long someReason(Random random) {
      return 1 + random.nextInt(Math.max(1, reasons.get()));
    }
  }

  /** An HTTP write, kept to be sent again with the same Idempotency-Key. */
  private record HttpWrite(Sent sent, String method, String path, String body, long notBeforeNanos) {}

  private record KnownLead(ChaosOrg org, long id) {}

  /**
   * How far a lead's history had grown in an answer: follow-ups and status log entries are only
   * ever appended, so an answer with fewer than an earlier answer showed is stale. (Its times are
   * the commands' own, which may come out of order; an update of fields leaves no count.)
   */
  private record History(int followUps, int statusLog) {
    static History of(JsonNode lead) {
      return new History(lead.path("followUpDetails").size(), lead.path("statusLogDetails").size());
    }

    History max(History other) {
      return new History(Math.max(followUps, other.followUps), Math.max(statusLog, other.statusLog));
    }

    boolean isBehind(History other) {
      return followUps < other.followUps || statusLog < other.statusLog;
    }
  }

  private final ChaosCluster cluster;
  private final CommandLedger ledger;
  private final Rates rates;
  private final List<OrgCursor> orgs;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  private final KafkaProducer<String, byte[]> producer;
  private final ConcurrentLinkedQueue<HttpWrite> retries = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Sent> failedDirect = new ConcurrentLinkedQueue<>();
  private final Map<String, LeadCommand> directCommands = new ConcurrentHashMap<>();
  private final List<KnownLead> knownLeads = new CopyOnWriteArrayList<>();
  /** The most of each HTTP-created lead's history any 200 answer showed so far. */
  private final Map<KnownLead, History> answeredHistory = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Liveness.Sample> writeSamples = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Liveness.Sample> readSamples = new ConcurrentLinkedQueue<>();
  private final List<String> staleReads = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> httpStatuses = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> readStatuses = new ConcurrentHashMap<>();
  private final List<String> wrongNotFound = new CopyOnWriteArrayList<>();
  private final List<String> serverErrors = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  ChaosLoad(ChaosCluster cluster, List<ChaosOrg> orgs, CommandLedger ledger, Rates rates) {
    this.cluster = cluster;
    this.ledger = ledger;
    this.rates = rates;
    this.orgs = orgs.stream().map(OrgCursor::new).toList();
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** Reasons and a sub-status in every org, over HTTP, before the faults start. */
  void seed() throws InterruptedException {
    for (OrgCursor org : orgs) {
      ArrayNode reasons = JSON.createArrayNode();
      for (String text : List.of("Item not available in store", "Best price available at another store",
          "Interested in our brand products")) {
        reasons.addObject().put("reason", text);
      }
      org.reasons.addAndGet(3);
      sendUntilAnswered(org, Kind.CONFIGURE_REASONS, "POST", "/v2/leads/reasons", reasons.toString());
      org.subStatuses.computeIfAbsent("ON_HOLD", s -> new CopyOnWriteArrayList<>()).add("YetToDecide");
      sendUntilAnswered(org, Kind.CREATE_SUB_STATUS, "POST", "/v2/leads/substatus",
          "{\"status\":\"ON_HOLD\",\"subStatus\":\"YetToDecide\"}");
    }
  }

  private void sendUntilAnswered(OrgCursor org, Kind kind, String method, String path, String body)
      throws InterruptedException {
    Sent sent = ledger.record("h-" + org.org.id() + "-" + org.httpIds.incrementAndGet(), org.org.id(), Channel.HTTP, kind);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (send(new HttpWrite(sent, method, path, body, 0)) == null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no answer to " + method + " " + path + " within 60 s");
      }
      Thread.sleep(500);
    }
  }

  void start() {
    running = true;
    for (int i = 0; i < rates.httpWriters(); i++) {
      threads.add(new Thread(this::httpWriter, "chaos-http-" + i));
    }
    threads.add(new Thread(this::directProducer, "chaos-direct"));
    threads.add(new Thread(this::reader, "chaos-reader"));
    threads.forEach(Thread::start);
  }

  /** Stops sending, waits for the threads, and flushes what the producer still holds. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(60_000);
    }
    threads.clear();
    producer.close(Duration.ofSeconds(60));
  }

  Map<Integer, AtomicInteger> httpStatuses() {
    return httpStatuses;
  }

  Map<Integer, AtomicInteger> readStatuses() {
    return readStatuses;
  }

  List<String> wrongNotFound() {
    return wrongNotFound;
  }

  /** Every HTTP write attempt of the load, and whether it got an outcome. */
  List<Liveness.Sample> writeSamples() {
    return List.copyOf(writeSamples);
  }

  /** Every lead read of the load, and whether it was answered 200. */
  List<Liveness.Sample> readSamples() {
    return List.copyOf(readSamples);
  }

  /** Reads that showed less of a lead's history than an answer given before the read was sent. */
  List<String> staleReads() {
    return staleReads;
  }

  /** Answers the API never gives: 5xx other than 503 (not ready, outcome unknown). */
  List<String> serverErrors() {
    return serverErrors;
  }

  // ---- HTTP writes

  private void httpWriter() {
    Random random = ThreadLocalRandom.current();
    while (running) {
      HttpWrite write = dueRetry();
      if (write == null) {
        write = newHttpWrite(orgs.get(random.nextInt(orgs.size())), random);
      }
      try {
        Answer answer = send(write);
        if (answer == null) {
          ledger.httpNotAnswered.incrementAndGet();
          // Half of the unanswered writes are tried again later with the same key, the others
          // stay unanswered: both must end fully applied or not at all.
          if (write.sent().attempts.get() < MAX_HTTP_ATTEMPTS && random.nextBoolean()) {
            retries.add(new HttpWrite(write.sent(), write.method(), write.path(), write.body(),
                System.nanoTime() + Duration.ofSeconds(2).toNanos()));
          }
        } else if (answer.accepted() && answer.body().has("statusLogDetails")) {
          // A lead: its creation makes it known, every answer raises what later reads must show.
          KnownLead lead = new KnownLead(orgOf(write.sent().org), answer.body().path("id").asLong());
          History shown = History.of(answer.body());
          if (write.sent().kind == Kind.CREATE_LEAD) {
            answeredHistory.merge(lead, shown, History::max);
            knownLeads.add(lead);
          } else {
            answeredHistory.computeIfPresent(lead, (l, seen) -> seen.max(shown));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private ChaosOrg orgOf(String id) {
    return orgs.stream().filter(o -> o.org.id().equals(id)).findFirst().orElseThrow().org;
  }

  private HttpWrite dueRetry() {
    HttpWrite head = retries.peek();
    if (head != null && head.notBeforeNanos() <= System.nanoTime() && retries.remove(head)) {
      ledger.httpRetries.incrementAndGet();
      return head;
    }
    return null;
  }

  private HttpWrite newHttpWrite(OrgCursor org, Random random) {
    Kind kind = someKind(random);
    String path;
    String method = "POST";
    ObjectNode body = JSON.createObjectNode();
    String text;
    switch (kind) {
      case CREATE_LEAD -> {
        long n = org.creates.incrementAndGet();
        body.put("type", "SKU").put("leadFor", "item-" + random.nextInt(500))
            .put("idType", "EMAIL").put("identifier", "customer-" + random.nextLong(n / 2 + 1) + "@example.com")
            .put("status", random.nextInt(4) == 0 ? "ON_HOLD" : "OPEN")
            .put("nextFollowUp", time(Instant.now().plus(1 + random.nextInt(30), ChronoUnit.DAYS)));
        body.putObject("extendedFields").put("channel", "http").put("n", Long.toString(n));
        path = "/v2/leads";
        text = body.toString();
      }
      case UPDATE_LEAD -> {
        body.putObject("extendedFields").put("trial_status", random.nextBoolean() ? "Done" : "Not Done");
        if (random.nextBoolean()) {
          body.put("owner", "staff." + random.nextInt(20));
        }
        method = "PUT";
        path = "/v2/leads/" + org.someLead(random);
        text = body.toString();
      }
      case CHANGE_STATUS -> {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        body.put("status", status).put("reasonId", org.someReason(random));
        someSubStatus(org, status, random).ifPresent(s -> body.put("subStatus", s));
        method = "PUT";
        path = "/v2/leads/" + org.someLead(random) + "/status";
        text = body.toString();
      }
      case FOLLOW_UP -> {
        body.put("followedUpOn", time(Instant.now())).put("notes", "called " + random.nextInt(1000))
            .put("nextFollowUp", time(Instant.now().plus(1 + random.nextInt(10), ChronoUnit.DAYS)));
        path = "/v2/leads/" + org.someLead(random) + "/followup";
        text = body.toString();
      }
      case CONFIGURE_REASONS -> {
        org.reasons.incrementAndGet();
        ArrayNode reasons = JSON.createArrayNode();
        reasons.addObject().put("reason", "reason " + UUID.randomUUID());
        path = "/v2/leads/reasons";
        text = reasons.toString();
      }
      default -> {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        String name = "Sub" + random.nextInt(6);
        org.subStatuses.computeIfAbsent(status, s -> new CopyOnWriteArrayList<>()).add(name);
        body.put("status", status).put("subStatus", name);
        path = "/v2/leads/substatus";
        text = body.toString();
      }
    }
    Sent sent = ledger.record("h-" + org.org.id() + "-" + org.httpIds.incrementAndGet(), org.org.id(), Channel.HTTP, kind);
    return new HttpWrite(sent, method, path, text, 0);
  }

  /** Sends one attempt; the outcome it was answered with, or null for 503 or no answer. */
  private Answer send(HttpWrite write) throws InterruptedException {
    List<LmsProcess> serving = cluster.serving();
    if (serving.isEmpty()) {
      Thread.sleep(200);
      return null;
    }
    LmsProcess instance = serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
    ChaosOrg org = orgOf(write.sent().org);
    write.sent().attempts.incrementAndGet();
    HttpRequest request = HttpRequest.newBuilder(instance.uri(write.path()))
        .timeout(HTTP_TIMEOUT)
        .header("Authorization", org.authorization())
        .header("Idempotency-Key", write.sent().commandId)
        .header("Content-Type", "application/json")
        .method(write.method(), HttpRequest.BodyPublishers.ofString(write.body()))
        .build();
    long sentNanos = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      httpStatuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
      writeSamples.add(new Liveness.Sample(sentNanos, false));
      return null;
    }
    int status = response.statusCode();
    writeSamples.add(new Liveness.Sample(sentNanos, status == 200 || status == 400 || status == 404));
    httpStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    if (status >= 500 && status != 503) {
      serverErrors.add(write.method() + " " + write.path() + " " + write.sent().commandId + " on " + instance
          + " at " + Instant.now() + ": " + status + " " + response.body());
    }
    if (status != 200 && status != 400 && status != 404) {
      return null;
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON from " + instance + ": " + response.body(), e);
    }
    List<Integer> codes = new ArrayList<>();
    body.path("errors").forEach(error -> codes.add(error.path("code").asInt()));
    Answer answer = new Answer(status, codes, body);
    write.sent().answer = answer;
    return answer;
  }

  // ---- direct commands

  private void directProducer() {
    Random random = ThreadLocalRandom.current();
    long intervalNanos = Duration.ofSeconds(1).toNanos() / Math.max(1, rates.directPerSecond());
    long next = System.nanoTime();
    while (running) {
      Sent resend = failedDirect.poll();
      if (resend != null) {
        ledger.directResends.incrementAndGet();
        produce(resend, directCommands.get(resend.commandId));
      } else {
        OrgCursor org = orgs.get(random.nextInt(orgs.size()));
        if (random.nextDouble() < rates.poisonShare()) {
          producePoison(org.org, random);
        } else {
          Kind kind = someKind(random);
          Sent sent = ledger.record("d-" + org.org.id() + "-" + org.directIds.incrementAndGet(), org.org.id(),
              Channel.DIRECT, kind);
          LeadCommand command = new LeadCommand(sent.commandId, org.org.id(), org.org.staffId(), Instant.now(),
              directPayload(org, kind, random));
          directCommands.put(sent.commandId, command);
          produce(sent, command);
        }
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } else if (wait < -Duration.ofSeconds(1).toNanos()) {
        next = System.nanoTime(); // fell behind (the broker was down): don't burst to catch up
      }
    }
  }

  private void produce(Sent sent, LeadCommand command) {
    sent.attempts.incrementAndGet();
    producer.send(new ProducerRecord<>(ChaosCluster.TOPIC_PREFIX + "lead-commands", null,
        command.getIssuedAt().toEpochMilli(), command.getOrgId(), COMMANDS.encode(command)), (metadata, error) -> {
          if (error == null) {
            sent.acknowledged = true;
          } else if (sent.attempts.get() < 2) {
            failedDirect.add(sent);
          }
        });
  }

  /** Bytes no LMS reader decodes: text, or the single-object marker with an unknown fingerprint. */
  private void producePoison(ChaosOrg org, Random random) {
    byte[] value;
    if (random.nextBoolean()) {
      value = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    } else {
      ByteBuffer buffer = ByteBuffer.allocate(2 + 8 + 16);
      buffer.put((byte) 0xC3).put((byte) 0x01).putLong(random.nextLong());
      UUID id = UUID.randomUUID();
      buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
      value = buffer.array();
    }
    byte[] bytes = value;
    producer.send(new ProducerRecord<>(ChaosCluster.TOPIC_PREFIX + "lead-commands", org.id(), bytes),
        (metadata, error) -> ledger.poison(org.id(), bytes, error == null));
  }

  private Object directPayload(OrgCursor org, Kind kind, Random random) {
    return switch (kind) {
      case CREATE_LEAD -> {
        long n = org.creates.incrementAndGet();
        yield Commands.lead("customer-" + random.nextLong(n / 2 + 1) + "@example.com")
            .setLeadFor("item-" + random.nextInt(500))
            .setStatus(random.nextInt(4) == 0 ? "ON_HOLD" : "OPEN")
            .setNextFollowUp(time(Instant.now().plus(1 + random.nextInt(30), ChronoUnit.DAYS)))
            .setExtendedFields(Map.of("channel", "kafka", "n", Long.toString(n)))
            .build();
      }
      case UPDATE_LEAD -> new UpdateLead(org.someLead(random),
          Map.of("trial_status", random.nextBoolean() ? "Done" : "Not Done"),
          random.nextBoolean() ? "staff." + random.nextInt(20) : null);
      case CHANGE_STATUS -> {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        yield new ChangeStatus(org.someLead(random), status, someSubStatus(org, status, random).orElse(null),
            org.someReason(random), null, null);
      }
      case FOLLOW_UP -> new RecordFollowUp(org.someLead(random), time(Instant.now()), null, 124L,
          time(Instant.now().plus(1 + random.nextInt(10), ChronoUnit.DAYS)), "called " + random.nextInt(1000), null);
      case CONFIGURE_REASONS -> {
        org.reasons.incrementAndGet();
        yield new ConfigureReasons(List.of("reason " + UUID.randomUUID()));
      }
      case CREATE_SUB_STATUS -> {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        String name = "Sub" + random.nextInt(6);
        org.subStatuses.computeIfAbsent(status, s -> new CopyOnWriteArrayList<>()).add(name);
        yield new CreateSubStatus(status, name);
      }
    };
  }

  // ---- reads while tasks move

  private void reader() {
    Random random = ThreadLocalRandom.current();
    while (running) {
      try {
        Thread.sleep(50);
        List<LmsProcess> serving = cluster.serving();
        if (knownLeads.isEmpty() || serving.isEmpty()) {
          continue;
        }
        KnownLead lead = knownLeads.get(random.nextInt(knownLeads.size()));
        LmsProcess instance = serving.get(random.nextInt(serving.size()));
        History answeredBefore = answeredHistory.get(lead);
        long sentNanos = System.nanoTime();
        HttpResponse<String> response;
        try {
          response = http.send(HttpRequest.newBuilder(instance.uri("/v2/leads/" + lead.id()))
              .timeout(HTTP_TIMEOUT).header("Authorization", lead.org().authorization()).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          readSamples.add(new Liveness.Sample(sentNanos, false));
          throw e;
        }
        readSamples.add(new Liveness.Sample(sentNanos, response.statusCode() == 200));
        readStatuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        if (response.statusCode() == 200) {
          History read = History.of(JSON.readTree(response.body()));
          if (answeredBefore != null && read.isBehind(answeredBefore)) {
            staleReads.add(lead + " from " + instance + " at " + Instant.now() + ": " + read
                + ", but an answer before the read showed " + answeredBefore);
          }
        }
        if (response.statusCode() >= 500 && response.statusCode() != 503) {
          serverErrors.add("GET /v2/leads/" + lead.id() + " on " + instance + " at " + Instant.now() + ": "
              + response.statusCode() + " " + response.body());
        }
        if (response.statusCode() == 404) {
          wrongNotFound.add(lead + " from " + instance + " at " + Instant.now() + ": " + response.body());
        }
      } catch (IOException e) {
        readStatuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---- the mix

  private static Kind someKind(Random random) {
    double p = random.nextDouble();
    if (p < 0.35) {
      return Kind.CREATE_LEAD;
    } else if (p < 0.55) {
      return Kind.UPDATE_LEAD;
    } else if (p < 0.75) {
      return Kind.CHANGE_STATUS;
    } else if (p < 0.95) {
      return Kind.FOLLOW_UP;
    } else if (p < 0.975) {
      return Kind.CONFIGURE_REASONS;
    }
    return Kind.CREATE_SUB_STATUS;
  }

  private static java.util.Optional<String> someSubStatus(OrgCursor org, String status, Random random) {
    List<String> known = org.subStatuses.getOrDefault(status, List.of());
    if (known.isEmpty() || random.nextInt(3) != 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(known.get(random.nextInt(known.size())));
  }

  private static String time(Instant instant) {
    return TIME.format(OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), IST));
  }
}
