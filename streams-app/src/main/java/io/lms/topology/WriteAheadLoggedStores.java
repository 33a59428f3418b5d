package io.lms.topology;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent key-value stores whose committed writes survive a crash of the process on their own:
 * those without a changelog (the indexes, see {@link SearchIndexes}) have nothing else to come back
 * from, and the others need nothing replayed from theirs.
 *
 * <p>Kafka Streams writes RocksDB without its write-ahead log: a store's changelog is what survives
 * a crash, and whatever RocksDB still held in memory at a kill -9 is replayed from there. A store
 * without a changelog has nothing to replay: what it lost, it lost, and the indexes would have to
 * be rebuilt from all the leads (half a minute at a million). With transactional stores each
 * commit reaches RocksDB as one write batch, so turning the log on costs one append per store per
 * commit, and on restart RocksDB itself brings the store back to its last commit. (A power loss can
 * still lose what the operating system had not written: the changelogs restore the logged stores
 * then, and the indexes are rebuilt.)
 *
 * <p>A store commits only after the Kafka transaction that carried its writes did
 * ({@link CommittedTransactions}): what RocksDB then keeps, the log keeps through a crash.
 *
 * <p>Kafka Streams offers no setting for the write-ahead log; its write options are a field of
 * {@link RocksDBStore}, reached here by reflection. When a Kafka upgrade moves it, the store runs as
 * before with a warning, and {@code WriteAheadLoggedStoresTest} fails the build.
 */
final class WriteAheadLoggedStores {
  private static final Logger log = LoggerFactory.getLogger(WriteAheadLoggedStores.class);
  private static final String METRICS_SCOPE = "rocksdb";

  private WriteAheadLoggedStores() {}

  /**
   * Like {@code Stores.persistentKeyValueStore(name)}, with RocksDB's write-ahead log on, committing
   * only what {@code transactions} says committed.
   */
  static KeyValueBytesStoreSupplier persistentKeyValueStore(String name, CommittedTransactions transactions) {
    return supplier(name, () -> new LoggedStore(name, transactions));
  }

  static KeyValueBytesStoreSupplier supplier(String name, Supplier<? extends LoggedStore> store) {
    return supplier(name, METRICS_SCOPE, store);
  }

  /** A supplier of {@code store}s named {@code name}, whose metrics are under {@code metricsScope}. */
  static KeyValueBytesStoreSupplier supplier(
      String name, String metricsScope, Supplier<? extends KeyValueStore<Bytes, byte[]>> store) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return store.get();
      }

      @Override
      public String metricsScope() {
        return metricsScope;
      }
    };
  }

  static class LoggedStore extends RocksDBStore {
    private final CommittedTransactions transactions;

    LoggedStore(String name, CommittedTransactions transactions) {
      super(name, METRICS_SCOPE);
      this.transactions = transactions;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      super.init(context, root);
      enableWriteAheadLog(this);
    }

    @Override
    public synchronized void commit(Map<TopicPartition, Long> changelogOffsets) {
      if (GatedCommits.mayCommit(transactions, this)) {
        super.commit(changelogOffsets);
      }
    }
  }

  /**
   * A store where every write batch also rewrites the one entry at {@code key} (the indexes' mark,
   * see {@link SearchIndexes#mark}): that entry is held in memory and written once, into the batch
   * each commit writes, instead of once per put. Reads of the key see the value held; the commit
   * writes it with the rest, so on disk the entry and the writes it describes stay one atomic batch.
   * A store closed without a commit drops the value held, with the batch.
   */
  static class EntryWrittenAtCommit extends LoggedStore {
    private final Bytes key;
    private boolean held;
    /** The value the next commit writes at {@link #key}, null for a delete. */
    private byte[] value;

    EntryWrittenAtCommit(String name, Bytes key, CommittedTransactions transactions) {
      super(name, transactions);
      this.key = key;
    }

    @Override
    public synchronized void put(Bytes key, byte[] value) {
      if (this.key.equals(key)) {
        this.value = value;
        held = true;
      } else {
        super.put(key, value);
      }
    }

    @Override
    public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
      List<KeyValue<Bytes, byte[]>> others = new ArrayList<>(entries.size());
      for (KeyValue<Bytes, byte[]> entry : entries) {
        if (key.equals(entry.key)) {
          put(entry.key, entry.value);
        } else {
          others.add(entry);
        }
      }
      super.putAll(others);
    }

    @Override
    public synchronized byte[] delete(Bytes key) {
      if (this.key.equals(key)) {
        byte[] previous = get(key);
        put(key, null);
        return previous;
      }
      return super.delete(key);
    }

    @Override
    public synchronized byte[] get(Bytes key) {
      if (held && this.key.equals(key)) {
        return value;
      }
      return super.get(key);
    }

    @Override
    public synchronized void commit(Map<TopicPartition, Long> changelogOffsets) {
      if (held) {
        super.put(key, value);
        held = false;
        value = null;
      }
      super.commit(changelogOffsets);
    }

    @Override
    public synchronized void close() {
      held = false;
      value = null;
      super.close();
    }
  }

  /** Whether {@code store}'s writes go to RocksDB's write-ahead log; false when that cannot be told. */
  static boolean writesAheadLog(RocksDBStore store) {
    try {
      return !writeOptions(store).disableWAL();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static void enableWriteAheadLog(RocksDBStore store) {
    try {
      writeOptions(store).setDisableWAL(false);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Could not turn on RocksDB's write-ahead log for store {} ({}): after a crash its contents are"
          + " rebuilt", store.name(), e.toString());
    }
  }

  private static WriteOptions writeOptions(RocksDBStore store) throws ReflectiveOperationException {
    Field field = RocksDBStore.class.getDeclaredField("wOptions");
    field.setAccessible(true);
    return (WriteOptions) field.get(store);
  }
}
