package io.lms.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Answers of Kafka Streams about this instance's tasks (a partition's store, an org owned here),
 * each looked up once and kept while Kafka Streams stays RUNNING. Those lookups go through Kafka
 * Streams' locks and copy its list of tasks or its metadata: a store lookup was a third of what a
 * lead lookup did in LMS's own code (the RocksDB get and decoding were the rest), and a search or
 * the due list made three.
 *
 * <p>An answer is used only while no state change has happened since it was looked up, and only
 * one looked up while RUNNING is kept. A task leaves this instance only in a rebalance, which moves
 * Kafka Streams to REBALANCING before the task is closed or made a standby (the classic protocol
 * changes state first; the streams protocol first suspends the task, committed, and the task goes
 * elsewhere only after this instance has acknowledged that, by which time the state has changed).
 * Through a rebalance every request looks up again, as before.
 */
final class KeptWhileRunning<K, V> {
  private record Kept<V>(long stateChanges, V value) {}

  private final BooleanSupplier running;
  private final StreamsStateChanges stateChanges;
  private final Map<K, Kept<V>> kept = new ConcurrentHashMap<>();

  KeptWhileRunning(BooleanSupplier running, StreamsStateChanges stateChanges) {
    this.running = running;
    this.stateChanges = stateChanges;
  }

  /**
   * The answer kept for {@code key}, else {@code lookUp}'s, which is kept when {@code worthKeeping}
   * says so (only answers that stay true until the next rebalance are).
   */
  V get(K key, Function<? super K, ? extends V> lookUp, Predicate<? super V> worthKeeping) {
    // Read before the lookup: a change during it leaves the answer kept under an older count,
    // never used.
    long changes = stateChanges.count();
    Kept<V> known = kept.get(key);
    if (known != null && known.stateChanges() == changes) {
      return known.value();
    }
    V value = lookUp.apply(key);
    if (worthKeeping.test(value) && running.getAsBoolean() && stateChanges.count() == changes) {
      kept.put(key, new Kept<>(changes, value));
    }
    return value;
  }

  /** Forgets every answer kept: the next request of each looks it up again. */
  void forget() {
    kept.clear();
  }
}
