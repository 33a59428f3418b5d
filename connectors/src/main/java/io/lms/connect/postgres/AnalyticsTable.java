package io.lms.connect.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;

/**
 * A table of the analytics database fed by one LMS topic: its columns, each read from the
 * record's Connect value, its key, and whether a record replaces the row of its key (the latest
 * state) or is added once (an event; a redelivered one changes nothing).
 */
record AnalyticsTable(String kind, List<Column> columns, List<String> key, Write write, List<String> indexes) {

  enum Write { UPSERT, INSERT_ONCE }

  /** A column: its name, SQL type and where its value comes from ({@code null} for SQL NULL). */
  record Column(String name, String sqlType, Function<Struct, Object> value) {
    String placeholder() {
      return sqlType.startsWith("jsonb") ? "?::jsonb" : "?";
    }
  }

  AnalyticsTable {
    columns = List.copyOf(columns);
    key = List.copyOf(key);
    indexes = List.copyOf(indexes);
  }

  List<String> createStatements(TableName table) {
    List<String> statements = new ArrayList<>();
    table.schema().ifPresent(schema -> statements.add("CREATE SCHEMA IF NOT EXISTS " + schema));
    statements.add("CREATE TABLE IF NOT EXISTS " + table + " (\n  "
        + columns.stream().map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(",\n  "))
        + ",\n  PRIMARY KEY (" + String.join(", ", key) + ")\n)");
    for (String columns : indexes) {
      statements.add("CREATE INDEX IF NOT EXISTS " + table.table() + "_" + columns.replace(", ", "_") + "_idx"
          + " ON " + table + " (" + columns + ")");
    }
    return statements;
  }

  /**
   * What makes a table created under an older key use this one: {@code table}'s primary key
   * constraint {@code constraint} is replaced when its columns are not {@link #key()}. The key only
   * ever widens (event_id, then org_id and event_id), so rows unique under the old key are unique
   * under the new one and the change cannot fail on existing data.
   */
  String replaceKeyStatement(TableName table, String constraint) {
    return "ALTER TABLE " + table + " DROP CONSTRAINT " + constraint + ", ADD PRIMARY KEY (" + String.join(", ", key) + ")";
  }

  /** The query for a table's primary key constraint and its columns (parameter: the table's name). */
  static final String PRIMARY_KEY_QUERY = "SELECT c.conname, a.attname FROM pg_constraint c "
      + "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
      + "WHERE c.conrelid = ?::regclass AND c.contype = 'p'";

  String writeStatement(TableName table) {
    String insert = "INSERT INTO " + table + " ("
        + columns.stream().map(Column::name).collect(Collectors.joining(", "))
        + ") VALUES (" + columns.stream().map(Column::placeholder).collect(Collectors.joining(", "))
        + ") ON CONFLICT (" + String.join(", ", key) + ")";
    return switch (write) {
      case INSERT_ONCE -> insert + " DO NOTHING";
      case UPSERT -> insert + " DO UPDATE SET " + columns.stream()
          .map(Column::name)
          .filter(name -> !key.contains(name))
          .map(name -> name + " = EXCLUDED." + name)
          .collect(Collectors.joining(", "));
    };
  }

  void bind(PreparedStatement statement, Struct value) throws SQLException {
    for (int i = 0; i < columns.size(); i++) {
      statement.setObject(i + 1, columns.get(i).value().apply(value));
    }
  }
}
