package io.lms.connect.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lands an LMS topic in a PostgreSQL table for analytics: {@code lms.leads} upserted by
 * (org_id, lead_id), {@code lms.lead-events} inserted once per (org_id, event_id). Values must come as
 * Connect structs of the LMS record, which {@code LmsAvroConverter} makes.
 *
 * <p>Why a connector of our own: the standard JDBC sinks (Confluent's, Debezium's) cannot be
 * obtained where this project is built and tested, and a sink that only has to write two known
 * shapes fits in a few classes. It is deliberately small: no schema evolution of the tables, no
 * deletes (LMS never deletes a lead: DELETED is a status), at-least-once delivery made harmless by
 * the writes themselves (an upsert of a latest state, an insert that ignores a known event id).
 * The one change of a table's shape it makes is to widen the key of a table an older version made.
 * Where one of those sinks is available, it can replace this one (see the README).
 */
public final class LmsPostgresSinkConnector extends SinkConnector {
  private static final Logger log = LoggerFactory.getLogger(LmsPostgresSinkConnector.class);

  private Map<String, String> props;

  @Override
  public String version() {
    String version = LmsPostgresSinkConnector.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
    PostgresSinkConfig config = new PostgresSinkConfig(props);
    // Created here, once per connector rather than by each task, and under a lock: two
    // connectors starting together (leads and events, both in schema lms) would otherwise collide
    // in PostgreSQL's catalog, even with IF NOT EXISTS.
    try (Connection connection = config.connect(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("SELECT pg_advisory_xact_lock(hashtext('lms-postgres-sink-ddl'))");
      for (String sql : config.shape().createStatements(config.table())) {
        statement.execute(sql);
      }
      replaceOlderKey(connection, statement, config);
      connection.commit();
    } catch (SQLException e) {
      throw new ConnectException("Cannot create table " + config.table() + ": " + e.getMessage(), e);
    }
  }

  /** A table made by an earlier version keeps its key under CREATE IF NOT EXISTS: bring it to this one's. */
  private static void replaceOlderKey(Connection connection, Statement statement, PostgresSinkConfig config)
      throws SQLException {
    String constraint = null;
    Set<String> columns = new HashSet<>();
    try (PreparedStatement query = connection.prepareStatement(AnalyticsTable.PRIMARY_KEY_QUERY)) {
      query.setString(1, config.table().toString());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          constraint = rows.getString(1);
          columns.add(rows.getString(2));
        }
      }
    }
    if (constraint != null && !columns.equals(new HashSet<>(config.shape().key()))) {
      log.info("Table {}: primary key {} becomes {}", config.table(), columns, config.shape().key());
      statement.execute(config.shape().replaceKeyStatement(config.table(), "\"" + constraint.replace("\"", "\"\"") + "\""));
    }
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LmsPostgresSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return PostgresSinkConfig.DEFINITION;
  }
}
