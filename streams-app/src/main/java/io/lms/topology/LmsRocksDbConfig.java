package io.lms.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings of the LMS stores, on top of Kafka Streams' defaults. Each was measured with
 * the throughput benchmark (BENCHMARKS.md) and a CPU profile of the stream threads, where RocksDB
 * took more than half the time.
 *
 * <p><b>Filters for lookups that miss.</b> Two stores are asked mostly about keys they do not
 * hold: the results store ("was this command applied?", nearly always no) and the customer
 * identifiers (a new customer's email). Kafka Streams' defaults suit lookups that hit: Bloom
 * filters of whole keys, but none in the last level ({@code optimize_filters_for_hits}), where
 * universal compaction soon keeps nearly all the data; a miss then reads an index block and a data
 * block of that level. These two stores get filters in every level. The results store's keys are
 * fixed-length hashes ({@link StoreKeys#command}) followed by the window's timestamp; a prefix
 * extractor of the hash's length gives its memtables and files filters of the command alone, which
 * a point lookup ({@link RememberedResults}) and a seek over the command's key both consult. At a
 * million remembered commands, seeks without them had taken a fifth of the stream thread's time.
 * Stores read by key also get a filter in their memtables, which a read otherwise searches first.
 *
 * <p><b>Smaller write buffers.</b> A put into a memtable walks a skip list through memory far
 * larger than the CPU caches: at Kafka Streams' 16 MB, inserting was the largest single cost of
 * the stream thread, above all in the index stores, whose 100-byte entries make a 16 MB memtable a
 * list of 160,000. The index stores flush at 2 MB, the others at 4 MB; this also bounds memory,
 * since every store of every task has up to three write buffers.
 *
 * <p>Correctness never depends on these settings: without them every lookup finds the same data,
 * only more slowly.
 */
public final class LmsRocksDbConfig implements RocksDBConfigSetter {
  /** Bits of memtable given to its prefix filter, as a share of the write buffer. */
  static final double MEMTABLE_PREFIX_BLOOM_RATIO = 0.05;
  /** Write buffer of the index stores, whose entries are small (about 100 bytes). */
  static final long INDEX_WRITE_BUFFER_BYTES = 2L * 1024 * 1024;
  /** Write buffer of every other store (Kafka Streams' default: 16 MB). */
  static final long WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    boolean index = storeName.equals(StoreNames.SEARCH_INDEX) || storeName.equals(StoreNames.FOLLOW_UP_DUE_INDEX);
    options.setWriteBufferSize(index ? INDEX_WRITE_BUFFER_BYTES : WRITE_BUFFER_BYTES);
    if (isResultsSegment(storeName)) {
      options.useFixedLengthPrefixExtractor(StoreKeys.COMMAND_KEY_LENGTH);
      options.setMemtablePrefixBloomSizeRatio(MEMTABLE_PREFIX_BLOOM_RATIO);
      options.setOptimizeFiltersForHits(false);
    } else if (storeName.equals(StoreNames.CUSTOMER_IDENTIFIERS)) {
      options.setOptimizeFiltersForHits(false);
      options.setMemtableWholeKeyFiltering(true);
      options.setMemtablePrefixBloomSizeRatio(MEMTABLE_PREFIX_BLOOM_RATIO);
    } else if (storeName.equals(StoreNames.LEADS)) {
      options.setMemtableWholeKeyFiltering(true);
      options.setMemtablePrefixBloomSizeRatio(MEMTABLE_PREFIX_BLOOM_RATIO);
    }
  }

  /** A window store keeps each time segment in a RocksDB of its own, named {@code store.<start>}. */
  static boolean isResultsSegment(String storeName) {
    return storeName.startsWith(StoreNames.COMMAND_RESULTS + ".");
  }

  @Override
  public void close(String storeName, Options options) {
    // Nothing was allocated here: the extractor belongs to the options, which Kafka Streams closes.
  }
}
