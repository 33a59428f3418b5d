package io.lms.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry (2.6, in-memory storage) as a process of its own, serving Confluent's
 * Schema Registry API under {@code /apis/ccompat/v7}. Its distribution is unpacked into
 * {@code target/apicurio-registry} by the build before the integration tests (streams-app's pom). Public
 * for the integration tests of other packages (the operator CLI's).
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final String RUNNER = "apicurio-registry-app-2.6.13.Final-runner.jar";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final Path log;
  private final int port;

  private ApicurioRegistry(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a registry on a free port of 127.0.0.1 and returns once it is ready. */
  public static ApicurioRegistry start() throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("apicurio.registry.dir", "target/apicurio-registry"));
    if (!Files.isRegularFile(dir.resolve(RUNNER))) {
      throw new IllegalStateException("No Apicurio Registry in " + dir.toAbsolutePath() + ": the build unpacks it in the"
          + " pre-integration-test phase (run the ITs with mvn verify)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("apicurio-registry", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // From its own directory: the runner finds its lib/ relative to it.
    Process process = new ProcessBuilder(java, "-Xmx256m", "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + port, "-jar", RUNNER)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ApicurioRegistry registry = new ApicurioRegistry(process, log, port);
    try {
      registry.awaitReady();
      return registry;
    } catch (IOException | InterruptedException | RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + ": " + tail());
      }
      try {
        var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Apicurio Registry not ready within " + STARTUP.toSeconds() + " s: " + tail());
  }

  /** The base URL of its Confluent-compatible API, as LMS_SCHEMA_REGISTRY_URL takes it. */
  public String confluentApi() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  private String tail() throws IOException {
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 2000));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file left behind is not worth failing a test for
    }
  }
}
