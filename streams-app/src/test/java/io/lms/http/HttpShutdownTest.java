package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** What a caller whose request is in flight hears when the instance shuts down. */
class HttpShutdownTest {
  @Test
  void aRequestInFlightWhenTheServerStopsGetsItsOwnAnswer() throws Exception {
    try (TopologyBackedCommands commands = new TopologyBackedCommands()) {
      commands.silent = true; // the write waits for an outcome that does not come: 503 after the timeout
      HttpApi api = new HttpApi(new HttpApi.Dependencies(HttpApiTest.CREDENTIALS, new OrgRateLimiter(10_000, 10_000),
          new StubReader(), commands, Optional::empty, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
          new HostInfo("127.0.0.1", 0), HttpApiTest.SIGNATURE, Duration.ofSeconds(1), HttpApiTest.READ_WAIT, Clock.systemUTC()))
          .start("127.0.0.1", 0);
      CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v2/leads/reasons"))
              .header("Authorization", HttpApiTest.basic("till", "secret"))
              .header("Idempotency-Key", "k-stop")
              .POST(HttpRequest.BodyPublishers.ofString("[{\"reason\":\"r\"}]")).build(),
          HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (submitted(commands) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      api.close();
      HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      var error = HttpApiTest.JSON.readTree(response.body()).path("errors").path(0);
      assertThat(error.path("code").asInt()).isEqualTo(93015);
      assertThat(error.path("commandId").asText()).isEqualTo("k-stop");
    }
  }

  private static int submitted(TopologyBackedCommands commands) {
    synchronized (commands) { // submit() counts under the same lock
      return commands.submitted;
    }
  }
}
