package io.lms.runtime;

import io.lms.runtime.HangingTransactions.OpenTransaction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears a hanging transaction while the service runs, on any cluster: a Kafka node killed and
 * restarted at once (a combined broker and controller, as the embedded default and {@code
 * docker-compose.yml} run) can leave one, and it stalls every read_committed reader of its
 * partition for good (see {@link HangingTransactions}).
 *
 * <p>A transaction that has just begun, or whose markers are being written, can look hanging for
 * a moment. So a transaction is aborted only when it was found hanging, with the same producer,
 * epoch and start offset, in checks at least {@link #HANGING_AFTER} apart: longer than any of
 * those moments, and shorter than a stall users would put up with. Every instance watches; a
 * second abort of the same transaction finds it closed and writes a marker with nothing to abort.
 */
final class HangingTransactionWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HangingTransactionWatch.class);
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
  static final Duration HANGING_AFTER = Duration.ofSeconds(10);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

  /** What the watch asks Kafka: the transactions hanging now, and the abort of some. */
  interface Transactions extends AutoCloseable {
    List<OpenTransaction> hanging() throws InterruptedException, ExecutionException, TimeoutException;

    void abort(List<OpenTransaction> transactions) throws InterruptedException, ExecutionException, TimeoutException;

    @Override
    default void close() {}
  }

  /** What makes a hanging transaction the same one in the next check (its last write may differ). */
  private record Sighting(TopicPartition partition, long producerId, int epoch, long startOffset) {
    static Sighting of(OpenTransaction transaction) {
      ProducerState producer = transaction.producer();
      return new Sighting(transaction.partition(), producer.producerId(), producer.producerEpoch(),
          producer.currentTransactionStartOffset().orElse(-1));
    }
  }

  private final Transactions transactions;
  private final LongSupplier clockMs;
  /** Each transaction found hanging in the last check, with when it was first found so. */
  private Map<Sighting, Long> firstFound = new HashMap<>();
  private ScheduledExecutorService scheduler;

  HangingTransactionWatch(Transactions transactions, LongSupplier clockMs) {
    this.transactions = transactions;
    this.clockMs = clockMs;
  }

  /** A watch of the topics {@code ours} accepts, through {@code admin}, which it closes when closed. */
  static HangingTransactionWatch of(Admin admin, Predicate<String> ours) {
    return new HangingTransactionWatch(new Transactions() {
      @Override
      public List<OpenTransaction> hanging() throws InterruptedException, ExecutionException, TimeoutException {
        return HangingTransactions.find(admin, ours, ADMIN_TIMEOUT);
      }

      @Override
      public void abort(List<OpenTransaction> hanging) throws InterruptedException, ExecutionException,
          TimeoutException {
        HangingTransactions.abort(admin, hanging, ADMIN_TIMEOUT);
      }

      @Override
      public void close() {
        admin.close(ADMIN_TIMEOUT);
      }
    }, System::currentTimeMillis);
  }

  /** Checks every {@link #CHECK_INTERVAL} on a daemon thread of its own. */
  HangingTransactionWatch start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lms-hanging-transactions");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // The cluster is unreachable or busy (a node restarting): the next check tries again.
        log.debug("Hanging transaction check skipped: {}", e.toString());
      }
    }, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check: aborts what has stayed hanging for {@link #HANGING_AFTER}; returns it. */
  List<OpenTransaction> check() throws InterruptedException, ExecutionException, TimeoutException {
    long now = clockMs.getAsLong();
    List<OpenTransaction> hanging = transactions.hanging();
    Map<Sighting, Long> found = new HashMap<>();
    hanging.forEach(t -> found.put(Sighting.of(t), firstFound.getOrDefault(Sighting.of(t), now)));
    firstFound = found;
    List<OpenTransaction> stale = hanging.stream()
        .filter(t -> now - found.get(Sighting.of(t)) >= HANGING_AFTER.toMillis())
        .toList();
    if (!stale.isEmpty()) {
      transactions.abort(stale);
      stale.forEach(t -> firstFound.remove(Sighting.of(t)));
    }
    return stale;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    transactions.close();
  }
}
