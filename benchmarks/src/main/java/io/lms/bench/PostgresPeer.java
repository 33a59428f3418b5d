package io.lms.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.lms.bench.PeerTable.Page;
import io.lms.command.json.RequestBodies;
import io.lms.domain.CommandHandler;
import io.lms.domain.Decision;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.domain.StateView;
import io.lms.domain.Times;
import io.lms.http.ApiJson;
import io.lms.http.CredentialStore;
import io.lms.http.IdempotencyKey;
import io.lms.http.Principal;
import io.lms.query.LeadSearch;
import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.IdType;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.RequestFingerprint;
import io.lms.topology.TopologySettings;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * The reference LMS is held against: the same endpoints of the Leads v2 API served the way a
 * competent PostgreSQL user would build them, and nothing more. Javalin (LMS's version, its
 * defaults), a HikariCP pool of {@link #POOL_SIZE} connections, one SQL query per read ({@link
 * PeerTable}), the lead decoded from its column and rendered by LMS's own {@link ApiJson}. Basic
 * credentials are checked by LMS's {@link CredentialStore}, which also gives the org. It has no
 * rate limit, no metrics and no forwarding: it is a yardstick, not a second product.
 *
 * <p>Routes: {@code GET /v2/leads/{id}}; {@code GET /v2/leads} with {@code status}, {@code sortBy},
 * {@code sortOrder}, {@code offset} (the API's: leads created after the offset-th) and {@code
 * limit}, plus two ways to reach a deep page that the API does not have: {@code skip=N} (SQL
 * {@code OFFSET}) and {@code after=<lastUpdatedOn epoch ms>:<id>} (keyset, lastUpdatedOn order
 * only); {@code GET /v2/leads/followups/due} with {@code from}, {@code to}, {@code offset} and
 * {@code limit}; and one write, {@code POST /v2/leads/{id}/followup} with an optional {@code
 * Idempotency-Key}, decided by LMS's own {@link CommandHandler} and committed in one transaction
 * before it is answered, as LMS answers a write after its Kafka transaction committed.
 */
final class PostgresPeer implements AutoCloseable {
  static final int POOL_SIZE = 8;
  /** How the peer's connections are named in {@code pg_stat_activity}, where their server processes are found. */
  static final String APPLICATION_NAME = "lms-peer";

  private static final SingleObjectCodec<LeadState> LEADS = SingleObjectCodec.of(LeadState.class);
  private static final SingleObjectCodec<CommandResult> RESULTS = SingleObjectCodec.of(CommandResult.class);
  private static final SingleObjectCodec<LeadEvent> EVENTS = SingleObjectCodec.of(LeadEvent.class);
  private static final String JSON = "application/json";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String PRINCIPAL = "peer.principal";
  private static final Set<String> SEARCH = Set.of("status", "sortBy", "sortOrder", "offset", "limit", "skip", "after");
  private static final Set<String> DUE = Set.of("from", "to", "offset", "limit");

  private final PeerTable table;
  private final CredentialStore credentials;
  private final HikariDataSource pool;
  private final Javalin app;
  private final Clock clock;
  private final CommandHandler rules = new CommandHandler(TopologySettings.defaults().serverZone(),
      TopologySettings.defaults().autoRegisterCustomers());

  PostgresPeer(String jdbcUrl, String user, PeerTable table, CredentialStore credentials) {
    this(jdbcUrl, user, table, credentials, Clock.systemUTC());
  }

  /** A peer whose writes are stamped by {@code clock}. */
  PostgresPeer(String jdbcUrl, String user, PeerTable table, CredentialStore credentials, Clock clock) {
    this.table = table;
    this.credentials = credentials;
    this.clock = clock;
    var config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setPoolName("peer");
    config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    this.pool = new HikariDataSource(config);
    this.app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.routes.before("/v2/*", this::authenticate);
      // The static path first: /v2/leads/{leadId} would take "followups" for an id.
      javalin.routes.get("/v2/leads/followups/due", this::due);
      javalin.routes.get("/v2/leads", this::search);
      javalin.routes.get("/v2/leads/{leadId}", this::lookup);
      javalin.routes.post("/v2/leads/{leadId}/followup", this::followUp);
      javalin.routes.exception(Rejection.class, (e, ctx) -> respond(ctx, 400, ApiJson.errors(e.errors())));
    });
  }

  PostgresPeer start(int port) {
    app.start("127.0.0.1", port);
    return this;
  }

  int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    pool.close();
  }

  private void authenticate(Context ctx) {
    Optional<Principal> principal = credentials.authenticate(ctx.header("Authorization"));
    if (principal.isEmpty()) {
      respond(ctx, 401, ApiJson.errors(List.of(ErrorCode.UNAUTHENTICATED.error())));
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute(PRINCIPAL, principal.get());
  }

  private static String org(Context ctx) {
    return ctx.<Principal>attribute(PRINCIPAL).orgId();
  }

  private void lookup(Context ctx) throws SQLException {
    long id = number(ctx.pathParam("leadId"), "leadId");
    List<LeadState> found = query(table.lookup(), org(ctx), id);
    if (found.isEmpty()) {
      respond(ctx, 404, ApiJson.errors(List.of(ErrorCode.LEAD_NOT_FOUND.error())));
    } else {
      respond(ctx, 200, ApiJson.lead(found.get(0)));
    }
  }

  private void search(Context ctx) throws SQLException {
    Map<String, List<String>> q = params(ctx, SEARCH);
    Optional<String> status = text(q, "status").map(s -> {
      try {
        return LeadStatus.valueOf(s.toUpperCase(Locale.ROOT)).name();
      } catch (IllegalArgumentException e) {
        throw new Rejection(ErrorCode.INVALID_LEAD_STATUS, s);
      }
    });
    SortBy sortBy = text(q, "sortBy").map(s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "createdon" -> SortBy.CREATED_ON;
      case "lastupdatedon" -> SortBy.LAST_UPDATED_ON;
      default -> throw invalid("sortBy", "createdOn or lastUpdatedOn");
    }).orElse(SortBy.CREATED_ON);
    SortOrder order = text(q, "sortOrder").map(s -> switch (s.toUpperCase(Locale.ROOT)) {
      case "ASC" -> SortOrder.ASC;
      case "DESC" -> SortOrder.DESC;
      default -> throw invalid("sortOrder", "ASC or DESC");
    }).orElse(SortOrder.DESC);
    long limit = limit(q);
    Optional<String> skip = text(q, "skip");
    Optional<String> after = text(q, "after");
    if ((skip.isPresent() ? 1 : 0) + (after.isPresent() ? 1 : 0) + (q.containsKey("offset") ? 1 : 0) > 1) {
      throw invalid("offset", "only one of offset, skip and after");
    }
    List<Object> params = new ArrayList<>();
    params.add(org(ctx));
    status.ifPresent(params::add);
    Page page;
    if (skip.isPresent()) {
      page = Page.ROWS_SKIPPED;
      params.add(limit);
      params.add(number(skip.get(), "skip"));
    } else if (after.isPresent()) {
      page = Page.AFTER_KEY;
      String[] key = after.get().split(":", 2);
      if (key.length != 2 || sortBy != SortBy.LAST_UPDATED_ON) {
        throw invalid("after", "<lastUpdatedOn epoch ms>:<id>, with sortBy=lastUpdatedOn");
      }
      params.add(Instant.ofEpochMilli(number(key[0], "after")).atOffset(ZoneOffset.UTC));
      params.add(number(key[1], "after"));
      params.add(limit);
    } else {
      page = Page.CREATED_AFTER;
      params.add(text(q, "offset").map(o -> number(o, "offset")).orElse(0L));
      params.add(limit);
    }
    respond(ctx, 200, ApiJson.leads(query(table.search(status.isPresent(), sortBy, order, page), params.toArray())));
  }

  private void due(Context ctx) throws SQLException {
    Map<String, List<String>> q = params(ctx, DUE);
    // LMS's defaults: everything overdue, and what falls due within a day.
    Instant from = text(q, "from").map(t -> Times.parse("from", t).toInstant()).orElse(Instant.EPOCH);
    Instant to = text(q, "to").map(t -> Times.parse("to", t).toInstant())
        .orElse(Instant.now().plus(1, ChronoUnit.DAYS));
    long offset = text(q, "offset").map(o -> number(o, "offset")).orElse(0L);
    respond(ctx, 200, ApiJson.leads(query(table.due(), org(ctx), from.atOffset(ZoneOffset.UTC),
        to.atOffset(ZoneOffset.UTC), limit(q), offset)));
  }

  // ---- the write: one transaction

  private void followUp(Context ctx) throws SQLException {
    Principal principal = ctx.attribute(PRINCIPAL);
    long leadId = number(ctx.pathParam("leadId"), "leadId");
    String key = ctx.header(IdempotencyKey.HEADER);
    String commandId = key == null ? UUID.randomUUID().toString() : IdempotencyKey.commandId(key);
    Instant now = clock.instant();
    LeadCommand command = new LeadCommand(commandId, principal.orgId(), principal.staffId(), now,
        RequestBodies.recordFollowUp(leadId, ctx.bodyAsBytes()));
    ctx.header(IdempotencyKey.HEADER, commandId);
    CommandResult result;
    try {
      result = apply(command, leadId, now);
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      // The same key on another lead, committed meanwhile: as LMS answers a key whose command is in flight.
      respond(ctx, 409, ApiJson.errors(List.of(ErrorCode.IDEMPOTENCY_KEY_IN_FLIGHT.error(commandId))));
      return;
    }
    if (result.getOutcome() instanceof Rejected rejected) {
      respond(ctx, ApiJson.status(rejected.getErrors()), ApiJson.errors(rejected.getErrors()));
    } else {
      respond(ctx, 200, ApiJson.lead(((Accepted) result.getOutcome()).getLead()));
    }
  }

  /**
   * Decides the command by LMS's own rules and keeps what LMS keeps, in one transaction: the
   * lead (its row locked first), the result (a retry gets it again, another request under its key a
   * 422) and the events. Committed when this returns, with PostgreSQL's durability settings.
   */
  private CommandResult apply(LeadCommand command, long leadId, Instant now) throws SQLException {
    String org = command.getOrgId();
    ByteBuffer fingerprint = RequestFingerprint.of(command.getPayload());
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Optional<LeadState> lead = first(connection, table.leadForUpdate(), LEADS, org, leadId);
        Optional<CommandResult> earlier = first(connection, table.result(), RESULTS, org, command.getCommandId());
        if (earlier.isPresent()) {
          connection.rollback();
          return RequestFingerprint.differ(earlier.get().getRequestFingerprint(), fingerprint)
              ? rules.reusedKey(command.getCommandId(), org, now)
              : earlier.get();
        }
        Decision decision = rules.handle(org, command, new FollowUpView(leadId, lead, () -> {
          try (PreparedStatement next = connection.prepareStatement(table.nextFollowUpId());
              ResultSet id = next.executeQuery()) {
            id.next();
            // The rules take the id after the last one handed out.
            return new OrgSequences(org, 0L, id.getLong(1) - 1, 0L, 0L, 0L, null);
          }
        }), now);
        CommandResult result = decision.result().orElseThrow();
        result.setRequestFingerprint(fingerprint);
        if (decision.accepted()) {
          LeadState changed = decision.lead().orElseThrow();
          execute(connection, table.updateLead(), PeerTable.updateLeadParameters(changed, LEADS.encode(changed)));
          for (LeadEvent event : decision.events()) {
            execute(connection, table.appendEvent(), org, event.getLeadId(), EVENTS.encode(event));
          }
        }
        execute(connection, table.rememberResult(), org, command.getCommandId(), RESULTS.encode(result));
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Where a follow-up's id comes from: asked only when the rules hand one out. */
  @FunctionalInterface
  private interface FollowUpIds {
    OrgSequences next() throws SQLException;
  }

  /** What a follow-up is decided against; the peer takes no other command. */
  private record FollowUpView(long leadId, Optional<LeadState> lead, FollowUpIds ids) implements StateView {
    @Override
    public Optional<LeadState> lead(String orgId, long id) {
      if (id != leadId) {
        throw new UnsupportedOperationException("the peer reads the lead of its request only");
      }
      return lead;
    }

    @Override
    public Optional<Reason> reason(String orgId, long reasonId) {
      throw new UnsupportedOperationException("the peer takes follow-ups only");
    }

    @Override
    public boolean subStatusExists(String orgId, LeadStatus status, String subStatus) {
      throw new UnsupportedOperationException("the peer takes follow-ups only");
    }

    @Override
    public boolean customerExists(String orgId, long userId) {
      throw new UnsupportedOperationException("the peer takes follow-ups only");
    }

    @Override
    public Optional<Long> userIdByIdentifier(String orgId, IdType idType, String normalisedIdentifier) {
      throw new UnsupportedOperationException("the peer takes follow-ups only");
    }

    @Override
    public OrgSequences sequences(String orgId) {
      try {
        return ids.next();
      } catch (SQLException e) {
        throw new IllegalStateException("no follow-up id from PostgreSQL", e);
      }
    }
  }

  private static <T extends SpecificRecord> Optional<T> first(Connection connection, String sql,
      SingleObjectCodec<T> codec, Object... params) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.of(codec.decode(rows.getBytes(1))) : Optional.empty();
    }
  }

  private static void execute(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, params)) {
      statement.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    return statement;
  }

  private List<LeadState> query(String sql, Object... params) throws SQLException {
    try (Connection connection = pool.getConnection(); PreparedStatement statement = prepare(connection, sql, params);
        ResultSet rows = statement.executeQuery()) {
      List<LeadState> leads = new ArrayList<>();
      while (rows.next()) {
        leads.add(LEADS.decode(rows.getBytes(1)));
      }
      return leads;
    }
  }

  // ---- query strings: the subset the benchmark asks, refused rather than ignored beyond it

  private static Map<String, List<String>> params(Context ctx, Set<String> allowed) {
    Map<String, List<String>> query = ctx.queryParamMap();
    for (Map.Entry<String, List<String>> param : query.entrySet()) {
      if (!allowed.contains(param.getKey())) {
        throw new Rejection(ErrorCode.UNKNOWN_FIELD, param.getKey());
      }
      if (param.getValue().size() != 1) {
        throw invalid(param.getKey(), "given once");
      }
    }
    return query;
  }

  private static Optional<String> text(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0).trim());
  }

  private static long limit(Map<String, List<String>> query) {
    long limit = text(query, "limit").map(l -> number(l, "limit")).orElse((long) LeadSearch.DEFAULT_LIMIT);
    if (limit < 1 || limit > LeadSearch.MAX_LIMIT) {
      throw invalid("limit", "1 to " + LeadSearch.MAX_LIMIT);
    }
    return limit;
  }

  private static long number(String text, String name) {
    try {
      long value = Long.parseLong(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(name, "a whole number, not negative");
  }

  private static Rejection invalid(String name, String expected) {
    return new Rejection(List.<ApiError>of(ErrorCode.INVALID_VALUE.error(name, expected)));
  }

  private static void respond(Context ctx, int status, byte[] body) {
    ctx.status(status).contentType(JSON).result(body);
  }
}
