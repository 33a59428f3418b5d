package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.http.PasswordHash;
import io.lms.registry.SchemaRegistryClient;
import io.lms.registry.SchemaRegistryException;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.CreateSubStatus;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.schema.codec.ConfluentCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LMS with a real schema registry (Apicurio Registry, through Confluent's API): it registers the
 * schema of every topic, refuses to start when the registry holds an incompatible one, applies
 * commands in Confluent's framing written with a schema another writer registered, and writes every
 * topic so that a consumer that knows nothing but the registry reads it.
 */
class SchemaRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  static ApicurioRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = ApicurioRegistry.start();
    // Apicurio's default is NONE (anything goes); Confluent's is BACKWARD, which is what LMS keeps to.
    assertThat(registryCall("PUT", "/config", "{\"compatibility\":\"BACKWARD\"}").path("compatibility").asText())
        .isEqualTo("BACKWARD");
  }

  @AfterAll
  static void stopRegistry() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void refusesToStartWhenTheRegistryHoldsASchemaItsOwnIsIncompatibleWith() throws Exception {
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("registry-refused", dir.resolve("refused")));
    env.put("LMS_SCHEMA_REGISTRY_URL", registry.confluentApi());
    String prefix = env.get("LMS_TOPIC_PREFIX");
    // Another writer's LeadState, whose orgId is a number: LMS's cannot read what it wrote.
    registryCall("POST", "/subjects/" + prefix + "leads-value/versions", JSON.createObjectNode().put("schema",
        "{\"type\":\"record\",\"name\":\"LeadState\",\"namespace\":\"io.lms.schema\","
            + "\"fields\":[{\"name\":\"orgId\",\"type\":\"long\"}]}").toString());

    try (var app = new LmsApplication(LmsConfig.parse(Map.of(), env))) {
      assertThatThrownBy(app::start)
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining(registry.confluentApi())
          .hasMessageContaining(prefix + "leads-value (io.lms.schema.LeadState, compatibility")
          .hasMessageContaining("INCOMPATIBLE")
          .hasMessageContaining("global BACKWARD")
          // Apicurio's reason: LMS's orgId, a string, cannot read the other writer's long
          .hasMessageContaining("reader type: STRING not compatible with writer type: LONG at /fields/0/type");
    }
    // The service says so in one line and exits 1.
    var stderr = new java.io.ByteArrayOutputStream();
    var originalErr = System.err;
    System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      assertThat(LmsMain.run(Optional.empty(), env)).isEqualTo(1);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("lms-streams: Schema registry " + registry.confluentApi())
        .hasLineCount(1);
    // Every schema is tested before any is registered: the refusal left the registry as it was.
    assertThat(registryCall("GET", "/subjects", null).toString())
        .contains(prefix + "leads-value").doesNotContain(prefix + "lead-events-value");
  }

  @Test
  void appliesConfluentFramedCommandsAndWritesEveryTopicForAConsumerThatKnowsOnlyTheRegistry() throws Exception {
    Path credentials = dir.resolve("credentials.properties");
    Files.writeString(credentials, "acme-till = acme:7:" + PasswordHash.hash("acme-secret".toCharArray()));
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("registry", dir.resolve("state")));
    env.put("LMS_SCHEMA_REGISTRY_URL", registry.confluentApi());
    env.put("LMS_CREDENTIALS_FILE", credentials.toString());
    String prefix = env.get("LMS_TOPIC_PREFIX");
    String commandTopic = prefix + "lead-commands";
    // given an upstream producer that registered, before this LMS started, a LeadCommand of its
    // own: LMS's with one more field, which LMS does not know and reads past
    var producerSide = new SchemaRegistryClient(URI.create(registry.confluentApi()), Optional.empty());
    Schema producers = withTraceId(LeadCommand.getClassSchema());
    int producerId = producerSide.register(commandTopic + "-value", producers);
    LmsConfig config = LmsConfig.parse(Map.of(), env);
    try (LmsApplication app = SharedKafka.startRunning(config);
        KafkaProducer<String, byte[]> producer = SharedKafka.upstreamProducer(app.bootstrapServers())) {
      assertThat(app.awaitWritable(Duration.ofSeconds(30))).isTrue();
      int lmsCommandId = latestId(commandTopic + "-value");
      assertThat(lmsCommandId).as("LMS registered its own LeadCommand, a version after the producer's")
          .isNotEqualTo(producerId);

      // when it sends commands in Confluent's framing, one with an id no registry knows, and the
      // HTTP API takes a write (sent by LMS itself, in Confluent's framing with LMS's id)
      for (Object payload : List.of(new ConfigureReasons(List.of("Bought elsewhere")), new CreateSubStatus("OPEN", "Fresh"),
          CreateLead.newBuilder().setLeadFor("sku-1").setIdType("EMAIL").setIdentifier("a@example.com").build())) {
        LeadCommand command = new LeadCommand("c" + System.nanoTime(), "acme", 7L, Instant.now(), payload);
        producer.send(new ProducerRecord<>(commandTopic, "acme", framed(producerId, producers, command))).get();
      }
      byte[] unknownId = framed(Integer.MAX_VALUE, producers,
          new LeadCommand("c-unknown", "acme", 7L, Instant.now(), new ConfigureReasons(List.of("never"))));
      producer.send(new ProducerRecord<>(commandTopic, "acme", unknownId)).get();
      HttpResponse<String> viaHttp = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + app.httpAddress().port() + "/v2/leads/reasons"))
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("acme-till:acme-secret".getBytes(StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("[{\"reason\":\"Via HTTP\"}]")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(viaHttp.statusCode()).as(viaHttp.body()).isEqualTo(200);

      // then every topic holds Confluent framing with the id registered for its subject, and a
      // reader that has nothing but the registry decodes it
      List<CommandResult> results = readThroughTheRegistry(app, prefix + "command-results", CommandResult.class, 4);
      assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.getOutcome()).isInstanceOf(Accepted.class));
      assertThat(readThroughTheRegistry(app, prefix + "leads", LeadState.class, 1))
          .singleElement().satisfies(lead -> assertThat(lead.getLeadFor()).isEqualTo("sku-1"));
      assertThat(readThroughTheRegistry(app, prefix + "lead-events", LeadEvent.class, 5))
          .extracting(e -> e.getPayload().getClass().getSimpleName())
          .contains("ReasonsConfigured", "SubStatusCreated", "CustomerRegistered", "LeadCreated");
      assertThat(readThroughTheRegistry(app, prefix + "reasons", Reason.class, 2))
          .extracting(Reason::getReason).containsExactlyInAnyOrder("Bought elsewhere", "Via HTTP");
      assertThat(readThroughTheRegistry(app, prefix + "substatuses", SubStatus.class, 1))
          .extracting(SubStatus::getSubStatus).containsExactly("Fresh");
      List<ConsumerRecord<String, byte[]>> commands = CommittedRecords.read(app.bootstrapServers(), commandTopic, b -> b, 5);
      assertThat(commands).extracting(r -> ConfluentCodec.schemaIdOf(r.value()))
          .containsExactlyInAnyOrder(producerId, producerId, producerId, Integer.MAX_VALUE, lmsCommandId);

      // and the command with an unknown id went to the dead-letter topic as it came, saying why
      assertThat(CommittedRecords.read(app.bootstrapServers(), prefix + "lead-commands-dlq", b -> b, 1))
          .singleElement().satisfies(dead -> {
            assertThat(dead.value()).isEqualTo(unknownId);
            assertThat(new String(dead.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                .contains("no schema with id " + Integer.MAX_VALUE);
          });
    }
  }

  /**
   * The committed values of {@code topic}, each checked to carry the id the registry holds as the
   * latest of the topic's subject, and decoded with the writer's schema the registry gives for it.
   */
  private static <T extends SpecificRecord> List<T> readThroughTheRegistry(
      LmsApplication app, String topic, Class<T> type, int expected) throws Exception {
    int id = latestId(topic + "-value");
    var reader = ConfluentCodec.of(type, new SchemaRegistryClient(URI.create(registry.confluentApi()), Optional.empty()));
    List<ConsumerRecord<String, byte[]>> records = CommittedRecords.read(app.bootstrapServers(), topic, b -> b, expected);
    assertThat(records).as("records on %s", topic).hasSizeGreaterThanOrEqualTo(expected);
    assertThat(records).as("schema ids on %s", topic).allSatisfy(r -> assertThat(ConfluentCodec.schemaIdOf(r.value())).isEqualTo(id));
    return records.stream().map(r -> reader.decode(r.value())).toList();
  }

  private static int latestId(String subject) throws Exception {
    return registryCall("GET", "/subjects/" + subject + "/versions/latest", null).path("id").asInt();
  }

  /** {@code schema} with one more field, {@code traceId}, optional. */
  private static Schema withTraceId(Schema schema) throws IOException {
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(schema.toString());
    json.withArray("fields").addObject().put("name", "traceId").putNull("default")
        .putArray("type").add("null").add("string");
    return new Schema.Parser().parse(json.toString());
  }

  /**
   * A command as a producer with Confluent's serializer and its own schema writes it: 0x00, the id,
   * the binary record of {@code schema}, here LeadCommand's fields and a traceId.
   */
  private static byte[] framed(int id, Schema schema, LeadCommand command) throws IOException {
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : LeadCommand.getClassSchema().getFields()) {
      record.put(field.name(), command.get(field.name()));
    }
    record.put("traceId", "trace-" + command.getCommandId());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    // Specific data: the payload is a generated record, written by the schema of its name in the union.
    new SpecificDatumWriter<GenericRecord>(schema, SpecificData.getForClass(LeadCommand.class)).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static JsonNode registryCall(String method, String path, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentApi() + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
