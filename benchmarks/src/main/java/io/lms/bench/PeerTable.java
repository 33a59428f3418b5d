package io.lms.bench;

import io.lms.domain.CommandHandler;
import io.lms.domain.Times;
import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.schema.FollowUp;
import io.lms.schema.LeadState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The PostgreSQL tables of the peer ({@link PostgresPeer}). The leads: one row per lead, with the
 * columns its queries filter and sort on, and the lead itself as LMS stores it (its Avro
 * single-object encoding, about 850 bytes, below the size PostgreSQL moves out of line). The peer
 * decodes that column and renders it with LMS's own {@code ApiJson}, so the two servers differ only
 * in where the leads are kept and how they are found.
 *
 * <p>The indexes are the ones LMS's searches walk, as B-trees: (org, status, last_updated_on, id)
 * for a status sorted by lastUpdatedOn, the primary key (org, id) for lookups and the creation
 * order, (org, user_id) for a customer's leads, and (org, next_follow_up, id) over the OPEN and
 * ON_HOLD leads only, like LMS's due index, which holds no other lead.
 *
 * <p>Beside the leads, what a write keeps, as LMS's stores and topics do: each command's result
 * (keyed by org and commandId, for retries) and the events (an outbox, as a database-backed service
 * publishes them). Follow-up ids come from a PostgreSQL sequence, as a PostgreSQL user would hand
 * them out, not from a counter per org: a row every write of the org locked would put the org's
 * writes in a line, one commit after the other.
 */
final class PeerTable {
  /** How the page after the first is asked for. */
  enum Page {
    /** The API's {@code offset}: leads created after the offset-th, whatever the order ({@code id > ?}). */
    CREATED_AFTER,
    /** SQL's {@code OFFSET}: skip that many rows of the order, what a PostgreSQL user writes for page N. */
    ROWS_SKIPPED,
    /** Keyset pagination: the rows after the last one seen, {@code (last_updated_on, id) < (?, ?)}. */
    AFTER_KEY
  }

  private final String schema;
  private final String table;

  PeerTable(String schema) {
    if (!schema.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain schema name: " + schema);
    }
    this.schema = schema;
    this.table = schema + ".leads";
  }

  String schema() {
    return schema;
  }

  /** Drops the schema if it is there and creates it with an empty table, without indexes yet. */
  void create(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      sql.execute("CREATE SCHEMA " + schema);
      sql.execute("CREATE TABLE " + table + " (org text NOT NULL, id bigint NOT NULL, user_id bigint NOT NULL,"
          + " status text NOT NULL, last_updated_on timestamptz NOT NULL, next_follow_up timestamptz,"
          + " lead bytea NOT NULL)");
      // What a write needs beside the lead: follow-up ids, and, as LMS's stores and topics keep
      // them, each command's result for the idempotency window and the events (an outbox).
      sql.execute("CREATE SEQUENCE " + schema + ".follow_up_ids");
      sql.execute("CREATE TABLE " + schema + ".results (org text NOT NULL, command_id text NOT NULL,"
          + " result bytea NOT NULL, PRIMARY KEY (org, command_id))");
      sql.execute("CREATE TABLE " + schema + ".events (id bigserial PRIMARY KEY, org text NOT NULL,"
          + " lead_id bigint, event bytea NOT NULL)");
    }
  }

  /** Builds the indexes after the load (faster than keeping them during it) and analyzes the table. */
  void index(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      sql.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (org, id)");
      sql.execute("CREATE INDEX ON " + table + " (org, status, last_updated_on, id)");
      sql.execute("CREATE INDEX ON " + table + " (org, user_id)");
      sql.execute("CREATE INDEX ON " + table + " (org, next_follow_up, id) WHERE status IN ('OPEN', 'ON_HOLD')");
      // Sets the visibility map too, as autovacuum would some time after a load.
      sql.execute("VACUUM ANALYZE " + table);
    }
  }

  void drop(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement()) {
      sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** Rows are sent with COPY: a million leads in seconds rather than minutes of INSERTs. */
  Loader loader(Connection connection) throws SQLException {
    return new Loader(connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
        + " (org, id, user_id, status, last_updated_on, next_follow_up, lead) FROM STDIN"), connection,
        "SELECT setval('" + schema + ".follow_up_ids', ?, ?)");
  }

  /**
   * Takes each lead once, in its latest state, as LMS encoded it, and starts the follow-up ids after
   * the highest the leads hold (LMS hands them out in order and never takes one back, so a peer
   * loaded with one org's leads numbers its next follow-up as LMS does).
   */
  static final class Loader implements AutoCloseable {
    private static final int FLUSH_BYTES = 256 * 1024;
    private static final HexFormat HEX = HexFormat.of();

    private final CopyIn copy;
    private final Connection connection;
    private final String setFollowUpIds;
    private long lastFollowUpId;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(FLUSH_BYTES + 4096);
    private long rows;

    private Loader(CopyIn copy, Connection connection, String setFollowUpIds) {
      this.copy = copy;
      this.connection = connection;
      this.setFollowUpIds = setFollowUpIds;
    }

    void add(LeadState lead, byte[] encoded) throws SQLException {
      if (!CommandHandler.isValidOrgId(lead.getOrgId())) {
        throw new IllegalArgumentException("not an org id LMS accepts: " + lead.getOrgId());
      }
      // COPY's text format: tab-separated, \N for null. Org ids are letters, digits and "_.-", the
      // rest numbers, names and times; only the bytea's "\x" prefix needs its backslash escaped.
      Instant nextFollowUp = nextFollowUp(lead);
      String line = lead.getOrgId() + '\t' + lead.getId() + '\t' + lead.getUserId() + '\t' + lead.getStatus().name()
          + '\t' + lastUpdatedOn(lead) + '\t' + (nextFollowUp == null ? "\\N" : nextFollowUp) + "\t\\\\x"
          + HEX.formatHex(encoded) + '\n';
      buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
      rows++;
      for (FollowUp followUp : lead.getFollowUpDetails()) {
        lastFollowUpId = Math.max(lastFollowUpId, followUp.getId());
      }
      if (buffer.size() >= FLUSH_BYTES) {
        flush();
      }
    }

    private void flush() throws SQLException {
      copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
      buffer.reset();
    }

    /** Ends the COPY; returns the rows sent. */
    long finish() throws SQLException {
      flush();
      copy.endCopy();
      try (PreparedStatement set = connection.prepareStatement(setFollowUpIds)) {
        // setval(1, false) makes 1 the next value: no follow-up yet.
        set.setLong(1, Math.max(1, lastFollowUpId));
        set.setBoolean(2, lastFollowUpId > 0);
        set.executeQuery().close();
      }
      return rows;
    }

    @Override
    public void close() throws SQLException {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  // ---- the queries, with JDBC parameters in the order their javadoc gives

  /** One lead, its row locked until the transaction ends: org, id. Writes of one lead wait for each other. */
  String leadForUpdate() {
    return lookup() + " FOR UPDATE";
  }

  /** The next follow-up id. */
  String nextFollowUpId() {
    return "SELECT nextval('" + schema + ".follow_up_ids')";
  }

  /** The result of a command applied before: org, commandId. */
  String result() {
    return "SELECT result FROM " + schema + ".results WHERE org = ? AND command_id = ?";
  }

  /** org, commandId, result. */
  String rememberResult() {
    return "INSERT INTO " + schema + ".results (org, command_id, result) VALUES (?, ?, ?)";
  }

  /** Writes a lead's row: the parameters are {@link #updateLeadParameters}. */
  String updateLead() {
    return "UPDATE " + table + " SET user_id = ?, status = ?, last_updated_on = ?, next_follow_up = ?, lead = ?"
        + " WHERE org = ? AND id = ?";
  }

  /** The parameters of {@link #updateLead} for {@code lead}, which {@code encoded} is. */
  static Object[] updateLeadParameters(LeadState lead, byte[] encoded) {
    Instant nextFollowUp = nextFollowUp(lead);
    return new Object[] {lead.getUserId(), lead.getStatus().name(), lastUpdatedOn(lead).atOffset(ZoneOffset.UTC),
        nextFollowUp == null ? null : nextFollowUp.atOffset(ZoneOffset.UTC), encoded, lead.getOrgId(), lead.getId()};
  }

  private static Instant lastUpdatedOn(LeadState lead) {
    return Instant.ofEpochMilli(lead.getLastUpdatedAtMillis());
  }

  private static Instant nextFollowUp(LeadState lead) {
    return lead.getNextFollowUp() == null ? null : Times.instantOf(lead.getNextFollowUp());
  }

  /** org, lead id (null for none), event. */
  String appendEvent() {
    return "INSERT INTO " + schema + ".events (org, lead_id, event) VALUES (?, ?, ?)";
  }

  /** One lead: org, id. */
  String lookup() {
    return "SELECT lead FROM " + table + " WHERE org = ? AND id = ?";
  }

  /**
   * A search page: org, then the status when {@code byStatus}, then by page: {@link
   * Page#CREATED_AFTER} the offset, then the limit; {@link Page#ROWS_SKIPPED} the limit, then the
   * rows to skip; {@link Page#AFTER_KEY} the last seen lastUpdatedOn and id, then the limit. Without
   * a status, every lead but the DELETED ones, as LMS lists them.
   */
  String search(boolean byStatus, SortBy sortBy, SortOrder order, Page page) {
    String direction = order == SortOrder.DESC ? " DESC" : "";
    var sql = new StringBuilder("SELECT lead FROM ").append(table).append(" WHERE org = ?")
        .append(byStatus ? " AND status = ?" : " AND status <> 'DELETED'");
    switch (page) {
      case CREATED_AFTER -> sql.append(" AND id > ?");
      case AFTER_KEY -> {
        if (sortBy != SortBy.LAST_UPDATED_ON) {
          throw new IllegalArgumentException("the key of a page is a lastUpdatedOn and an id");
        }
        sql.append(" AND (last_updated_on, id) ").append(order == SortOrder.DESC ? "<" : ">").append(" (?, ?)");
      }
      case ROWS_SKIPPED -> { }
    }
    sql.append(sortBy == SortBy.LAST_UPDATED_ON
        ? " ORDER BY last_updated_on" + direction + ", id" + direction
        : " ORDER BY id" + direction);
    sql.append(" LIMIT ?");
    if (page == Page.ROWS_SKIPPED) {
      sql.append(" OFFSET ?");
    }
    return sql.toString();
  }

  /** The due list: org, from (inclusive), to (exclusive), limit, rows to skip. */
  String due() {
    return "SELECT lead FROM " + table + " WHERE org = ? AND status IN ('OPEN', 'ON_HOLD')"
        + " AND next_follow_up >= ? AND next_follow_up < ? ORDER BY next_follow_up, id LIMIT ? OFFSET ?";
  }

  /** The query with its parameters replaced, in order, by SQL text: a script for pgbench. */
  static String inline(String sql, String... values) {
    var out = new StringBuilder();
    int next = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        if (next == values.length) {
          throw new IllegalArgumentException("the query takes more than " + values.length + " parameters");
        }
        out.append(values[next++]);
      } else {
        out.append(c);
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException("the query takes " + next + " parameters, not " + values.length);
    }
    return out.toString();
  }
}
