package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lms.command.json.CommandEnvelope;
import io.lms.http.ApiJson;
import io.lms.http.PasswordHash;
import io.lms.schema.Accepted;
import io.lms.schema.ChangeStatus;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands of an org that arrive on partitions other than the org's, on a real broker and the real
 * service: sent to every partition by number, and placed by librdkafka's partitioner (CRC32). Each
 * must be applied once, in its org's task, in the order it reached the org's partition; lead ids
 * stay one dense sequence per org, {@code lms.leads} agrees with what the API reads, and every
 * command has its result.
 */
class MisroutedCommandsIT {
  static final int PARTITIONS = 4;
  static final SingleObjectCodec<LeadCommand> COMMANDS = SingleObjectCodec.of(LeadCommand.class);
  static final SingleObjectCodec<CommandResult> RESULTS = SingleObjectCodec.of(CommandResult.class);
  static final SingleObjectCodec<LeadEvent> EVENTS = SingleObjectCodec.of(LeadEvent.class);
  static final SingleObjectCodec<LeadState> LEADS = SingleObjectCodec.of(LeadState.class);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Orgs a librdkafka producer sends: some land on their own partition, some do not. */
  static final List<String> LIBRDKAFKA_ORGS = List.of("north", "south", "east", "west", "tills-1", "tills-2");

  @TempDir static Path dir;
  static LmsApplication app;
  static LmsTopics topics;

  @BeforeAll
  static void start() throws Exception {
    List<String> users = new ArrayList<>();
    for (String org : concat(List.of("acme"), LIBRDKAFKA_ORGS)) {
      users.add(org + "-till = " + org + ":7:" + PasswordHash.hash(("pw-" + org).toCharArray()));
    }
    Path credentials = dir.resolve("credentials.properties");
    Files.writeString(credentials, String.join("\n", users), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>(SharedKafka.isolatedEnvironment("misrouted", dir.resolve("state")));
    env.put("LMS_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("LMS_CREDENTIALS_FILE", credentials.toString());
    LmsConfig config = LmsConfig.parse(Map.of(), env);
    topics = config.topics();
    app = SharedKafka.startRunning(config);
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready", null).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static int homeOf(String org) {
    return Utils.toPositive(Utils.murmur2(org.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  static HttpResponse<String> get(String path, String org) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpAddress().port() + path));
    if (org != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((org + "-till:pw-" + org).getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One command of a script: its id, its value (Avro or JSON), whether it creates a lead. */
  record Command(String org, String commandId, byte[] value, boolean creates) {}

  /**
   * An org's script: its reasons, {@code leads} new leads, then a status change of each; every
   * third create and every fourth status change as a JSON envelope, the rest in Avro.
   */
  static List<Command> script(String org, int leads) {
    Instant at = Instant.parse("2026-11-27T10:00:00Z");
    List<Command> script = new ArrayList<>();
    script.add(avro(new LeadCommand(org + "-reasons", org, 7L, at, new ConfigureReasons(List.of("Out of stock", "Too dear"))), false));
    for (int i = 1; i <= leads; i++) {
      String id = org + "-create-" + i;
      script.add(i % 3 == 0
          ? json(org, id, "CreateLead", null, "{\"leadFor\":\"item-" + i + "\",\"idType\":\"EMAIL\",\"identifier\":\"c" + i + "@example.com\"}", true)
          : avro(new LeadCommand(id, org, 7L, at.plusSeconds(i), CreateLead.newBuilder()
              .setLeadFor("item-" + i).setIdType("EMAIL").setIdentifier("c" + i + "@example.com").build()), true));
    }
    for (int i = 1; i <= leads; i++) {
      String id = org + "-hold-" + i;
      script.add(i % 4 == 0
          ? json(org, id, "ChangeStatus", (long) i, "{\"status\":\"ON_HOLD\",\"reasonId\":1}", false)
          : avro(new LeadCommand(id, org, 7L, at.plusSeconds(1000 + i), new ChangeStatus((long) i, "ON_HOLD", null, 1L, null, null)), false));
    }
    return script;
  }

  static Command avro(LeadCommand command, boolean creates) {
    return new Command(command.getOrgId(), command.getCommandId(), COMMANDS.encode(command), creates);
  }

  static Command json(String org, String id, String kind, Long leadId, String body, boolean creates) {
    String json = "{\"commandId\":\"" + id + "\",\"org\":\"" + org + "\",\"actorId\":7,\"kind\":\"" + kind + "\""
        + (leadId == null ? "" : ",\"leadId\":" + leadId) + ",\"body\":" + body + "}";
    return new Command(org, id, json.getBytes(StandardCharsets.UTF_8), creates);
  }

  /** The org and commandId of a command value, Avro or JSON; null for bytes that are neither. */
  static String[] orgAndIdOf(byte[] value) {
    try {
      if (value != null && value.length > 0 && value[0] == '{') {
        CommandEnvelope envelope = CommandEnvelope.parse(value);
        return new String[] {envelope.org(), envelope.commandId()};
      }
      LeadCommand command = COMMANDS.decode(value);
      return new String[] {command.getOrgId(), command.getCommandId()};
    } catch (RuntimeException e) {
      return null;
    }
  }

  static <V> List<ConsumerRecord<String, V>> everything(String topic, Function<byte[], V> decode) {
    return CommittedRecords.readToEnd(app.bootstrapServers(), topic, decode);
  }

  static double moved() {
    return app.streams().metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("commands-moved-total"))
        .mapToDouble(e -> (Double) e.getValue().metricValue()).sum();
  }

  /** What LMS wrote, read once all the commands sent have their results. */
  record Written(List<ConsumerRecord<String, byte[]>> commands, List<ConsumerRecord<String, CommandResult>> results,
      List<LeadEvent> events, List<ConsumerRecord<String, LeadState>> leads) {
    static Written once(Map<String, List<Command>> sent) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        var results = everything(topics.results().name(), RESULTS::decode);
        return sent.entrySet().stream().allMatch(org ->
            results.stream().filter(r -> r.key().equals(org.getKey())).count() >= org.getValue().size());
      });
      return new Written(everything(topics.commands().name(), bytes -> bytes), everything(topics.results().name(), RESULTS::decode),
          everything(topics.events().name(), EVENTS::decode).stream().map(ConsumerRecord::value).toList(),
          everything(topics.leads().name(), LEADS::decode));
    }
  }

  /** Every check of this test for one org. */
  static void thenEachCommandWasAppliedOnceInItsOrgsOrder(String org, List<Command> sent, Written written) throws Exception {
    List<CommandResult> results = written.results().stream()
        .filter(r -> r.key().equals(org)).map(ConsumerRecord::value).toList();

    // a result for every command, once
    assertThat(results).extracting(CommandResult::getCommandId)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(Command::commandId).toList());

    // applied in the order the commands reached the org's partition, directly or moved there
    List<String> atHome = new ArrayList<>();
    for (var record : written.commands()) {
      String[] orgAndId = orgAndIdOf(record.value());
      if (record.partition() == homeOf(org) && orgAndId != null && orgAndId[0].equals(org)) {
        atHome.add(orgAndId[1]);
      }
    }
    assertThat(results).extracting(CommandResult::getCommandId).containsExactlyElementsOf(atHome);

    // lead ids one dense sequence, each created once
    long creates = sent.stream().filter(Command::creates).count();
    assertThat(results).filteredOn(r -> r.getCommandId().contains("-create-"))
        .extracting(r -> ((Accepted) r.getOutcome()).getLead().getId())
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, creates).boxed().toList());
    List<LeadEvent> created = written.events().stream().filter(e -> e.getOrgId().equals(org) && e.getPayload() instanceof LeadCreated).toList();
    assertThat(created).extracting(LeadEvent::getLeadId).doesNotHaveDuplicates().hasSize((int) creates);

    // lms.leads holds what the API reads
    Map<String, LeadState> latest = new LinkedHashMap<>();
    written.leads().stream()
        .filter(r -> r.key().startsWith(org + ":")).forEach(r -> latest.put(r.key(), r.value()));
    assertThat(latest).hasSize((int) creates);
    for (LeadState lead : latest.values()) {
      HttpResponse<String> read = get("/v2/leads/" + lead.getId(), org);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).isEqualTo(new String(ApiJson.lead(lead), StandardCharsets.UTF_8));
    }
  }

  @Test
  void commandsOfOneOrgSentToEveryPartitionAreAppliedOnceInTheirOrgsTask() throws Exception {
    String org = "acme";
    List<Command> script = script(org, 24);
    double movedBefore = moved();
    int sentElsewhere = 0;
    byte[] brokenJson = "{\"commandId\":\"acme-broken\",\"org\":\"acme\",\"body\":".getBytes(StandardCharsets.UTF_8);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < script.size(); i++) {
        int partition = i % PARTITIONS;
        sentElsewhere += partition == homeOf(org) ? 0 : 1;
        producer.send(new ProducerRecord<>(topics.commands().name(), partition, org, script.get(i).value())).get();
      }
      // and JSON that is no command, on a partition not the org's: never moved, a dead letter
      producer.send(new ProducerRecord<>(topics.commands().name(), (homeOf(org) + 1) % PARTITIONS, org, brokenJson)).get();
    }

    thenEachCommandWasAppliedOnceInItsOrgsOrder(org, script, Written.once(Map.of(org, script)));
    assertThat(moved() - movedBefore).isEqualTo(sentElsewhere);
    var dead = CommittedRecords.read(app.bootstrapServers(), topics.deadLetter(), bytes -> bytes, 1);
    assertThat(dead).singleElement().satisfies(r -> {
      assertThat(r.value()).isEqualTo(brokenJson);
      assertThat(new String(r.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
          .contains("Cannot read a JSON command envelope");
    });
    // Micrometer takes up the new task metrics within a minute
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
        .until(() -> get("/metrics", null).body().contains("commands_moved_total"));
  }

  @Test
  void commandsPlacedByLibrdkafkasPartitionerAreAppliedOnceInTheirOrgsTask() throws Exception {
    assertThat(LIBRDKAFKA_ORGS).as("some orgs land elsewhere, some at home")
        .anyMatch(org -> LibrdkafkaConsistentRandomPartitioner.partitionOf(org.getBytes(StandardCharsets.UTF_8), PARTITIONS) != homeOf(org))
        .anyMatch(org -> LibrdkafkaConsistentRandomPartitioner.partitionOf(org.getBytes(StandardCharsets.UTF_8), PARTITIONS) == homeOf(org));
    Map<String, List<Command>> scripts = new LinkedHashMap<>();
    LIBRDKAFKA_ORGS.forEach(org -> scripts.put(org, script(org, 12)));
    double movedBefore = moved();
    long sentElsewhere = 0;
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaConsistentRandomPartitioner.class.getName()),
        new StringSerializer(), new ByteArraySerializer())) {
      // the orgs' scripts interleaved, as several tills would send them
      for (int i = 0; i < scripts.values().iterator().next().size(); i++) {
        for (List<Command> script : scripts.values()) {
          Command command = script.get(i);
          var sent = producer.send(new ProducerRecord<>(topics.commands().name(), command.org(), command.value())).get();
          sentElsewhere += sent.partition() == homeOf(command.org()) ? 0 : 1;
        }
      }
    }

    Written written = Written.once(scripts);
    for (var script : scripts.entrySet()) {
      thenEachCommandWasAppliedOnceInItsOrgsOrder(script.getKey(), script.getValue(), written);
    }
    assertThat(sentElsewhere).isPositive();
    assertThat(moved() - movedBefore).isEqualTo(sentElsewhere);
  }
}
