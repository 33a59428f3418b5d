package io.lms.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.lms.command.CommandInFlightException;
import io.lms.command.CommandSubmitter;
import io.lms.command.json.RequestBodies;
import io.lms.domain.ErrorCode;
import io.lms.domain.Rejection;
import io.lms.query.DueFollowUps;
import io.lms.query.LeadReader;
import io.lms.query.LeadSearch;
import io.lms.query.QueryResult;
import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.schema.Rejected;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Leads v2 HTTP API. Writes become commands and are answered once their transaction committed;
 * reads are interactive queries, answered here when this instance owns the org and forwarded once
 * to the owner otherwise. This layer touches no store: it maps what the query and command sides
 * say to HTTP.
 */
public final class HttpApi implements AutoCloseable {
  /** Every route the API has, with what it does: the OpenAPI document is checked against this list. */
  public record Route(HandlerType method, String path, String summary) {}

  /** What the API needs from the rest of the application. */
  public record Dependencies(
      CredentialStore credentials,
      OrgRateLimiter rateLimiter,
      LeadReader reader,
      CommandSubmitter commands,
      Supplier<Optional<String>> notReadyReason,
      PrometheusMeterRegistry metrics,
      HostInfo self,
      InstanceSignature instanceSignature,
      Duration writeTimeout,
      Duration readWait,
      Clock clock) {}

  public static final long MAX_BODY_BYTES = 256 * 1024;
  /** How long a read forwarded to the org's owner waits for its answer. */
  private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
  /** How often a read whose org's data is unavailable tries again, within {@code readWait}. */
  static final Duration READ_RETRY = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String JSON = "application/json";
  private static final String PRINCIPAL = "lms.principal";
  private static final String TIMER = "lms.timer";
  private static final String ROUTE = "lms.route";
  private static final String RESPONDED = "lms.responded";
  /** Set on a request that an instance of this deployment provably forwarded. */
  private static final String FORWARDED = "lms.forwarded";
  /** How often a refused instance signature is logged, at most: a client may send many. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
  /** A '%' that does not start an escape of two hex digits, which Jetty lets through for some characters. */
  private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  private final Dependencies deps;
  private final Forwarder forwarder;
  /** Where the reads that wait for their org's data try again ({@link #READ_RETRY}). */
  private final ExecutorService readRetries = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "read-retries");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicLong lastRefusalLoggedNanos = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
  private final Javalin app;

  public HttpApi(Dependencies deps) {
    this.deps = deps;
    this.forwarder = new Forwarder(deps.self(), deps.instanceSignature(), FORWARD_TIMEOUT);
    // On stop, requests in flight (a write awaiting its commit, a read forwarded to the owner)
    // get their answer before the server goes; Jetty would otherwise fail them with a 500.
    // A read may wait for its org's data, then be forwarded.
    long drainMillis = Math.max(deps.writeTimeout().toMillis(), deps.readWait().plus(FORWARD_TIMEOUT).toMillis()) + 1_000;
    this.app = Javalin.create(config -> {
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.http.prefer405over404 = true;
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(server -> {
        server.setErrorHandler(new JettyErrors());
        // Javalin puts its own handler inside the one found here.
        server.setHandler(new GracefulHandler());
        server.setStopTimeout(drainMillis);
      });
      config.routes.before(HttpApi::rejectBrokenEscapes);
      config.routes.before("/v2/*", this::authenticate);
      config.routes.before(ctx -> ctx.attribute(TIMER, Timer.start(deps.metrics())));
      config.routes.after(this::recordMetrics);
      for (RouteHandler route : ROUTES) {
        String path = route.route().path();
        Handler handler = route.handler().apply(this);
        config.routes.addHttpHandler(route.route().method(), path, ctx -> {
          ctx.attribute(ROUTE, path);
          handler.handle(ctx);
        });
      }
      config.routes.exception(Rejection.class, (e, ctx) -> error(ctx, 400, e.errors()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        error(ctx, 500, List.of(ErrorCode.INTERNAL_ERROR.error("see the server log")));
      });
      config.routes.error(404, ctx -> {
        if (ctx.attribute(RESPONDED) == null) {
          error(ctx, 404, List.of(ErrorCode.NOT_FOUND.error(ctx.path())));
        }
      });
      config.routes.error(405, ctx -> error(ctx, 405, List.of(ErrorCode.METHOD_NOT_ALLOWED.error())));
      config.routes.error(413, ctx -> error(ctx, 413, List.of(ErrorCode.PAYLOAD_TOO_LARGE.error(MAX_BODY_BYTES))));
    });
  }

  public HttpApi start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    readRetries.shutdownNow();
  }

  /** The API's routes, in the order they are matched. */
  public static List<Route> routes() {
    return ROUTES.stream().map(RouteHandler::route).toList();
  }

  /** A route and how to get its handler from an API instance. */
  private record RouteHandler(Route route, Function<HttpApi, Handler> handler) {}

  @FunctionalInterface
  private interface Handler {
    void handle(Context ctx) throws Exception;
  }

  private static RouteHandler route(HandlerType method, String path, String summary, Function<HttpApi, Handler> handler) {
    return new RouteHandler(new Route(method, path, summary), handler);
  }

  // Static paths come before /v2/leads/{leadId}, which would otherwise take "reasons" for an id.
  private static final List<RouteHandler> ROUTES = List.of(
      route(HandlerType.GET, "/v2/leads/reasons", "The org's lead reasons", api -> api::getReasons),
      route(HandlerType.POST, "/v2/leads/reasons", "Configure lead reasons", api -> api::postReasons),
      route(HandlerType.GET, "/v2/leads/substatuses", "The org's sub-statuses", api -> api::getSubStatuses),
      route(HandlerType.POST, "/v2/leads/substatus", "Create a sub-status", api -> api::postSubStatus),
      route(HandlerType.GET, "/v2/leads/followups/due", "Leads whose next follow-up falls in a window", api -> api::getDueFollowUps),
      route(HandlerType.POST, "/v2/leads", "Add a lead", api -> api::postLead),
      route(HandlerType.GET, "/v2/leads", "Search leads", api -> api::search),
      route(HandlerType.GET, "/v2/leads/{leadId}", "One lead", api -> api::getLead),
      route(HandlerType.PUT, "/v2/leads/{leadId}", "Update a lead's extended fields and owner", api -> api::putLead),
      route(HandlerType.PUT, "/v2/leads/{leadId}/status", "Change a lead's status", api -> api::putStatus),
      route(HandlerType.POST, "/v2/leads/{leadId}/followup", "Record a follow-up", api -> api::postFollowUp),
      route(HandlerType.GET, "/v2/leads/{leadId}/statusLog", "A lead's status log", api -> api::getStatusLog),
      route(HandlerType.GET, "/v2/leads/{leadId}/followups", "A lead's follow-ups", api -> api::getFollowUps),
      route(HandlerType.GET, "/health/live", "Liveness", api -> api::live),
      route(HandlerType.GET, "/health/ready", "Readiness", api -> api::ready),
      route(HandlerType.GET, "/metrics", "Prometheus metrics", api -> api::metrics),
      route(HandlerType.GET, "/openapi.json", "This API's OpenAPI 3 document", api -> api::openApi));

  // ---- malformed paths, authentication, rate limit, metrics

  /** Javalin's path parameter decoding throws on a broken escape (as in {@code /v2/leads/1%+}): a 400, not a 500. */
  private static void rejectBrokenEscapes(Context ctx) {
    if (BROKEN_ESCAPE.matcher(ctx.path()).find()) {
      error(ctx, 400, List.of(ErrorCode.MALFORMED_HTTP.error("a '%' in the path starts no escape")));
      ctx.skipRemainingHandlers();
    }
  }

  private void authenticate(Context ctx) {
    Optional<Principal> principal = deps.credentials().authenticate(ctx.header("Authorization"));
    if (principal.isEmpty()) {
      ctx.header("WWW-Authenticate", "Basic realm=\"lms\", charset=\"UTF-8\"");
      error(ctx, 401, List.of(ErrorCode.UNAUTHENTICATED.error()));
      ctx.skipRemainingHandlers();
      return;
    }
    boolean marked = ctx.header(Forwarder.FORWARDED_HEADER) != null || ctx.header(Forwarder.SIGNATURE_HEADER) != null;
    Optional<String> refused = marked ? instanceRefusal(ctx) : Optional.empty();
    if (marked && refused.isEmpty()) {
      // A forwarded read was already counted where it arrived.
      ctx.attribute(FORWARDED, Boolean.TRUE);
    } else {
      // Everything else counts, a forged mark too: it is refused, but it cost the org a request.
      long retryAfter = deps.rateLimiter().acquire(principal.get().orgId());
      if (retryAfter > 0) {
        ctx.header("Retry-After", Long.toString(retryAfter));
        error(ctx, 429, List.of(ErrorCode.RATE_LIMITED.error()));
        ctx.skipRemainingHandlers();
        return;
      }
      if (refused.isPresent()) {
        error(ctx, 403, List.of(ErrorCode.FORWARD_REFUSED.error(refused.get())));
        ctx.skipRemainingHandlers();
        return;
      }
    }
    ctx.attribute(PRINCIPAL, principal.get());
  }

  /**
   * Why a request marked as forwarded is not trusted as such, or empty when an instance of this
   * deployment signed it. Only reads are ever forwarded.
   */
  private Optional<String> instanceRefusal(Context ctx) {
    String sender = ctx.header(Forwarder.FORWARDED_HEADER);
    Optional<String> refused = ctx.method() != HandlerType.GET || sender == null
        ? Optional.of("not a forwarded read")
        : deps.instanceSignature().verify("GET", pathAndQuery(ctx), sender, ctx.header("Authorization"),
            ctx.header(Forwarder.SIGNATURE_HEADER));
    refused.ifPresent(reason -> {
      long now = System.nanoTime();
      long last = lastRefusalLoggedNanos.get();
      if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLoggedNanos.compareAndSet(last, now)) {
        log.warn("Refused a request marked as forwarded by an instance ({}) from {}: {} {}; further refusals "
            + "within a minute are not logged", reason, ctx.ip(), ctx.method(), ctx.path());
      }
    });
    return refused;
  }

  private static String pathAndQuery(Context ctx) {
    String query = ctx.queryString();
    return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
  }

  private void recordMetrics(Context ctx) {
    Timer.Sample sample = ctx.attribute(TIMER);
    if (sample == null) {
      return;
    }
    String route = ctx.attribute(ROUTE);
    String method = ctx.method().name();
    int status = ctx.statusCode();
    // Looked up in a map of our own: building and registering the meter's id on every request
    // was 2% of a lead lookup.
    sample.stop(timers.computeIfAbsent(new TimerKey(method, route, status), key -> Timer.builder("lms.http.requests")
        .description("HTTP requests by route and status")
        .tag("method", key.method())
        .tag("route", key.route() == null ? "unmatched" : key.route())
        .tag("status", Integer.toString(key.status()))
        .publishPercentileHistogram()
        .register(deps.metrics())));
  }

  private record TimerKey(String method, String route, int status) {}

  private static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  // ---- reads

  private void getReasons(Context ctx) {
    String org = principal(ctx).orgId();
    read(ctx, () -> deps.reader().reasons(org), ApiJson::reasons);
  }

  private void getSubStatuses(Context ctx) {
    String org = principal(ctx).orgId();
    read(ctx, () -> deps.reader().subStatuses(org), ApiJson::subStatuses);
  }

  private void getLead(Context ctx) {
    readLead(ctx, ApiJson::lead);
  }

  private void getStatusLog(Context ctx) {
    readLead(ctx, ApiJson::statusLog);
  }

  private void getFollowUps(Context ctx) {
    readLead(ctx, ApiJson::followUps);
  }

  private void readLead(Context ctx, Function<LeadState, byte[]> render) {
    String org = principal(ctx).orgId();
    long id = leadId(ctx);
    read(ctx, () -> deps.reader().lead(org, id), render);
  }

  private void search(Context ctx) {
    LeadSearch search = QueryParameters.search(ctx.queryParamMap());
    String org = principal(ctx).orgId();
    read(ctx, () -> deps.reader().search(org, search), ApiJson::leads);
  }

  private void getDueFollowUps(Context ctx) {
    DueFollowUps query = QueryParameters.dueFollowUps(ctx.queryParamMap(), deps.clock().instant());
    String org = principal(ctx).orgId();
    read(ctx, () -> deps.reader().dueFollowUps(org, query), ApiJson::leads);
  }

  /**
   * Answers a read. One that finds its org's data unavailable here or at its owner (a task moving
   * between instances, restoring, an owner that just died) tries again every {@link #READ_RETRY}
   * for up to {@code readWait}, routing afresh each time, before it answers 503: a rebalance costs
   * a client a slower answer, not an error. A read forwarded here by another instance answers at
   * once: the instance it came from is the one that waits.
   */
  private <T> void read(Context ctx, Supplier<QueryResult<T>> query, Function<T, byte[]> render) {
    boolean waits = ctx.attribute(FORWARDED) == null && !deps.readWait().isZero();
    CompletableFuture<ReadTry> first = attempt(ctx, query.get(), render);
    if (first.isDone() && !(waits && first.join().unavailable())) {
      first.join().answer().run();
      return;
    }
    long deadline = System.nanoTime() + deps.readWait().toNanos();
    ctx.future(() -> settle(ctx, first, query, render, waits, deadline).thenAccept(last -> last.answer().run()));
  }

  /** One try of a read: the answer to send, and whether it says that the data is unavailable now. */
  private record ReadTry(boolean unavailable, Runnable answer) {}

  private <T> CompletableFuture<ReadTry> settle(Context ctx, CompletableFuture<ReadTry> attempt,
      Supplier<QueryResult<T>> query, Function<T, byte[]> render, boolean waits, long deadline) {
    return attempt.thenCompose(done -> {
      if (!waits || !done.unavailable() || System.nanoTime() + READ_RETRY.toNanos() > deadline) {
        return CompletableFuture.completedFuture(done);
      }
      Executor later = CompletableFuture.delayedExecutor(READ_RETRY.toMillis(), TimeUnit.MILLISECONDS, readRetries);
      return CompletableFuture.supplyAsync(() -> attempt(ctx, query.get(), render), later)
          .thenCompose(next -> settle(ctx, next, query, render, true, deadline));
    });
  }

  private <T> CompletableFuture<ReadTry> attempt(Context ctx, QueryResult<T> result, Function<T, byte[]> render) {
    if (result instanceof QueryResult.Found<T> found) {
      byte[] body = render.apply(found.value());
      return CompletableFuture.completedFuture(new ReadTry(false, () -> respond(ctx, 200, body)));
    }
    if (result instanceof QueryResult.NotFound<T>) {
      return CompletableFuture.completedFuture(
          new ReadTry(false, () -> error(ctx, 404, List.of(ErrorCode.LEAD_NOT_FOUND.error()))));
    }
    if (result instanceof QueryResult.Elsewhere<T> elsewhere) {
      return forward(ctx, elsewhere.owner());
    }
    String reason = ((QueryResult.Unavailable<T>) result).reason();
    return CompletableFuture.completedFuture(new ReadTry(true, () -> unavailable(ctx, reason)));
  }

  private CompletableFuture<ReadTry> forward(Context ctx, HostInfo owner) {
    if (ctx.attribute(FORWARDED) != null) {
      // The instance that sent it here thought this one owns the org: ownership is moving.
      return CompletableFuture.completedFuture(
          new ReadTry(true, () -> unavailable(ctx, "the org's data is moving between instances")));
    }
    return forwarder.get(owner, pathAndQuery(ctx), ctx.header("Authorization")).handle((response, failure) -> {
      if (failure != null) {
        return new ReadTry(true, () -> unavailable(ctx, "the instance owning the org did not answer"));
      }
      return new ReadTry(response.status() == 503, () -> {
        if (response.retryAfter() != null) {
          ctx.header("Retry-After", response.retryAfter());
        }
        respond(ctx, response.status(), response.body());
      });
    });
  }

  // ---- writes

  private void postReasons(Context ctx) {
    write(ctx, RequestBodies.configureReasons(ctx.bodyAsBytes()), accepted -> ApiJson.reasons(accepted.getReasons()));
  }

  private void postSubStatus(Context ctx) {
    write(ctx, RequestBodies.createSubStatus(ctx.bodyAsBytes()), accepted -> ApiJson.subStatus(accepted.getSubStatus()));
  }

  private void postLead(Context ctx) {
    write(ctx, RequestBodies.createLead(ctx.bodyAsBytes()), accepted -> ApiJson.lead(accepted.getLead()));
  }

  private void putLead(Context ctx) {
    write(ctx, RequestBodies.updateLead(leadId(ctx), ctx.bodyAsBytes()), accepted -> ApiJson.lead(accepted.getLead()));
  }

  private void putStatus(Context ctx) {
    write(ctx, RequestBodies.changeStatus(leadId(ctx), ctx.bodyAsBytes()), accepted -> ApiJson.lead(accepted.getLead()));
  }

  private void postFollowUp(Context ctx) {
    write(ctx, RequestBodies.recordFollowUp(leadId(ctx), ctx.bodyAsBytes()), accepted -> ApiJson.lead(accepted.getLead()));
  }

  private void write(Context ctx, Object payload, Function<Accepted, byte[]> render) {
    Principal principal = principal(ctx);
    String commandId = commandId(ctx);
    LeadCommand command = new LeadCommand(commandId, principal.orgId(), principal.staffId(), deps.clock().instant(), payload);
    CompletableFuture<CommandResult> outcome = deps.commands().submit(command, deps.writeTimeout());
    ctx.header(IdempotencyKey.HEADER, commandId);
    ctx.future(() -> outcome.handle((result, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof CommandInFlightException) {
          error(ctx, 409, List.of(ErrorCode.IDEMPOTENCY_KEY_IN_FLIGHT.error(commandId)));
          return null;
        }
        if (!(cause instanceof TimeoutException)) {
          log.warn("Command {} could not be sent", commandId, cause);
        }
        ctx.header("Retry-After", "1");
        respond(ctx, 503, ApiJson.errorWithCommand(ErrorCode.OUTCOME_UNKNOWN.error(commandId), commandId));
      } else if (result.getOutcome() instanceof Rejected rejected) {
        error(ctx, ApiJson.status(rejected.getErrors()), rejected.getErrors());
      } else {
        respond(ctx, 200, render.apply((Accepted) result.getOutcome()));
      }
      return null;
    }));
  }

  private static String commandId(Context ctx) {
    String key = ctx.header(IdempotencyKey.HEADER);
    return key == null ? UUID.randomUUID().toString() : IdempotencyKey.commandId(key);
  }

  private static long leadId(Context ctx) {
    String text = ctx.pathParam("leadId");
    try {
      long id = QueryParameters.wholeNumber(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new Rejection(ErrorCode.INVALID_VALUE, "leadId", "expected a positive whole number");
  }

  // ---- operations

  private void live(Context ctx) {
    respond(ctx, 200, "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
  }

  private void ready(Context ctx) {
    Optional<String> problem = deps.notReadyReason().get();
    if (problem.isPresent()) {
      unavailable(ctx, problem.get());
    } else {
      respond(ctx, 200, "{\"status\":\"READY\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(deps.metrics().scrape());
  }

  private void openApi(Context ctx) {
    try (var in = HttpApi.class.getResourceAsStream("/openapi.json")) {
      respond(ctx, 200, in.readAllBytes());
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the application", e);
    }
  }

  // ---- responses

  private static void unavailable(Context ctx, String reason) {
    ctx.header("Retry-After", "1");
    error(ctx, 503, List.of(ErrorCode.NOT_READY.error(reason)));
  }

  private static void error(Context ctx, int status, List<ApiError> errors) {
    respond(ctx, status, ApiJson.errors(errors));
  }

  private static void respond(Context ctx, int status, byte[] body) {
    ctx.attribute(RESPONDED, Boolean.TRUE);
    ctx.status(status).contentType(JSON).result(body);
  }
}
