package io.lms.connect.postgres;

import static java.util.Arrays.asList;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.connect.TestPostgres;
import io.lms.connect.converter.LmsAvroConverter;
import io.lms.connect.converter.SampleRecords;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.codec.SingleObjectCodec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink's writes on a real PostgreSQL, without a Connect worker around them. */
class LmsPostgresSinkIT {
  static TestPostgres.Database database;
  static final LmsAvroConverter CONVERTER = new LmsAvroConverter();
  static long offset;

  @BeforeAll
  static void createDatabase() throws Exception {
    CONVERTER.configure(Map.of(), false);
    database = TestPostgres.createDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  static Map<String, String> config(String table, String kind) {
    return Map.of("connection.url", database.jdbcUrl(), "connection.user", TestPostgres.USER,
        "table.name", table, "table.kind", kind);
  }

  static <T extends SpecificRecord> SinkRecord record(String topic, Class<T> type, T value) {
    SchemaAndValue data = CONVERTER.toConnectData(topic, SingleObjectCodec.of(type).encode(value));
    return new SinkRecord(topic, 0, null, "key", data.schema(), data.value(), offset++);
  }

  static LmsPostgresSinkTask start(Map<String, String> config) {
    LmsPostgresSinkConnector connector = new LmsPostgresSinkConnector();
    connector.start(config);
    LmsPostgresSinkTask task = new LmsPostgresSinkTask();
    task.start(connector.taskConfigs(1).get(0));
    return task;
  }

  @Test
  void connectorsStartingTogetherCreateTheirSharedSchemaWithoutColliding() throws Exception {
    for (int round = 0; round < 5; round++) {
      String schema = "together_" + round;
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (Map<String, String> config : List.of(config(schema + ".leads", "leads"), config(schema + ".lead_events", "lead-events"))) {
        starts.add(CompletableFuture.runAsync(() -> {
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          new LmsPostgresSinkConnector().start(config);
        }));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    assertThat(query("SELECT count(*)::int FROM information_schema.tables WHERE table_schema LIKE 'together_%'"))
        .containsExactly(List.of(10));
  }

  static List<List<Object>> query(String sql) throws Exception {
    try (Connection connection = database.connect(); Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          row.add(result.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  @Test
  void aLeadsLatestStateReplacesItsRowEvenWhenBothAreInOneBatch() throws Exception {
    LmsPostgresSinkTask task = start(config("lms.leads", "leads"));
    LeadState first = SampleRecords.lead();
    LeadState won = LeadState.newBuilder(first).setStatus(LeadStatus.WON).setSubStatus(null).build();
    LeadState other = LeadState.newBuilder(first).setId(13L).build();

    task.put(List.of(record("lms.leads", LeadState.class, first), record("lms.leads", LeadState.class, other),
        record("lms.leads", LeadState.class, won)));
    task.put(List.of(record("lms.leads", LeadState.class, won))); // redelivered after a restart
    task.stop();

    assertThat(query("SELECT lead_id, status, sub_status, lead->>'status', extended_fields->>'colour' FROM lms.leads ORDER BY lead_id"))
        .containsExactly(asList(12L, "WON", null, "WON", "red"), asList(13L, "ON_HOLD", "Waiting", "ON_HOLD", "red"));
  }

  @Test
  void anEventIsInsertedOnceHoweverOftenItIsDelivered() throws Exception {
    LmsPostgresSinkTask task = start(config("lead_events", "lead-events"));
    List<SinkRecord> events = new ArrayList<>();
    for (LeadEvent event : SampleRecords.events()) {
      events.add(record("lms.lead-events", LeadEvent.class, event));
    }

    task.put(events);
    task.put(events.subList(1, 3));
    task.stop();

    assertThat(query("SELECT event_id, kind, status, from_status FROM lead_events ORDER BY event_id")).containsExactly(
        asList("c1/0", "CustomerRegistered", null, null),
        asList("c1/1", "LeadCreated", "ON_HOLD", null),
        asList("c3/0", "StatusChanged", "ON_HOLD", "OPEN"),
        asList("c5/0", "FollowedUp", null, null));
  }

  @Test
  void twoOrgsEventsWithTheSameCommandIdAreBothKept() throws Exception {
    LmsPostgresSinkTask task = start(config("shared_ids.lead_events", "lead-events"));
    LeadEvent acme = SampleRecords.events().get(1);
    LeadEvent globex = LeadEvent.newBuilder(acme).setOrgId("globex").build();

    task.put(List.of(record("lms.lead-events", LeadEvent.class, acme), record("lms.lead-events", LeadEvent.class, globex)));
    task.put(List.of(record("lms.lead-events", LeadEvent.class, globex))); // redelivered: still once
    task.stop();

    assertThat(query("SELECT org_id, event_id FROM shared_ids.lead_events ORDER BY org_id")).containsExactly(
        asList(acme.getOrgId(), acme.getEventId()), asList("globex", acme.getEventId()));
  }

  @Test
  void aTableKeyedByEventIdAloneGetsTheOrgInItsKey() throws Exception {
    try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
      var keyedByEventId = new AnalyticsTable("lead-events", LmsTables.LEAD_EVENTS.columns(), List.of("event_id"),
          AnalyticsTable.Write.INSERT_ONCE, List.of());
      for (String sql : keyedByEventId.createStatements(new TableName(Optional.of("old_key"), "lead_events"))) {
        statement.execute(sql);
      }
    }

    LmsPostgresSinkTask task = start(config("old_key.lead_events", "lead-events"));
    LeadEvent acme = SampleRecords.events().get(1);
    task.put(List.of(record("lms.lead-events", LeadEvent.class, acme),
        record("lms.lead-events", LeadEvent.class, LeadEvent.newBuilder(acme).setOrgId("globex").build())));
    task.stop();

    assertThat(query("SELECT count(*)::int FROM old_key.lead_events")).containsExactly(List.of(2));
    assertThat(query("SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'old_key.lead_events'::regclass AND i.indisprimary "
        + "ORDER BY a.attname")).containsExactly(List.of("event_id"), List.of("org_id"));
  }
}
