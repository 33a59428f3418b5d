package io.lms.topology;

import java.lang.reflect.Field;
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
 * <p>Kafka Streams offers no setting for the write-ahead log; its write options are a field of
 * {@link RocksDBStore}, reached here by reflection. When a Kafka upgrade moves it, the store runs as
 * before with a warning, and {@code WriteAheadLoggedStoresTest} fails the build.
 */
final class WriteAheadLoggedStores {
  private static final Logger log = LoggerFactory.getLogger(WriteAheadLoggedStores.class);
  private static final String METRICS_SCOPE = "rocksdb";

  private WriteAheadLoggedStores() {}

  /** Like {@code Stores.persistentKeyValueStore(name)}, with RocksDB's write-ahead log on. */
  static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new RocksDBStore(name, METRICS_SCOPE) {
          @Override
          public void init(StateStoreContext context, StateStore root) {
            super.init(context, root);
            enableWriteAheadLog(this);
          }
        };
      }

      @Override
      public String metricsScope() {
        return METRICS_SCOPE;
      }
    };
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
