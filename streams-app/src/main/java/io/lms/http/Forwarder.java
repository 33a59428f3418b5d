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
 * The mark is signed ({@link InstanceSignature}): the receiver trusts it only when the signature
 * proves that an instance of the same deployment sent this request just now.
 */
final class Forwarder {
  /** The instance that forwarded the request, as {@code host:port}. */
  static final String FORWARDED_HEADER = "X-LMS-Forwarded-By";
  /** The forwarding instance's signature over the request (see {@link InstanceSignature}). */
  static final String SIGNATURE_HEADER = "X-LMS-Instance-Signature";

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private final String self;
  private final InstanceSignature signature;
  private final Duration timeout;

  Forwarder(HostInfo self, InstanceSignature signature, Duration timeout) {
    this.self = self.host() + ":" + self.port();
    this.signature = signature;
    this.timeout = timeout;
  }

  record Response(int status, byte[] body, String retryAfter) {}

  CompletableFuture<Response> get(HostInfo owner, String pathAndQuery, String authorization) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
        .timeout(timeout)
        .header("Authorization", authorization)
        .header(FORWARDED_HEADER, self)
        .header(SIGNATURE_HEADER, signature.sign("GET", pathAndQuery, self, authorization))
        .GET()
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null)));
  }
}
