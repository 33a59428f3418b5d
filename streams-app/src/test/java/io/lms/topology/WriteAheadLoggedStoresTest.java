package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed write to an index store survives the process being killed, with nothing closed or
 * flushed: a second JVM writes and commits, then halts, and this one opens the store again. The
 * same run over Kafka Streams' own store loses the write, which shows what the write-ahead log is for.
 */
class WriteAheadLoggedStoresTest {
  private static final Bytes KEY = Bytes.wrap("acme/updated/OPEN/1".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path stateDir;

  @Test
  void aCommittedWriteSurvivesAKill() throws Exception {
    crashAfterCommit(stateDir, "logged");
    KeyValueStore<Bytes, byte[]> store = open(WriteAheadLoggedStores.persistentKeyValueStore("search-index", CommittedTransactions.UNTRACKED), stateDir);
    try {
      assertThat(WriteAheadLoggedStores.writesAheadLog((RocksDBStore) store)).isTrue();
      assertThat(store.get(KEY)).isEqualTo(new byte[] {42});
    } finally {
      store.close();
    }
  }

  @Test
  void kafkaStreamsOwnStoreLosesItWithoutAChangelog() throws Exception {
    crashAfterCommit(stateDir, "plain");
    KeyValueStore<Bytes, byte[]> store = open(Stores.persistentKeyValueStore("search-index"), stateDir);
    try {
      assertThat(store.get(KEY)).isNull();
    } finally {
      store.close();
    }
  }

  @Test
  void theEntryWrittenAtCommitReachesTheStoreOnlyAsOfEachCommit() {
    KeyValueStore<Bytes, byte[]> store = open(markedStore(), stateDir);
    try {
      long staged = store.approximateNumUncommittedBytes();
      for (byte i = 1; i <= 100; i++) {
        store.put(SearchIndexes.MARK, new byte[] {i});
      }
      assertThat(store.get(SearchIndexes.MARK)).as("read back as held").isEqualTo(new byte[] {100});
      assertThat(store.approximateNumUncommittedBytes()).as("nothing staged for the held entry").isEqualTo(staged);
      store.put(KEY, new byte[] {42});
      assertThat(store.approximateNumUncommittedBytes()).as("another entry is staged").isGreaterThan(staged);

      store.commit(Map.of());
      assertThat(((RocksDBStore) store).readOnly(IsolationLevel.READ_COMMITTED).get(SearchIndexes.MARK))
          .as("committed with the batch").isEqualTo(new byte[] {100});

      store.delete(SearchIndexes.MARK);
      assertThat(store.get(SearchIndexes.MARK)).isNull();
    } finally {
      store.close();
    }
  }

  @Test
  void theEntryHeldAtACrashIsLostWithItsBatchAndTheCommittedOneSurvives() throws Exception {
    crashAfterCommit(stateDir, "marked");
    KeyValueStore<Bytes, byte[]> store = open(markedStore(), stateDir);
    try {
      assertThat(store.get(KEY)).isEqualTo(new byte[] {42});
      assertThat(store.get(SearchIndexes.MARK)).as("the last mark before the commit").isEqualTo(new byte[] {2});
    } finally {
      store.close();
    }
  }

  private static KeyValueBytesStoreSupplier markedStore() {
    return new IndexedLeads(CommittedTransactions.UNTRACKED).index("search-index");
  }

  private static void crashAfterCommit(Path stateDir, String kind) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashAfterCommit.class.getName(), stateDir.toString(), kind)
        .inheritIO().start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("the writer halts with 17 after its commit").isEqualTo(17);
  }

  static KeyValueStore<Bytes, byte[]> open(KeyValueBytesStoreSupplier supplier, Path stateDir) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "wal-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
    File dir = stateDir.toFile();
    StateStoreContext context = new MockProcessorContext<>(config, new TaskId(0, 0), dir).getStateStoreContext();
    KeyValueStore<Bytes, byte[]> store = supplier.get();
    store.init(context, store);
    return store;
  }

  /** Writes, commits, and halts the JVM as a kill would: no close, no flush. */
  static final class CrashAfterCommit {
    public static void main(String[] args) {
      KeyValueBytesStoreSupplier supplier = switch (args[1]) {
        case "logged" -> WriteAheadLoggedStores.persistentKeyValueStore("search-index", CommittedTransactions.UNTRACKED);
        case "marked" -> markedStore();
        default -> Stores.persistentKeyValueStore("search-index");
      };
      KeyValueStore<Bytes, byte[]> store = open(supplier, Path.of(args[0]));
      store.put(SearchIndexes.MARK, new byte[] {1});
      store.put(KEY, new byte[] {42});
      store.put(SearchIndexes.MARK, new byte[] {2});
      store.commit(Map.of());
      store.put(SearchIndexes.MARK, new byte[] {3});
      Runtime.getRuntime().halt(17);
    }
  }
}
