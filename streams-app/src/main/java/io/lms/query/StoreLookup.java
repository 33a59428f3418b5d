package io.lms.query;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Finds the local store that holds one org's data: in production the org's partition of a running
 * {@code KafkaStreams} (see {@link LocalLeadReader#forStreams}), in tests a
 * {@code TopologyTestDriver}'s store ({@code (name, org) -> driver.getKeyValueStore(name)}).
 */
@FunctionalInterface
public interface StoreLookup {
  /**
   * The store, keyed by {@code String} like every LMS store.
   *
   * @throws InvalidStateStoreException when it cannot be queried now: not started, rebalancing,
   *     restoring, or the org's partition is not active on this instance
   */
  ReadOnlyKeyValueStore<String, ?> store(String storeName, String orgId);

  /**
   * Forgets the stores looked up so far, if any are kept: called after a read of one failed, so
   * that the next read looks its store up again.
   */
  default void forgetResolved() {}

  /**
   * Whether {@code key} is in the org's store counting writes whose transaction has not committed
   * yet. Reads see committed state only, and a task commits its stores just after its Kafka
   * transaction: in between, a write's result is already on the results topic, so another
   * instance may have answered it, while this store does not show it. Such a key must not be
   * called absent. Where every write commits at once (a {@code TopologyTestDriver}), false.
   */
  default boolean holdsUncommitted(String storeName, String orgId, String key) {
    return false;
  }
}
