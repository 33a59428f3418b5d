package io.lms.query;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds a write's answer until this instance's own stores show the write, when it owns the org.
 *
 * <p>Interactive queries read only what committed (transactional stores, READ_COMMITTED), and a
 * store applies a transaction's writes only after the Kafka transaction has committed, a moment
 * after the result that answers the write became readable. Without this wait, a client that reads
 * right after its write's answer could, on the instance that owns the org, be told its lead does
 * not exist yet. The wait is almost always nothing (the first look sees the write); it ends
 * after {@link #MAX_WAIT} in any case, and at once when another instance owns the org (its stores
 * committed long before this instance's consumer read the result and the client asked again).
 */
public final class ReadYourWrites implements AutoCloseable {
  static final Duration MAX_WAIT = Duration.ofMillis(500);
  private static final long RECHECK_MILLIS = 1;

  private final LeadReader reader;
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "read-your-writes");
    thread.setDaemon(true);
    return thread;
  });

  /** @param reader a reader that answers {@link QueryResult.Elsewhere} for orgs another instance owns */
  public ReadYourWrites(LeadReader reader) {
    this.reader = reader;
  }

  /** Completes with {@code result} once this instance's stores show it, or are not the org's. */
  public CompletableFuture<CommandResult> visible(CommandResult result) {
    if (!(result.getOutcome() instanceof Accepted accepted)) {
      return CompletableFuture.completedFuture(result);
    }
    Supplier<Boolean> shown = shownBy(result.getOrgId(), accepted);
    CompletableFuture<CommandResult> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    // Not on the caller's thread: that is the results consumer, which every waiting write needs.
    checks.execute(() -> check(shown, result, done, deadline));
    return done;
  }

  private void check(Supplier<Boolean> shown, CommandResult result, CompletableFuture<CommandResult> done,
      long deadline) {
    try {
      if (shown.get() || System.nanoTime() > deadline) {
        done.complete(result);
      } else {
        checks.schedule(() -> check(shown, result, done, deadline), RECHECK_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      // The write committed: a failed look must not turn its answer into an error.
      done.complete(result);
    }
  }

  /** Whether a read would show what {@code accepted} wrote: true too when the org is not read here. */
  private Supplier<Boolean> shownBy(String orgId, Accepted accepted) {
    LeadState lead = accepted.getLead();
    if (lead != null) {
      return () -> shows(reader.lead(orgId, lead.getId()),
          stored -> stored.equals(lead) || stored.getLastUpdatedAtMillis() > lead.getLastUpdatedAtMillis());
    }
    List<Reason> reasons = accepted.getReasons();
    if (reasons != null && !reasons.isEmpty()) {
      return () -> shows(reader.reasons(orgId), stored -> stored.containsAll(reasons));
    }
    SubStatus subStatus = accepted.getSubStatus();
    if (subStatus != null) {
      return () -> shows(reader.subStatuses(orgId), stored -> stored.contains(subStatus));
    }
    return () -> true;
  }

  private static <T> boolean shows(QueryResult<T> read, java.util.function.Predicate<T> current) {
    if (read instanceof QueryResult.Found<T> found) {
      return current.test(found.value());
    }
    // Not found or not readable yet: look again. Another instance's: nothing to wait for here.
    return read instanceof QueryResult.Elsewhere<T>;
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
