package io.lms.connect.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lms.connect.SharedKafka;
import io.lms.connect.TestPostgres;
import io.lms.runtime.LmsApplication;
import io.lms.runtime.LmsConfig;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Connect story on real parts: an upstream system writes commands to an outbox table in
 * PostgreSQL; Debezium (with its outbox router and our converter) puts them on lms.lead-commands;
 * LMS applies them; our sink lands lms.leads and lms.lead-events in analytics tables. The worker
 * is a real distributed Connect worker, configured through its REST API with the very JSON files
 * of {@code connectors/}, and it is stopped and started again half-way.
 *
 * <p>The broker requires SASL/SCRAM, as a managed Kafka does: the worker runs on the image's config
 * with its commented SASL block taken as documented, and LMS on its LMS_KAFKA_* settings.
 */
class OutboxToAnalyticsIT {
  static final Path CONFIGS = Path.of(System.getProperty("lms.connect.configs", "."));
  static final Path PLUGINS = Path.of(System.getProperty("lms.connect.plugins", "target/plugins"));
  static final List<String> CONNECTORS = List.of("lms-outbox-source", "lms-leads-postgres-sink", "lms-events-postgres-sink");
  static final Duration PATIENCE = Duration.ofSeconds(45);
  /** A commented setting of the worker config's SASL block: {@code #consumer.sasl.mechanism=...}. */
  static final Pattern SASL_SETTING = Pattern.compile("#((producer|consumer)\\.)?(security\\.protocol|sasl\\.[a-z.]+)=.+");

  @TempDir static Path stateDir;
  static TestPostgres.Database database;
  static LmsApplication app;
  static Map<String, String> workerProperties;
  static ConnectWorker worker;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.requireLogicalReplication();
    database = TestPostgres.createDatabase();
    try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
      statement.execute(Files.readString(CONFIGS.resolve("outbox.sql")));
    }
    // The connector files name the default topics (lms.*): this module's broker has no other LMS.
    String bootstrap = SharedKafka.bootstrapServers();
    Map<String, String> sasl = SharedKafka.clientSettings();
    TestEnvironment.set(Map.ofEntries(
        Map.entry("CONNECT_BOOTSTRAP_SERVERS", bootstrap),
        Map.entry("CONNECT_SECURITY_PROTOCOL", sasl.get("security.protocol")),
        Map.entry("CONNECT_SASL_MECHANISM", sasl.get("sasl.mechanism")),
        Map.entry("CONNECT_SASL_JAAS_CONFIG", sasl.get("sasl.jaas.config")),
        Map.entry("CONNECT_REST_ADVERTISED_HOST_NAME", "127.0.0.1"),
        Map.entry("LMS_ANALYTICS_JDBC_URL", database.jdbcUrl()),
        Map.entry("LMS_ANALYTICS_DB_USER", TestPostgres.USER),
        Map.entry("LMS_ANALYTICS_DB_PASSWORD", ""),
        Map.entry("LMS_OUTBOX_DB_HOST", TestPostgres.HOST),
        Map.entry("LMS_OUTBOX_DB_PORT", Integer.toString(TestPostgres.PORT)),
        Map.entry("LMS_OUTBOX_DB_NAME", database.name()),
        Map.entry("LMS_OUTBOX_DB_USER", TestPostgres.USER),
        Map.entry("LMS_OUTBOX_DB_PASSWORD", ""),
        Map.entry("LMS_OUTBOX_SLOT", database.slotName())));

    app = new LmsApplication(LmsConfig.parse(Map.of(), Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
        "LMS_KAFKA_SECURITY_PROTOCOL", sasl.get("security.protocol"),
        "LMS_KAFKA_SASL_MECHANISM", sasl.get("sasl.mechanism"),
        "LMS_KAFKA_SASL_JAAS_CONFIG", sasl.get("sasl.jaas.config"),
        "LMS_APPLICATION_ID", "lms-connect-it",
        "LMS_INSTANCE_SECRET", "connect-it-instance-secret-0123456789abcdef",
        "LMS_STATE_DIR", stateDir.toString(),
        "LMS_PARTITIONS", "2",
        "LMS_HTTP_PORT", "0")));
    app.start();
    assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

    // The image's worker config with its SASL block, but for what a worker inside a test JVM must
    // do otherwise.
    Path workerConfig = CONFIGS.resolve("connect-distributed.properties");
    workerProperties = new HashMap<>(properties(workerConfig));
    workerProperties.putAll(commentedSaslBlock(workerConfig));
    workerProperties.putAll(Map.of(
        "listeners", "http://127.0.0.1:0",
        "plugin.path", PLUGINS.toAbsolutePath().toString(),
        "config.providers.env.class", TestEnvironment.class.getName(),
        "offset.storage.partitions", "1",
        "status.storage.partitions", "1",
        "offset.flush.interval.ms", "1000"));
    worker = ConnectWorker.start(workerProperties);
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (app != null) {
      app.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void outboxCommandsLandInTheAnalyticsTablesNoneLostOrDoubledAcrossAWorkerRestart() throws Exception {
    for (String connector : CONNECTORS) {
      worker.putConnectorConfig(CONFIGS.resolve(connector + ".json"));
    }
    awaitConnectorsRunning();
    await("the outbox's replication slot").atMost(PATIENCE).until(() -> slotExists(database.slotName()));

    outbox("o1", "ConfigureReasons", null, "[{\"reason\":\"Bought elsewhere\"}]");
    outbox("o2", "CreateLead", null, createLead("item001", "tom@example.com"));
    outbox("o3", "CreateLead", null, createLead("item002", "ann@example.com"));
    outbox("o4", "ChangeStatus", 1L, "{\"status\":\"LOST\",\"reasonId\":1}");
    outbox("bad", "CreateLead", null, "{\"leadFor\":\"item003\",\"id\":99}"); // 93002: logged and skipped
    outbox("o5", "UpdateLead", 2L, "{\"owner\":\"anna.k\"}");

    await("the first commands in the analytics tables").atMost(PATIENCE).untilAsserted(() -> {
      assertThat(query("SELECT lead_id, status, owner FROM lms.leads ORDER BY lead_id"))
          .containsExactly(List.of(1L, "LOST", "-"), List.of(2L, "OPEN", "anna.k"));
      assertThat(count("SELECT count(*) FROM lms.lead_events")).isEqualTo(7);
    });

    worker.close();
    outbox("o6", "CreateLead", null, createLead("item003", "bob@example.com"));
    outbox("o7", "RecordFollowUp", 2L, "{\"followedUpOn\":\"2026-11-27T11:00:00Z\",\"notes\":\"called back\"}");
    worker = ConnectWorker.start(workerProperties);
    awaitConnectorsRunning();
    outboxAndDelete("o8", "ChangeStatus", 3L, "{\"status\":\"WON\",\"reasonId\":1}");
    outboxAndDelete("o9", "CreateLead", null, createLead("item004", "tom@example.com"));

    await("every command in the analytics tables").atMost(PATIENCE).untilAsserted(() -> {
      assertThat(query("SELECT lead_id, status, owner FROM lms.leads ORDER BY lead_id")).containsExactly(
          List.of(1L, "LOST", "-"), List.of(2L, "OPEN", "anna.k"), List.of(3L, "WON", "-"), List.of(4L, "OPEN", "-"));
      assertThat(count("SELECT count(*) FROM lms.lead_events")).isEqualTo(12);
    });
    assertThat(query("SELECT kind, count(*)::int FROM lms.lead_events GROUP BY kind ORDER BY kind")).containsExactly(
        List.of("CustomerRegistered", 3), List.of("FollowedUp", 1), List.of("LeadCreated", 4),
        List.of("LeadUpdated", 1), List.of("ReasonsConfigured", 1), List.of("StatusChanged", 2));
    assertThat(query("SELECT follow_ups, lead->'followUpDetails'->0->>'notes' FROM lms.leads WHERE lead_id = 2"))
        .containsExactly(List.of(1, "called back"));

    LmsTopics topics = LmsTopics.defaults();
    List<String> commandIds = readAll(topics.commands().name(), SingleObjectCodec.of(LeadCommand.class)::decode)
        .stream().map(LeadCommand::getCommandId).toList();
    assertThat(commandIds).as("each outbox row once on lms.lead-commands, the bad one never")
        .containsExactlyInAnyOrder("o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9");
    assertThat(readAll(topics.results().name(), SingleObjectCodec.of(CommandResult.class)::decode))
        .hasSize(9).allSatisfy(r -> assertThat(r.getOutcome()).isInstanceOf(Accepted.class));
    List<String> eventIds = readAll(topics.events().name(), SingleObjectCodec.of(LeadEvent.class)::decode)
        .stream().map(LeadEvent::getEventId).toList();
    assertThat(eventIds).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(query("SELECT event_id FROM lms.lead_events").stream().map(r -> (String) r.get(0)).toList());
  }

  static Map<String, String> properties(Path file) throws java.io.IOException {
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }

  /** The lines the worker config tells an operator to uncomment for a cluster that requires SASL. */
  static Map<String, String> commentedSaslBlock(Path file) throws IOException {
    var block = new Properties();
    for (String line : Files.readAllLines(file)) {
      if (SASL_SETTING.matcher(line).matches()) {
        block.load(new StringReader(line.substring(1)));
      }
    }
    assertThat(block).as("the SASL block of %s", file).hasSize(9);
    Map<String, String> map = new HashMap<>();
    block.stringPropertyNames().forEach(name -> map.put(name, block.getProperty(name)));
    return map;
  }

  static String createLead(String leadFor, String email) {
    return "{\"type\":\"SKU\",\"leadFor\":\"" + leadFor + "\",\"idType\":\"EMAIL\",\"identifier\":\"" + email
        + "\",\"status\":\"OPEN\",\"nextFollowUp\":\"2026-12-01T10:00:00+05:30\"}";
  }

  static String envelope(String commandId, String kind, Long leadId, String body) {
    return "{\"commandId\":\"" + commandId + "\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"" + kind + "\""
        + (leadId == null ? "" : ",\"leadId\":" + leadId) + ",\"body\":" + body + "}";
  }

  /** What an upstream system does: insert the command beside its own change, in one transaction. */
  static void outbox(String commandId, String kind, Long leadId, String body) throws Exception {
    try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO public.lms_outbox (id, aggregateid, type, payload) VALUES (gen_random_uuid(), 'acme', ?, ?::jsonb)")) {
      insert.setString(1, kind);
      insert.setString(2, envelope(commandId, kind, leadId, body));
      insert.executeUpdate();
    }
  }

  /** The outbox kept empty, as many do: the row is in the WAL, which is all Debezium reads. */
  static void outboxAndDelete(String commandId, String kind, Long leadId, String body) throws Exception {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO public.lms_outbox (id, aggregateid, type, payload) VALUES (gen_random_uuid(), 'acme', ?, ?::jsonb) RETURNING id")) {
        insert.setString(1, kind);
        insert.setString(2, envelope(commandId, kind, leadId, body));
        try (ResultSet id = insert.executeQuery(); PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM public.lms_outbox WHERE id = ?")) {
          id.next();
          delete.setObject(1, id.getObject(1));
          delete.executeUpdate();
        }
      }
      connection.commit();
    }
  }

  static void awaitConnectorsRunning() {
    await("the connectors running").atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (String connector : CONNECTORS) {
        if (!worker.running(connector)) {
          return false;
        }
      }
      return true;
    });
  }

  static boolean slotExists(String slot) throws Exception {
    try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
        "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      query.setString(1, slot);
      try (ResultSet result = query.executeQuery()) {
        return result.next();
      }
    }
  }

  /** Rows as lists, a SQL NULL as "-" (list literals cannot hold null). */
  static List<List<Object>> query(String sql) throws Exception {
    try (Connection connection = database.connect(); Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          Object value = result.getObject(i);
          row.add(value == null ? "-" : value);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static long count(String sql) throws Exception {
    try {
      return ((Number) query(sql).get(0).get(0)).longValue();
    } catch (java.sql.SQLException e) {
      return -1; // the sink has not created the table yet
    }
  }

  /** Every committed record of a topic, up to its end now. */
  static <V> List<V> readAll(String topic, Function<byte[], V> decode) {
    Map<String, Object> config = app.config().kafkaClientSettings().connection(app.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
      end.putAll(consumer.endOffsets(partitions));
      List<V> values = new ArrayList<>();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(decode.apply(record.value()));
        }
      }
      return values;
    }
  }
}
