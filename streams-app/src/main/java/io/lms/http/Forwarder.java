package io.lms.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a read on to the instance that owns the org, once: the forwarded request is marked, and an
 * instance that receives a marked request it cannot answer says 503 instead of forwarding again.
 */
final class Forwarder {
  static final String FORWARDED_HEADER = "X-LMS-Forwarded-By";

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private final String self;
  private final Duration timeout;

  Forwarder(HostInfo self, Duration timeout) {
    this.self = self.host() + ":" + self.port();
    this.timeout = timeout;
  }

  record Response(int status, byte[] body, String retryAfter) {}

  CompletableFuture<Response> get(HostInfo owner, String pathAndQuery, String authorization) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
        .timeout(timeout)
        .header("Authorization", authorization)
        .header(FORWARDED_HEADER, self)
        .GET()
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null)));
  }
}
