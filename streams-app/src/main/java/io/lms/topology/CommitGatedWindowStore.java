package io.lms.topology;

import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A window store of Kafka Streams that commits only what a committed transaction carried
 * ({@link CommittedTransactions}): the remembered results, whose segments are Kafka Streams' own.
 * Everything else it leaves to the store it wraps.
 */
final class CommitGatedWindowStore extends WrappedStateStore<WindowStore<Bytes, byte[]>, Bytes, byte[]>
    implements WindowStore<Bytes, byte[]> {
  private final CommittedTransactions transactions;

  private CommitGatedWindowStore(WindowStore<Bytes, byte[]> store, CommittedTransactions transactions) {
    super(store);
    this.transactions = transactions;
  }

  /** {@code supplier}'s stores, each committing only what {@code transactions} says committed. */
  static WindowBytesStoreSupplier supplier(WindowBytesStoreSupplier supplier, CommittedTransactions transactions) {
    return new WindowBytesStoreSupplier() {
      @Override
      public String name() {
        return supplier.name();
      }

      @Override
      public WindowStore<Bytes, byte[]> get() {
        return new CommitGatedWindowStore(supplier.get(), transactions);
      }

      @Override
      public String metricsScope() {
        return supplier.metricsScope();
      }

      @Override
      public long segmentIntervalMs() {
        return supplier.segmentIntervalMs();
      }

      @Override
      public long windowSize() {
        return supplier.windowSize();
      }

      @Override
      public boolean retainDuplicates() {
        return supplier.retainDuplicates();
      }

      @Override
      public long retentionPeriod() {
        return supplier.retentionPeriod();
      }
    };
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    if (GatedCommits.mayCommit(transactions, this)) {
      super.commit(changelogOffsets);
    }
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTimestamp) {
    wrapped().put(key, value, windowStartTimestamp);
  }

  @Override
  public byte[] fetch(Bytes key, long time) {
    return wrapped().fetch(key, time);
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    return wrapped().fetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
    return wrapped().backwardFetch(key, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return wrapped().fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
    return wrapped().backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
    return wrapped().backwardAll();
  }

  @Override
  public ReadOnlyWindowStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
    return wrapped().readOnly(isolationLevel);
  }
}
