package io.lms.connect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL the integration tests run against (127.0.0.1:5432, trust auth, as on the
 * build machines; {@code LMS_IT_PG_HOST}, {@code _PORT}, {@code _USER} override). Each test gets a
 * database of its own, named with its start time, dropped at the end with its replication slots:
 * a slot left behind keeps WAL forever, so databases and slots of runs that died are dropped too.
 *
 * <p>A PostgreSQL that cannot be reached fails the test: these tests are the only proof that
 * the connectors work, and a skipped proof reads like a passed one.
 */
public final class TestPostgres {
  public static final String HOST = env("LMS_IT_PG_HOST", "127.0.0.1");
  public static final int PORT = Integer.parseInt(env("LMS_IT_PG_PORT", "5432"));
  public static final String USER = env("LMS_IT_PG_USER", "postgres");
  private static final String PREFIX = "lms_it_";
  private static final Duration ABANDONED_AFTER = Duration.ofMinutes(30);

  private TestPostgres() {}

  /** A database of one test run; {@link #close()} drops it and its replication slots. */
  public record Database(String name) implements AutoCloseable {
    public String jdbcUrl() {
      return url(name);
    }

    public Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    /** A replication slot name that belongs to this database (and so is dropped with it). */
    public String slotName() {
      return name;
    }

    @Override
    public void close() throws SQLException {
      try (Connection admin = admin(); Statement statement = admin.createStatement()) {
        drop(statement, name);
      }
    }
  }

  public static Database createDatabase() throws SQLException {
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      dropAbandoned(statement);
      String name = PREFIX + Instant.now().getEpochSecond() + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
      statement.execute("CREATE DATABASE " + name);
      return new Database(name);
    }
  }

  /** Fails, saying what to do, unless PostgreSQL decodes WAL logically (Debezium needs it). */
  public static void requireLogicalReplication() throws SQLException {
    try (Connection admin = admin(); Statement statement = admin.createStatement();
         ResultSet result = statement.executeQuery("SHOW wal_level")) {
      result.next();
      if (!"logical".equals(result.getString(1))) {
        throw new AssertionError("PostgreSQL at " + HOST + ":" + PORT + " has wal_level=" + result.getString(1)
            + ", Debezium needs logical: run\n  psql -h " + HOST + " -U postgres -d test -c \"ALTER SYSTEM SET wal_level = logical\""
            + "\n  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart");
      }
    }
  }

  static Connection admin() {
    try {
      return DriverManager.getConnection(url("test"), USER, "");
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable at " + HOST + ":" + PORT + " as " + USER
          + " (" + e.getMessage() + "). The connector tests need it: start it with\n"
          + "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
    }
  }

  private static String url(String database) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
  }

  private static void drop(Statement statement, String database) throws SQLException {
    // A slot is still active for a moment after its connector stopped.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try (ResultSet active = statement.executeQuery(
          "SELECT count(*) FROM pg_replication_slots WHERE database = '" + database + "' AND active")) {
        active.next();
        if (active.getInt(1) == 0 || System.nanoTime() > deadline) {
          break;
        }
      }
      sleep();
    }
    statement.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
        + "WHERE database = '" + database + "' AND active");
    statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + database + "'");
    statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  /** Databases (and their slots) of test runs that never got to drop them. */
  private static void dropAbandoned(Statement statement) throws SQLException {
    List<String> abandoned = new ArrayList<>();
    try (ResultSet databases = statement.executeQuery(
        "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
      while (databases.next()) {
        String name = databases.getString(1);
        String[] parts = name.substring(PREFIX.length()).split("_");
        try {
          if (Instant.ofEpochSecond(Long.parseLong(parts[0])).isBefore(Instant.now().minus(ABANDONED_AFTER))) {
            abandoned.add(name);
          }
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    for (String name : abandoned) {
      drop(statement, name);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
