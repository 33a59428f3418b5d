package io.lms.connect.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch of records in one transaction, committed before {@code put} returns, so the
 * offsets Connect commits afterwards never run ahead of the table.
 */
public final class LmsPostgresSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(LmsPostgresSinkTask.class);
  /** SQLSTATE classes worth retrying: connection lost, transaction rolled back, resources, shutdown. */
  private static final Set<String> TRANSIENT_STATE_CLASSES = Set.of("08", "40", "53", "57");

  private PostgresSinkConfig config;
  private Connection connection;
  private PreparedStatement write;

  @Override
  public String version() {
    return new LmsPostgresSinkConnector().version();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new PostgresSinkConfig(props);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    try {
      open();
      int rows = 0;
      for (SinkRecord record : records) {
        if (record.value() == null) {
          continue; // LMS writes no tombstones; a null from elsewhere has nothing to land
        }
        if (!(record.value() instanceof Struct value)) {
          throw new DataException(record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
              + ": expected an LMS record as a Struct (value.converter=io.lms.connect.converter.LmsAvroConverter), got "
              + record.value().getClass().getName());
        }
        config.shape().bind(write, value);
        write.addBatch();
        rows++;
      }
      // One statement per record (no reWriteBatchedInserts): a lead changed twice in a batch
      // would make a multi-row upsert touch its row twice, which PostgreSQL refuses.
      if (rows > 0) {
        write.executeBatch();
      }
      connection.commit();
    } catch (SQLException e) {
      close();
      SQLException cause = e.getNextException() != null ? e.getNextException() : e;
      String state = cause.getSQLState();
      String message = "Cannot write " + records.size() + " records to " + config.table() + ": " + cause.getMessage();
      if (state == null || TRANSIENT_STATE_CLASSES.contains(state.substring(0, Math.min(2, state.length())))) {
        LOG.warn("{} (will retry)", message);
        throw new RetriableException(message, e);
      }
      throw new ConnectException(message, e);
    } catch (RuntimeException e) {
      close(); // an open transaction with half a batch must not be committed by the next put
      throw e;
    }
  }

  private void open() throws SQLException {
    if (connection == null) {
      connection = config.connect();
      connection.setAutoCommit(false);
      write = connection.prepareStatement(config.shape().writeStatement(config.table()));
    }
  }

  @Override
  public void stop() {
    close();
  }

  private void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Closing the connection to {} failed", config.table(), e);
      }
    }
    connection = null;
    write = null;
  }
}
