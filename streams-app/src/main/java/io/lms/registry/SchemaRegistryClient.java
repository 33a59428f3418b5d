package io.lms.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.schema.codec.CodecException;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SchemaUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The calls LMS makes to a schema registry, through the REST API of Confluent's Schema Registry
 * (which Apicurio Registry also serves, under {@code /apis/ccompat/v7}): register a schema under a
 * subject, read a schema by id, read a subject's compatibility level, test a schema against a
 * subject. Every error names the registry and the subject or id it was about.
 *
 * <p>Schemas read by id are kept: an id never changes its schema. Thread-safe.
 */
public final class SchemaRegistryClient implements ConfluentCodec.WriterSchemas {
  /** How long one call may take, connection included: a stream thread waits for a schema it lacks. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Basic-auth credentials; the password is never printed. */
  public record Credentials(String user, String password) {
    public Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=*****]";
    }
  }

  /** What the registry said of a schema tested against a subject. */
  public record CompatibilityCheck(boolean compatible, List<String> reasons) {
    public CompatibilityCheck {
      reasons = List.copyOf(reasons);
    }
  }

  private final String url;
  private final Optional<String> authorization;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /**
   * @param url the registry's base URL: {@code http://host:8081} for Confluent's, {@code
   *     http://host:8080/apis/ccompat/v7} for Apicurio's
   */
  public SchemaRegistryClient(URI url, Optional<Credentials> credentials) {
    this.url = url.toString().replaceAll("/+$", "");
    this.authorization = credentials.map(c -> "Basic " + Base64.getEncoder()
        .encodeToString((c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
    // HTTP/1.1: the JDK's client would otherwise try an h2c upgrade on every plain http:// call.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  public String url() {
    return url;
  }

  /**
   * Registers {@code schema} under {@code subject} (or finds it registered already) and returns its id.
   *
   * @throws SchemaRegistryException when the registry refuses it (incompatible, bad credentials, ...)
   *     or does not answer
   */
  public int register(String subject, Schema schema) {
    Response response = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
        "registering " + schema.getFullName() + " under subject " + subject);
    if (response.status() == 409) {
      throw new SchemaRegistryException("Schema registry " + url + " refuses " + schema.getFullName() + " under subject "
          + subject + " as incompatible with the versions it holds: " + response.message());
    }
    return response.expectOk().path("id").asInt();
  }

  /**
   * The compatibility level the registry reports for {@code subject}: its own, else the global one.
   * Apicurio reports NONE for a registered subject without a level of its own even when a global
   * one applies: {@link #testCompatibility} is what tells whether a schema would be accepted.
   */
  public String compatibilityLevel(String subject) {
    Response response = call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null,
        "reading the compatibility level of subject " + subject);
    if (response.status() == 404) {
      // A subject not registered yet (Apicurio): the global level applies to it.
      return globalCompatibilityLevel();
    }
    return response.expectOk().path("compatibilityLevel").asText("unknown");
  }

  /** The registry's global compatibility level: Confluent's default is BACKWARD, Apicurio's NONE. */
  public String globalCompatibilityLevel() {
    return call("GET", "/config", null, "reading the global compatibility level").expectOk()
        .path("compatibilityLevel").asText("unknown");
  }

  /** Whether the registry would accept {@code schema} under {@code subject}; a new subject accepts anything. */
  public CompatibilityCheck testCompatibility(String subject, Schema schema) {
    Response response = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
        schemaBody(schema), "testing " + schema.getFullName() + " against subject " + subject);
    if (response.status() == 404) {
      // No version to be compatible with (Confluent: 40401 no subject, 40402 no version).
      return new CompatibilityCheck(true, List.of());
    }
    JsonNode body = response.expectOk();
    List<String> reasons = new ArrayList<>();
    // Confluent says why in "messages", Apicurio in "reason".
    body.path("messages").forEach(m -> reasons.add(m.asText()));
    if (body.hasNonNull("reason")) {
      reasons.add(body.get("reason").asText());
    }
    return new CompatibilityCheck(body.path("is_compatible").asBoolean(false), reasons);
  }

  /**
   * The schema registered under {@code id}, asked of the registry once.
   *
   * @throws CodecException when the registry has no such id, or it is not an Avro schema
   * @throws SchemaUnavailableException when the registry could not be asked, or failed to answer
   */
  @Override
  public Schema byId(int id) {
    Schema known = schemasById.get(id);
    if (known != null) {
      return known;
    }
    String what = "reading the schema of id " + id;
    Response response;
    try {
      response = call("GET", "/schemas/ids/" + id, null, what);
    } catch (SchemaRegistryException e) {
      throw new SchemaUnavailableException(e.getMessage(), e);
    }
    if (response.status() == 404) {
      throw new CodecException("Schema registry " + url + " has no schema with id " + id + ": " + response.message());
    }
    if (response.status() != 200) {
      throw new SchemaUnavailableException(response.failure().getMessage(), null);
    }
    String type = response.body().path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new CodecException("Schema id " + id + " of schema registry " + url + " is a " + type + " schema, not Avro");
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(response.body().path("schema").asText());
    } catch (SchemaParseException e) {
      throw new CodecException("Schema id " + id + " of schema registry " + url + " is not an Avro schema LMS can read"
          + " (one with references to other subjects is not supported): " + e.getMessage(), e);
    }
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  private static String schemaBody(Schema schema) {
    // No "schemaType": Avro is the default, and registries older than Confluent 5.5 know no other.
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  private Response call(String method, String path, String body, String what) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
        .timeout(TIMEOUT)
        .header("Accept", CONTENT_TYPE + ", application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException("Schema registry " + url + " did not answer " + what + " within " + TIMEOUT.toSeconds()
          + " s: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while " + what + " at schema registry " + url, e);
    }
    return new Response(url, response.statusCode(), parse(response.body()), what);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      // Not JSON (a proxy's error page): keep the text, for the message.
      return JSON.createObjectNode().put("message", body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }
  }

  /** A registry's answer: its status and JSON body; the registry and what LMS was asking, for messages. */
  private record Response(String url, int status, JsonNode body, String what) {
    String message() {
      return body.path("message").asText(body.toString());
    }

    JsonNode expectOk() {
      if (status != 200) {
        throw failure();
      }
      return body;
    }

    SchemaRegistryException failure() {
      String hint = status == 401 || status == 403
          ? " (check LMS_SCHEMA_REGISTRY_USER and LMS_SCHEMA_REGISTRY_PASSWORD)" : "";
      return new SchemaRegistryException("Schema registry " + url + " answered HTTP " + status + " when " + what + ": " + message() + hint);
    }
  }
}
