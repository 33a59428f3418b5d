package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.runtime.LmsApplication;
import io.lms.runtime.LmsConfig;
import io.lms.runtime.LmsMain;
import io.lms.runtime.SaslKafka;
import io.lms.runtime.SharedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LMS on a cluster that requires SASL (SCRAM-SHA-256), as every managed Kafka does: the service
 * given nothing but the LMS_KAFKA_* settings, the tools given a --command-config, and a wrong
 * password that fails at once with a message saying so, the password printed nowhere.
 *
 * <p>The broker's client listener takes SASL only, so every client that did not get the settings
 * (the provisioning admin, the HTTP layer's producer and results consumer, Kafka Streams' clients,
 * the tools') would never get through: the write, the read and the tools' output prove they all did.
 */
class SecuredClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String WRONG_PASSWORD = "not-the-pa55word";

  @TempDir static Path dir;
  static SaslKafka kafka;
  static LmsApplication app;

  @BeforeAll
  static void start() throws Exception {
    kafka = SaslKafka.start();
    app = new LmsApplication(LmsConfig.parse(Map.of(), serviceEnvironment(SaslKafka.PASSWORD, "state")));
    app.start();
    assertThat(app.awaitRunning(Duration.ofSeconds(45))).isTrue();
    assertThat(app.awaitWritable(Duration.ofSeconds(15))).isTrue();
  }

  @AfterAll
  static void stop() {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /** Where the cluster is and how to log in to it, and what an instance must have besides. */
  private static Map<String, String> serviceEnvironment(String password, String stateDir) {
    Map<String, String> settings = SaslKafka.clientSettings(password);
    return Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "LMS_KAFKA_SECURITY_PROTOCOL", settings.get("security.protocol"),
        "LMS_KAFKA_SASL_MECHANISM", settings.get("sasl.mechanism"),
        "LMS_KAFKA_SASL_JAAS_CONFIG", settings.get("sasl.jaas.config"),
        "LMS_INSTANCE_SECRET", SharedKafka.INSTANCE_SECRET,
        "LMS_STATE_DIR", dir.resolve(stateDir).toString(),
        "LMS_HTTP_PORT", "0",
        "LMS_PARTITIONS", "2");
  }

  /** A Kafka client properties file, as Kafka's own tools take with --command-config. */
  private static Path commandConfig(String password) throws Exception {
    var props = new Properties();
    props.putAll(SaslKafka.clientSettings(password));
    Path file = dir.resolve(password + ".properties");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(out, null);
    }
    return file;
  }

  private static JsonNode http(String method, String path, String body) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpAddress().port() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (LmsApplication.DEMO_USER + ":" + LmsApplication.DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void theServiceWritesAndReadsOverHttpWithNothingButTheLmsKafkaSettings() throws Exception {
    // when a lead is created over HTTP (answered only after its transaction committed)
    JsonNode created = http("POST", "/v2/leads",
        "{\"type\":\"SKU\",\"leadFor\":\"item-sasl\",\"idType\":\"EMAIL\",\"identifier\":\"ann@example.com\"}");

    // then it reads back, from the state store Kafka Streams filled through the SASL listener
    JsonNode read = http("GET", "/v2/leads/" + created.get("id").asLong(), null);
    assertThat(read.get("leadFor").asText()).isEqualTo("item-sasl");
  }

  @Test
  void theToolsTakeACommandConfigOverTheEnvironment() throws Exception {
    // given an environment whose password is wrong, and a command config whose password is right
    Map<String, String> env = Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "LMS_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "LMS_KAFKA_SASL_MECHANISM", SaslKafka.MECHANISM,
        "LMS_KAFKA_SASL_JAAS_CONFIG", SaslKafka.jaasConfig(SaslKafka.USER, WRONG_PASSWORD));
    String config = commandConfig(SaslKafka.PASSWORD).toString();

    // when the topics are checked, then the service's are all there
    Cli topics = Cli.run(env, "topics", "--partitions", "2", "--command-config", config);
    assertThat(topics.exitCode()).as(topics.err()).isZero();
    assertThat(topics.out().lines()).hasSize(7).allSatisfy(line -> assertThat(line).startsWith("exists"));

    // when a file is imported, then the service accepts every line
    Path leads = Files.writeString(dir.resolve("sasl-leads.jsonl"),
        "{\"leadFor\":\"sku-1\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}\n"
            + "{\"leadFor\":\"sku-2\",\"idType\":\"EMAIL\",\"identifier\":\"b@example.com\"}\n");
    Cli imported = Cli.run(env, "import", leads.toString(), "--org", LmsApplication.DEMO_ORG, "--staff-id", "7",
        "--command-config", config);
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).containsPattern("accepted\\s+2\n");

    // when the results are tailed, then they are the import's
    Cli tail = Cli.run(env, "tail", "command-results", "--command-config", config);
    assertThat(tail.exitCode()).as(tail.err()).isZero();
    assertThat(tail.out()).contains("\"commandId\":\"sasl-leads.jsonl:1\"", "\"commandId\":\"sasl-leads.jsonl:2\"");
  }

  @Test
  void aWrongPasswordFailsAtOnceSayingSoAndIsPrintedNowhere() throws Exception {
    // when the tools are given a wrong password, by command config or by environment
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    Cli tail = Cli.run(env, "tail", "--command-config", commandConfig(WRONG_PASSWORD).toString());
    Map<String, String> wrongEnv = new HashMap<>(serviceEnvironment(WRONG_PASSWORD, "unused"));
    long topicsStart = System.nanoTime();
    Cli topics = Cli.run(wrongEnv, "topics");

    // then each says in one line that Kafka refused the credentials, and exits 1
    for (Cli cli : new Cli[] {tail, topics}) {
      assertThat(cli.exitCode()).as(cli.err()).isEqualTo(LmsCli.FAILED);
      assertThat(cli.err().strip()).doesNotContain("\n")
          .contains("Kafka refused the credentials", "Authentication failed", SaslKafka.MECHANISM)
          .doesNotContain(WRONG_PASSWORD);
    }
    // rather than wait out the two minutes it gives brokers to come up
    assertThat(Duration.ofNanos(System.nanoTime() - topicsStart)).isLessThan(Duration.ofSeconds(20));

    // when the service starts with it, then it stops at once with exit code 1, saying why
    var stderr = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exitCode;
    long serviceStart = System.nanoTime();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      exitCode = LmsMain.run(Optional.empty(), wrongEnv);
    } finally {
      System.setErr(original);
    }
    String printed = stderr.toString(StandardCharsets.UTF_8);
    assertThat(exitCode).as(printed).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - serviceStart)).isLessThan(Duration.ofSeconds(20));
    assertThat(printed).contains("lms-streams: Kafka refused the credentials: Authentication failed",
        "LMS_KAFKA_SASL_JAAS_CONFIG").doesNotContain(WRONG_PASSWORD, SaslKafka.PASSWORD);
  }
}
