package io.lms.query;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The store of the org's partition on this instance. Asking for that one partition, rather than
 * for all local partitions at once, is what keeps a rebalance from turning into a wrong "not
 * found": if the org's task is not active here (it moved, or is restoring), Kafka Streams throws
 * {@link InvalidStateStoreException} instead of returning the other partitions' stores, where the
 * org's keys are simply absent. Each store is looked up once while Kafka Streams runs ({@link
 * KeptWhileRunning}).
 */
final class StreamsStoreLookup implements StoreLookup {
  private static final ResolvedKeyValueStoreType KEY_VALUE = new ResolvedKeyValueStoreType();
  private final KafkaStreams streams;
  private final Serializer<String> orgSerializer = new StringSerializer();
  // An org's partition is a function of the org and the partition count, which never changes
  // under a running application: asked once per org, not under Kafka Streams' metadata lock on
  // every read.
  private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
  private final KeptWhileRunning<StorePartition, ReadOnlyKeyValueStore<String, ?>> resolved;

  private record StorePartition(String storeName, int partition) {}

  StreamsStoreLookup(KafkaStreams streams, StreamsStateChanges stateChanges) {
    this.streams = streams;
    this.resolved = new KeptWhileRunning<>(() -> streams.state() == KafkaStreams.State.RUNNING, stateChanges);
  }

  @Override
  public ReadOnlyKeyValueStore<String, ?> store(String storeName, String orgId) {
    try {
      return resolved.get(new StorePartition(storeName, partitionOf(storeName, orgId)), this::lookUp, store -> true);
    } catch (IllegalStateException notRunning) {
      // Both lookups throw it once the application is shutting down or has failed.
      throw new InvalidStateStoreException(notRunning.getMessage(), notRunning);
    }
  }

  @Override
  public void forgetResolved() {
    resolved.forget();
  }

  private ReadOnlyKeyValueStore<String, ?> lookUp(StorePartition store) {
    return streams.store(StoreQueryParameters.fromNameAndType(store.storeName(), KEY_VALUE)
        .withPartition(store.partition()));
  }

  @Override
  public boolean holdsUncommitted(String storeName, String orgId, String key) {
    int partition = partitionOf(storeName, orgId);
    StateQueryRequest<Object> request = StateQueryRequest.inStore(storeName)
        .withQuery(KeyQuery.<String, Object>withKey(key))
        .withPartitions(Set.of(partition))
        .requireActive()
        .withIsolationLevel(IsolationLevel.READ_UNCOMMITTED);
    try {
      QueryResult<Object> result = streams.query(request).getPartitionResults().get(partition);
      return result != null && result.isSuccess() && result.getResult() != null;
    } catch (IllegalStateException notRunning) {
      throw new InvalidStateStoreException(notRunning.getMessage(), notRunning);
    }
  }

  private int partitionOf(String storeName, String orgId) {
    Integer known = partitions.get(orgId);
    if (known != null) {
      return known;
    }
    // Commands are keyed by org, so the org's partition is the one of every store of the org.
    KeyQueryMetadata metadata = streams.queryMetadataForKey(storeName, orgId, orgSerializer);
    if (metadata == null || metadata.partition() < 0) {
      throw new InvalidStateStoreException("no partition of " + storeName + " is known yet");
    }
    partitions.put(orgId, metadata.partition());
    return metadata.partition();
  }
}
