package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.domain.ErrorCode;
import io.lms.query.LocalLeadReader;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The real HTTP server over the real topology in a test driver, for writes and reads alike: two
 * orgs, acme ({@link #ACME}) and globex ({@link #GLOBEX}). Requests go over a plain socket, so that
 * a test can send a request target or header no HTTP client library would let through.
 */
final class ApiFixture implements AutoCloseable {
  static final String ACME = HttpApiTest.basic("till", "secret");
  static final String GLOBEX = HttpApiTest.basic("globex-till", "pw");
  /** A value only globex's leads hold: no answer to acme may contain it. */
  static final String GLOBEX_SECRET = "globex-only-item";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> CODES =
      Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
  /** What a stack trace or an internal name looks like in a body. */
  private static final Pattern JSON_ESCAPE = Pattern.compile("\\\\(?:u[0-9a-fA-F]{4}|[\"\\\\/bfnrt])");
  private static final Pattern INTERNALS = Pattern.compile(
      "Exception|Feature\\.[A-Z]|\\tat |\\b(java|javax|jdk|sun|io\\.lms|io\\.javalin|org\\.eclipse|org\\.apache|com\\.fasterxml)\\.[a-z]");

  final TopologyBackedCommands commands;
  final HttpApi api;

  ApiFixture() throws Exception {
    commands = new TopologyBackedCommands();
    LocalLeadReader reader = new LocalLeadReader((store, org) -> commands.driver.getKeyValueStore(store));
    api = new HttpApi(new HttpApi.Dependencies(HttpApiTest.CREDENTIALS, new OrgRateLimiter(1_000_000, 1_000_000), reader,
        commands, Optional::empty, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new HostInfo("127.0.0.1", 0),
        HttpApiTest.SIGNATURE, Duration.ofSeconds(5), HttpApiTest.READ_WAIT, Clock.systemUTC())).start("127.0.0.1", 0);
  }

  /**
   * Both orgs with the reasons 1 and 2 and the sub-status LOST/Gone; acme with the sample lead as
   * leads 1 to 3, globex with five leads of its own (owner sam, a follow-up due), so that the ids
   * 4 and 5 exist in globex only.
   */
  ApiFixture withAcmeAndGlobexLeads() throws IOException {
    for (String org : java.util.List.of(ACME, GLOBEX)) {
      send("POST", "/v2/leads/reasons", "[{\"reason\":\"Out of stock\"},{\"reason\":\"Too dear\"}]", "Authorization", org);
      send("POST", "/v2/leads/substatus", "{\"status\":\"LOST\",\"subStatus\":\"Gone\"}", "Authorization", org);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(acme("POST", "/v2/leads", HttpApiTest.SAMPLE_LEAD).status()).isEqualTo(200);
    }
    for (int i = 0; i < 5; i++) {
      assertThat(globex("POST", "/v2/leads", "{\"leadFor\":\"" + GLOBEX_SECRET + "\",\"owner\":\"sam\","
          + "\"idType\":\"EMAIL\",\"identifier\":\"g" + i + "@example.com\",\"nextFollowUp\":\"2026-11-28T10:00:00Z\"}")
          .status()).isEqualTo(200);
    }
    return this;
  }

  record Answer(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    int code() {
      return json().path("errors").path(0).path("code").asInt();
    }
  }

  /** Sends one request as written, on a connection of its own, and reads the whole answer. */
  Answer send(String method, String target, byte[] body, String... headers) throws IOException {
    ByteArrayOutputStream request = head(method, target, headers);
    if (body != null) {
      request.write(("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      request.write(body);
    } else {
      request.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return exchange(request.toByteArray());
  }

  /** Sends the body in chunks, without a Content-Length: the server learns its size only by reading it. */
  Answer sendChunked(String method, String target, byte[] body, String... headers) throws IOException {
    ByteArrayOutputStream request = head(method, target, headers);
    request.write("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    for (int at = 0; at < body.length; at += 8192) {
      int length = Math.min(8192, body.length - at);
      request.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.write(body, at, length);
      request.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    request.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return exchange(request.toByteArray());
  }

  private static ByteArrayOutputStream head(String method, String target, String... headers) throws IOException {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(head.toString().getBytes(StandardCharsets.UTF_8));
    return request;
  }

  private Answer exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", api.port())) {
      // Generous: the first requests of a JVM in which Jazzer's agent instruments every class as it
      // loads took over 10 s on a machine under a load of 30 (2 cores).
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (java.net.SocketException e) {
        // The server may answer (413) and close before it has read the whole body: read that answer.
      }
      return parse(socket.getInputStream().readAllBytes());
    }
  }

  Answer send(String method, String target, String body, String... headers) throws IOException {
    return send(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
  }

  Answer acme(String method, String target, String body) throws IOException {
    return send(method, target, body, "Authorization", ACME);
  }

  Answer globex(String method, String target, String body) throws IOException {
    return send(method, target, body, "Authorization", GLOBEX);
  }

  private static Answer parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    assertThat(end).as("an HTTP answer: %s", text).isPositive();
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunked(body);
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunked(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder size = new StringBuilder();
      for (int c = in.read(); c != '\n' && c != -1; c = in.read()) {
        if (c != '\r') {
          size.append((char) c);
        }
      }
      int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (length == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(length));
      in.readNBytes(2);
    }
  }

  /**
   * What every answer of the API must be, whatever it was sent: never a 5xx, an error in the API's
   * envelope with a known code, and neither a stack trace nor an internal class or package name.
   */
  static void assertWellFormed(Answer answer, String request) {
    assertThat(answer.status()).as("status of %s: %s", request, answer.body()).isLessThan(500);
    assertThat(internals(answer.body(), request)).as("internals in the answer to %s: %s", request, answer.body())
        .isEmpty();
    if (answer.status() < 400) {
      answer.json();
      return;
    }
    assertThat(answer.headers().get("content-type")).as("content type of %s: %s", request, answer).startsWith("application/json");
    JsonNode json = answer.json();
    assertThat(HttpApiTest.fields(json)).as("envelope of %s: %s", request, answer.body())
        .containsExactly("errors", "warnings");
    assertThat(json.get("warnings").isArray() && json.get("warnings").isEmpty()).isTrue();
    assertThat(json.get("errors").isArray() && !json.get("errors").isEmpty()).as("errors of %s", request).isTrue();
    for (Iterator<JsonNode> errors = json.get("errors").elements(); errors.hasNext(); ) {
      JsonNode error = errors.next();
      assertThat(error.get("status").isBoolean() && !error.get("status").asBoolean()).isTrue();
      assertThat(CODES).as("code of %s", request).contains(error.get("code").asInt());
      assertThat(error.get("message").isTextual()).isTrue();
    }
  }

  /**
   * The words of a body that look like a stack trace or an internal name, less those the request
   * itself sent. Errors quote the caller's text (cut to 64 characters, control characters left
   * out): an unknown field named {@code Exception80w} comes back in its 93002 message, and that
   * names nothing of the server's. A word counts as sent when its letters, digits, dots and
   * underscores stand in that order in the request, URL-decoded, with everything else left out.
   */
  static List<String> internals(String answer, String request) {
    String sent = wordCharacters(request) + " " + wordCharacters(urlDecoded(request));
    // A control character the caller sent comes back JSON-escaped (\u0000, \b): the escape's
    // letters and digits are the encoding's, not words of the server's.
    String body = JSON_ESCAPE.matcher(answer).replaceAll(" ");
    List<String> found = new ArrayList<>();
    Matcher matcher = INTERNALS.matcher(body);
    while (matcher.find()) {
      int start = matcher.start();
      int end = matcher.end();
      while (start > 0 && isWordCharacter(body.charAt(start - 1))) {
        start--;
      }
      while (end < body.length() && isWordCharacter(body.charAt(end))) {
        end++;
      }
      String word = wordCharacters(body.substring(start, end)).replaceAll("\\.+$", "");
      if (word.isEmpty() || !sent.contains(word)) {
        found.add(body.substring(start, end));
      }
    }
    return found;
  }

  private static boolean isWordCharacter(char c) {
    return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '$');
  }

  private static String wordCharacters(String text) {
    StringBuilder word = new StringBuilder(text.length());
    text.chars().filter(c -> isWordCharacter((char) c)).forEach(c -> word.append((char) c));
    return word.toString();
  }

  private static String urlDecoded(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  @Override
  public void close() {
    api.close();
    commands.close();
  }
}
