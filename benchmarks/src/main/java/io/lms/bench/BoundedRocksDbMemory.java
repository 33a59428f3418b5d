package io.lms.bench;

import io.lms.topology.LmsRocksDbConfig;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * LMS's own RocksDB settings ({@link LmsRocksDbConfig}), plus one block cache and one memtable
 * budget shared by every RocksDB store of the JVM, as the Kafka Streams memory-management guide
 * describes, for {@code --bounded-rocksdb}. Without it every store of every task opens its own
 * 50 MB block cache and up to three write buffers: the full topology has ten stores on each of
 * six partitions.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
  static final long TOTAL_BYTES = 256L * 1024 * 1024;
  static final long MEMTABLE_BYTES = 64L * 1024 * 1024;

  static {
    // This class may be loaded before the first store has loaded the native library.
    RocksDB.loadLibrary();
  }

  // Shared by every store instance: created once, never closed per store.
  private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
  private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

  private final LmsRocksDbConfig lms = new LmsRocksDbConfig();

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    lms.setConfig(storeName, options, configs);
    var table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(WRITE_BUFFERS);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager belong to every store: nothing of one store to close.
    lms.close(storeName, options);
  }
}
