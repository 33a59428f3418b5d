package io.lms.connect.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Lands an LMS topic in a PostgreSQL table for analytics: {@code lms.leads} upserted by
 * (org_id, lead_id), {@code lms.lead-events} inserted once per event_id. Values must come as
 * Connect structs of the LMS record, which {@code LmsAvroConverter} makes.
 *
 * <p>Why a connector of our own: the standard JDBC sinks (Confluent's, Debezium's) cannot be
 * obtained where this project is built and tested, and a sink that only has to write two known
 * shapes fits in a few classes. It is deliberately small: no schema evolution of the tables, no
 * deletes (LMS never deletes a lead: DELETED is a status), at-least-once delivery made harmless by
 * the writes themselves (an upsert of a latest state, an insert that ignores a known event id).
 * Where one of those sinks is available, it can replace this one (see the README).
 */
public final class LmsPostgresSinkConnector extends SinkConnector {
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
      connection.commit();
    } catch (SQLException e) {
      throw new ConnectException("Cannot create table " + config.table() + ": " + e.getMessage(), e);
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
