package io.lms.connect.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A distributed Connect worker in this JVM, reached only through its REST API on 127.0.0.1, as
 * an operator would reach it.
 */
final class ConnectWorker implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Connect<?> connect;
  private final URI url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ConnectWorker(Connect<?> connect) {
    this.connect = connect;
    this.url = connect.rest().serverUrl();
  }

  static ConnectWorker start(Map<String, String> workerProperties) {
    return new ConnectWorker(new ConnectDistributed().startConnect(workerProperties));
  }

  URI url() {
    return url;
  }

  /** {@code PUT /connectors/<name>/config} with the file's bytes, as {@code curl --data @file} would. */
  void putConnectorConfig(Path file) throws IOException, InterruptedException {
    String name = file.getFileName().toString().replaceFirst("\\.json$", "");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/connectors/" + name + "/config"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(90))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("PUT " + file.getFileName() + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** {@code GET /connectors/<name>/status}; a connector the worker does not know (yet) is 404. */
  JsonNode status(String connector) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/connectors/" + connector + "/status"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
  }

  /** True when the connector and all its tasks (at least one) run; a failed one fails the test. */
  boolean running(String connector) throws IOException, InterruptedException {
    JsonNode status = status(connector);
    if (status.toString().contains("\"FAILED\"")) {
      throw new AssertionError(connector + " failed: " + status.toPrettyString());
    }
    JsonNode tasks = status.path("tasks");
    if (!"RUNNING".equals(status.path("connector").path("state").asText()) || tasks.isEmpty()) {
      return false;
    }
    for (JsonNode task : tasks) {
      if (!"RUNNING".equals(task.path("state").asText())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
