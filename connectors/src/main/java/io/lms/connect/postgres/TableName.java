package io.lms.connect.postgres;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table name from the connector config, {@code table} or {@code schema.table}. It is spliced
 * into SQL, so only plain lower-case identifiers are taken: nothing to quote, nothing to inject.
 */
record TableName(Optional<String> schema, String table) {
  private static final Pattern NAME = Pattern.compile("(?:([a-z_][a-z0-9_]*)\\.)?([a-z_][a-z0-9_]*)");

  static TableName parse(String text) {
    var match = NAME.matcher(text == null ? "" : text.trim());
    if (!match.matches()) {
      throw new IllegalArgumentException("expected table or schema.table in lower-case letters, digits and _, got " + text);
    }
    return new TableName(Optional.ofNullable(match.group(1)), match.group(2));
  }

  @Override
  public String toString() {
    return schema.map(s -> s + "." + table).orElse(table);
  }
}
