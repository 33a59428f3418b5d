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
}
