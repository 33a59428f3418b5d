package io.lms.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * HTTP load at a fixed rate, as clients behind a load balancer send it: lead creations with an
 * {@code Idempotency-Key}, each sent again with the same key until it is answered (a 503 asks for
 * that), and lookups of leads whose creation was answered. Every attempt is kept with its times
 * and status, for the test to judge what a fault cost.
 */
final class SteadyLoad implements AutoCloseable {
  enum Kind { WRITE, READ }

  /** One HTTP request: status -1 when it got no answer (refused, reset, timed out). */
  record Attempt(Kind kind, String org, long startNanos, long endNanos, int status, String instance, int sendNo) {
    boolean succeeded() {
      return status >= 200 && status < 300;
    }
  }

  /** A lead whose creation was answered. */
  record Created(ChaosOrg org, long id, String leadFor) {}

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(25);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  /** How long a write is sent again before the test counts it lost. */
  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ChaosOrg> orgs;
  private final Supplier<List<LmsProcess>> instances;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
  // Writes and reads apart: a write may wait 15 s for its answer, and stalled writes must not hold
  // reads back, which would hide an outage from them.
  private final ExecutorService writers = Executors.newFixedThreadPool(200);
  private final ExecutorService readers = Executors.newFixedThreadPool(32);
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final Map<String, List<Created>> created = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> wrongReads = new ConcurrentLinkedQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, List<String>> failureSamples = new ConcurrentHashMap<>();

  /** {@code instances}: whom a client may call now (the load balancer's view). */
  SteadyLoad(List<ChaosOrg> orgs, Supplier<List<LmsProcess>> instances) {
    this.orgs = orgs;
    this.instances = instances;
    orgs.forEach(org -> created.put(org.id(), java.util.Collections.synchronizedList(new ArrayList<>())));
  }

  /** Starts {@code writesPerSecond} creations and {@code readsPerSecond} lookups, spread over the orgs. */
  void start(int writesPerSecond, int readsPerSecond) {
    ticks.scheduleAtFixedRate(() -> writers.execute(this::createOne), 0, 1_000_000 / writesPerSecond,
        TimeUnit.MICROSECONDS);
    ticks.scheduleAtFixedRate(() -> readers.execute(this::readOne), 500_000, 1_000_000 / readsPerSecond,
        TimeUnit.MICROSECONDS);
  }

  /** Stops sending new requests and waits for those in flight, retries included. */
  @Override
  public void close() throws InterruptedException {
    ticks.shutdownNow();
    for (ExecutorService senders : List.of(writers, readers)) {
      senders.shutdown();
      if (!senders.awaitTermination(GIVE_UP_AFTER.toSeconds() + 30, TimeUnit.SECONDS)) {
        senders.shutdownNow();
      }
    }
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  Map<String, List<Created>> created() {
    Map<String, List<Created>> copy = new java.util.HashMap<>();
    created.forEach((org, leads) -> {
      synchronized (leads) {
        copy.put(org, List.copyOf(leads));
      }
    });
    return copy;
  }

  /** Writes never answered within {@link #GIVE_UP_AFTER}, with the key they were sent with. */
  List<String> unanswered() {
    return List.copyOf(unanswered);
  }

  /** Lookups of an answered lead that said 404 or gave another lead: never allowed. */
  List<String> wrongReads() {
    return List.copyOf(wrongReads);
  }

  private void createOne() {
    long n = sequence.incrementAndGet();
    ChaosOrg org = orgs.get((int) (n % orgs.size()));
    String key = UUID.randomUUID().toString();
    String leadFor = "item-" + n;
    String body = "{\"type\":\"SKU\",\"leadFor\":\"" + leadFor + "\",\"idType\":\"EMAIL\",\"identifier\":\"c" + n
        + "@example.com\"}";
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    int attempt = 0;
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      LmsProcess instance = pick(attempt++);
      if (instance == null) {
        pause(200);
        continue;
      }
      HttpRequest request = HttpRequest.newBuilder(instance.uri("/v2/leads")).timeout(WRITE_TIMEOUT)
          .header("Authorization", org.authorization()).header("Idempotency-Key", key)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> response = send(Kind.WRITE, org, instance, request, attempt - 1);
      if (response != null && (response.statusCode() == 200 || response.statusCode() == 201)) {
        try {
          JsonNode lead = JSON.readTree(response.body());
          created.get(org.id()).add(new Created(org, lead.get("id").asLong(), leadFor));
        } catch (IOException e) {
          wrongReads.add("201 with a body that is not a lead: " + response.body());
        }
        return;
      }
      // 503: not applied yet, send it again; 409: the first send of the key is still in flight.
      if (response != null && response.statusCode() != 503 && response.statusCode() != 409) {
        unanswered.add(key + " answered " + response.statusCode() + ": " + response.body());
        return;
      }
      pause(250);
    }
    unanswered.add(key + " (org " + org.id() + ", " + leadFor + ")");
  }

  private void readOne() {
    long n = sequence.get();
    ChaosOrg org = orgs.get((int) (ThreadLocalRandom.current().nextLong(Math.max(1, n)) % orgs.size()));
    List<Created> leads = created.get(org.id());
    Created lead;
    synchronized (leads) {
      if (leads.isEmpty()) {
        return;
      }
      lead = leads.get(ThreadLocalRandom.current().nextInt(leads.size()));
    }
    LmsProcess instance = pick(ThreadLocalRandom.current().nextInt(2));
    if (instance == null) {
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(instance.uri("/v2/leads/" + lead.id())).timeout(READ_TIMEOUT)
        .header("Authorization", org.authorization()).build();
    HttpResponse<String> response = send(Kind.READ, org, instance, request, 0);
    if (response != null && (response.statusCode() == 404
        || response.statusCode() == 200 && !response.body().contains("\"" + lead.leadFor() + "\""))) {
      wrongReads.add("GET /v2/leads/" + lead.id() + " of " + org.id() + " on " + instance + ": "
          + response.statusCode() + " " + response.body());
    }
  }

  /** A few answers of each failed kind and status, for the report. */
  Map<String, List<String>> failureSamples() {
    return new java.util.TreeMap<>(failureSamples);
  }

  private HttpResponse<String> send(Kind kind, ChaosOrg org, LmsProcess instance, HttpRequest request, int sendNo) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      attempts.add(new Attempt(kind, org.id(), start, System.nanoTime(), response.statusCode(), instance.toString(), sendNo));
      if (response.statusCode() >= 300) {
        sample(kind + " " + response.statusCode() + (sendNo == 0 ? " first send" : " resend"),
            instance + " " + org.id() + ": " + response.body());
      }
      return response;
    } catch (IOException e) {
      attempts.add(new Attempt(kind, org.id(), start, System.nanoTime(), -1, instance.toString(), sendNo));
      sample(kind + " -1", instance + " " + org.id() + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void sample(String key, String answer) {
    List<String> samples = failureSamples.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
    if (samples.size() < 3) {
      samples.add(answer.length() > 300 ? answer.substring(0, 300) : answer);
    }
  }

  private LmsProcess pick(int attempt) {
    List<LmsProcess> up = instances.get();
    if (up.isEmpty()) {
      return null;
    }
    return up.get(Math.floorMod(ThreadLocalRandom.current().nextInt() + attempt, up.size()));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
