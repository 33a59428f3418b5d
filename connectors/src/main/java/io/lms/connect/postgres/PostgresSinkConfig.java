package io.lms.connect.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The settings of {@link LmsPostgresSinkConnector}. */
final class PostgresSinkConfig extends AbstractConfig {
  static final String URL = "connection.url";
  static final String USER = "connection.user";
  static final String PASSWORD = "connection.password";
  static final String TABLE = "table.name";
  static final String KIND = "table.kind";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "JDBC URL of the analytics database, jdbc:postgresql://host:5432/database")
      .define(USER, Type.STRING, null, Importance.HIGH, "Database user")
      .define(PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Database password")
      .define(TABLE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
          "Table to write, table or schema.table (lower case); created with its schema when missing")
      .define(KIND, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.ValidString.in("leads", "lead-events"),
          Importance.HIGH, "What the topic holds: leads (lms.leads, upserted by org_id and lead_id) or "
              + "lead-events (lms.lead-events, each event_id inserted once)");

  private final TableName table;
  private final AnalyticsTable shape;

  PostgresSinkConfig(Map<String, String> props) {
    super(DEFINITION, props);
    if (!getString(URL).startsWith("jdbc:postgresql:")) {
      throw new ConfigException(URL, getString(URL), "expected jdbc:postgresql://host:port/database");
    }
    try {
      table = TableName.parse(getString(TABLE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TABLE, getString(TABLE), e.getMessage());
    }
    shape = LmsTables.forKind(getString(KIND));
  }

  TableName table() {
    return table;
  }

  AnalyticsTable shape() {
    return shape;
  }

  Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (getString(USER) != null) {
      properties.setProperty("user", getString(USER));
    }
    Password password = getPassword(PASSWORD);
    if (password != null) {
      properties.setProperty("password", password.value());
    }
    properties.setProperty("ApplicationName", "lms-postgres-sink");
    // The driver is found through the plugin's class loader, not DriverManager's (the system
    // class loader, which does not see plugin jars).
    Connection connection = new org.postgresql.Driver().connect(getString(URL), properties);
    if (connection == null) {
      throw new SQLException("The PostgreSQL driver does not take " + getString(URL));
    }
    return connection;
  }
}
