package io.lms.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One LMS instance as its own process ({@code java -jar lms-streams.jar}), configured by
 * environment variables only, with a fixed HTTP port and state directory across its restarts.
 */
final class LmsProcess implements Killable {
  private static final HttpClient HEALTH = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final int instance;
  private final int httpPort;
  private final Path stateDir;
  private final JavaProcess process;
  private volatile boolean paused;
  /** Counts the starts, kills, stops, freezes and resumes: each makes the instance unproven again. */
  private volatile long incarnation;
  /** The incarnation that last answered ready: a client may call it while it is still the current one. */
  private volatile long admitted = -1;

  LmsProcess(int instance, Path jar, Path dir, Map<String, String> sharedEnvironment) {
    this.instance = instance;
    this.httpPort = BrokerProcess.freePort();
    this.stateDir = dir.resolve("state-" + instance);
    Map<String, String> env = new HashMap<>(sharedEnvironment);
    env.put("LMS_HTTP_PORT", Integer.toString(httpPort));
    env.put("LMS_STATE_DIR", stateDir.toString());
    this.process = new JavaProcess("lms-" + instance, List.of("-jar", jar.toAbsolutePath().toString()), env,
        dir.resolve("lms-" + instance + ".log"));
  }

  int instance() {
    return instance;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  void start() {
    paused = false;
    incarnation++;
    process.start();
  }

  @Override
  public void kill() throws InterruptedException {
    paused = false;
    incarnation++;
    process.kill();
  }

  /** SIGTERM: the instance leaves the group and commits its last transaction. */
  void stop() throws InterruptedException {
    paused = false;
    incarnation++;
    process.stop(Duration.ofSeconds(45));
  }

  void pause() throws InterruptedException {
    process.pause();
    paused = true;
    incarnation++;
  }

  void resume() throws InterruptedException {
    process.resume();
    paused = false;
    incarnation++;
  }

  /**
   * Running, not frozen, and ready since it last started or resumed: what a load balancer with a
   * readiness check sends requests to. It sends none to a process that is still starting (its
   * port refuses them) until {@code /health/ready} has answered 200, and none to one it knows dead
   * or frozen.
   */
  boolean isServing() {
    return process.isAlive() && !paused && admitted == incarnation;
  }

  /** The load balancer's health check: admits this incarnation once it answers ready. */
  void admitIfReady() {
    long checked = incarnation;
    if (admitted != checked && process.isAlive() && !paused && isReady()) {
      // A kill or freeze during the check made a new incarnation, which stays unadmitted.
      admitted = checked;
    }
  }

  /** Deletes the instance's local state, so that its next start restores every store from Kafka. */
  void deleteState() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(process + " still runs");
    }
    if (Files.exists(stateDir)) {
      try (Stream<Path> files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
  }

  boolean isReady() {
    try {
      HttpResponse<Void> response = HEALTH.send(
          HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Path log() {
    return process.log();
  }

  @Override
  public String toString() {
    return process.name();
  }
}
