package io.lms.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings of the LMS stores, on top of Kafka Streams' defaults.
 *
 * <p>Two stores are asked mostly about keys they do not hold: the results store ("was this
 * command applied?", nearly always no) and the customer identifiers (a new customer's email).
 * Kafka Streams' defaults suit stores asked about keys they hold: Bloom filters of whole keys, but
 * none in the last level ({@code optimize_filters_for_hits}), where universal compaction soon
 * keeps nearly all the data. A miss then reads an index and a data block of that level from disk.
 * These two stores get filters in every level.
 *
 * <p>Kafka Streams reads a window store by seeking an iterator, and a seek does not consult a
 * whole-key filter. The results store's keys are fixed-length hashes ({@link StoreKeys#command})
 * followed by the window's timestamp, so a prefix extractor of the hash's length gives it filters
 * that a seek does consult, in files and in memtables. At a million remembered commands, its
 * lookups took a fifth of the stream thread's time without them.
 *
 * <p>Correctness never depends on these settings: without them a lookup finds the same results,
 * only more slowly.
 */
public final class LmsRocksDbConfig implements RocksDBConfigSetter {
  /** Bits of memtable given to its prefix filter, as a share of the write buffer. */
  static final double MEMTABLE_PREFIX_BLOOM_RATIO = 0.05;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    if (isResultsSegment(storeName)) {
      options.useFixedLengthPrefixExtractor(StoreKeys.COMMAND_KEY_LENGTH);
      options.setMemtablePrefixBloomSizeRatio(MEMTABLE_PREFIX_BLOOM_RATIO);
      options.setOptimizeFiltersForHits(false);
    } else if (storeName.equals(StoreNames.CUSTOMER_IDENTIFIERS)) {
      options.setOptimizeFiltersForHits(false);
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
