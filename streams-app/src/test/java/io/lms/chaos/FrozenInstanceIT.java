package io.lms.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frozen instance must not answer from the stores it held before the freeze. SIGSTOP past the
 * session timeout moves its tasks to the other instance, which then takes writes; on SIGCONT the
 * frozen one still believes it owns its old partitions until its consumer hears otherwise, and
 * its stores lack everything written meanwhile. Reads it answers in that window, those that
 * waited on its socket during the freeze first, must be 503 (ask again) or the truth: never a
 * 404 for a lead that exists, never a lead as it was before the freeze.
 */
class FrozenInstanceIT {
  private static final List<ChaosOrg> ORGS = ChaosOrg.onEveryPartition(ChaosCluster.PARTITIONS, 1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  private static final Duration READ_AFTER_RESUME = Duration.ofSeconds(8);
  private static final int WAITING_READS_PER_LEAD = 4;

  /** A lead and the marker its latest update wrote into its extended fields. */
  private record Written(ChaosOrg org, long leadId, String marker) {}

  private Path dir;
  private ChaosCluster cluster;
  private boolean passed;

  @Test
  void aResumedZombieAnswers503OrTheTruthNeverItsStaleStores() throws Exception {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    dir = Files.createTempDirectory("lms-frozen");
    cluster = new ChaosCluster(dir, target, ORGS);
    cluster.start(2, Duration.ofSeconds(180));
    LmsProcess frozen = cluster.instances().get(0);
    LmsProcess survivor = cluster.instances().get(1);

    // Before the freeze: one lead per org, known to both instances' view of the world.
    Map<ChaosOrg, Long> before = new LinkedHashMap<>();
    for (ChaosOrg org : ORGS) {
      before.put(org, createUntilAccepted(survivor, org, Duration.ofSeconds(60)));
    }

    frozen.pause();
    // While it is frozen, the survivor takes over its tasks: every org gets a new lead and an
    // update of its old one, which the frozen instance's stores cannot have.
    List<Written> written = new ArrayList<>();
    Duration takeOver = ChaosCluster.SESSION_TIMEOUT.plusSeconds(90);
    for (ChaosOrg org : ORGS) {
      long created = createUntilAccepted(survivor, org, takeOver);
      written.add(new Written(org, created, null));
      String marker = UUID.randomUUID().toString();
      updateUntilAccepted(survivor, org, before.get(org), marker, takeOver);
      written.add(new Written(org, before.get(org), marker));
    }
    // Reads sent to the frozen instance now wait on its socket: they are the first work it does
    // after SIGCONT, before its consumers hear that they are out of the group.
    Map<CompletableFuture<HttpResponse<String>>, Written> waiting = new LinkedHashMap<>();
    for (int copy = 0; copy < WAITING_READS_PER_LEAD; copy++) {
      for (Written lead : written) {
        waiting.put(HTTP.sendAsync(get(frozen, lead.org(), lead.leadId(), Duration.ofSeconds(60)),
            HttpResponse.BodyHandlers.ofString()), lead);
      }
    }
    Thread.sleep(500);
    frozen.resume();

    List<String> wrong = new CopyOnWriteArrayList<>();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    for (var answer : waiting.entrySet()) {
      judge(answer.getValue(), answer.getKey().get(), statuses, wrong);
    }
    long end = System.nanoTime() + READ_AFTER_RESUME.toNanos();
    while (System.nanoTime() < end) {
      for (Written lead : written) {
        HttpResponse<String> response = HTTP.send(get(frozen, lead.org(), lead.leadId(), Duration.ofSeconds(15)),
            HttpResponse.BodyHandlers.ofString());
        judge(lead, response, statuses, wrong);
      }
    }
    System.out.println("frozen instance: statuses of its reads after SIGCONT " + statuses);
    assertThat(wrong).as("reads a resumed zombie answered from its stale stores").isEmpty();
    assertThat(statuses).as("the resumed instance answers with the truth again").containsKey(200);
    passed = true;
  }

  @AfterEach
  void tearDown() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (passed && dir != null) {
      ChaosIT.deleteRecursively(dir);
    } else if (dir != null) {
      System.out.println("frozen instance: logs and state kept in " + dir);
    }
  }

  /** A read of {@code lead} must be 503 (ask again) or the lead as it is now. */
  private static void judge(Written lead, HttpResponse<String> response, Map<Integer, Integer> statuses,
      List<String> wrong) {
    statuses.merge(response.statusCode(), 1, Integer::sum);
    if (response.statusCode() == 503) {
      return;
    }
    if (response.statusCode() != 200) {
      wrong.add(lead + ": " + response.statusCode() + " " + response.body());
    } else if (lead.marker() != null && !response.body().contains(lead.marker())) {
      wrong.add(lead + ": the lead as it was before the freeze: " + response.body());
    }
  }

  private static long createUntilAccepted(LmsProcess instance, ChaosOrg org, Duration timeout)
      throws IOException, InterruptedException {
    String body = "{\"type\":\"SKU\",\"leadFor\":\"item-1\",\"idType\":\"EMAIL\","
        + "\"identifier\":\"someone@example.com\",\"status\":\"OPEN\"}";
    return writeUntilAccepted(instance, org, "POST", "/v2/leads", body, timeout).path("id").asLong();
  }

  private static void updateUntilAccepted(LmsProcess instance, ChaosOrg org, long leadId, String marker,
      Duration timeout) throws IOException, InterruptedException {
    writeUntilAccepted(instance, org, "PUT", "/v2/leads/" + leadId,
        "{\"extendedFields\":{\"marker\":\"" + marker + "\"}}", timeout);
  }

  /** Retries 503s (tasks moving) with the same Idempotency-Key until the write is answered 200. */
  private static JsonNode writeUntilAccepted(LmsProcess instance, ChaosOrg org, String method, String path,
      String body, Duration timeout) throws IOException, InterruptedException {
    String key = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.uri(path))
          .timeout(Duration.ofSeconds(15))
          .header("Authorization", org.authorization())
          .header("Idempotency-Key", key)
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body());
      }
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        throw new AssertionError(method + " " + path + " for " + org.id() + " on " + instance + ": "
            + response.statusCode() + " " + response.body());
      }
      Thread.sleep(250);
    }
  }

  private static HttpRequest get(LmsProcess instance, ChaosOrg org, long leadId, Duration timeout) {
    return HttpRequest.newBuilder(instance.uri("/v2/leads/" + leadId)).timeout(timeout)
        .header("Authorization", org.authorization()).build();
  }
}
