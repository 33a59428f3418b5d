package io.lms.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Filter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * What a RocksDB get costs through RocksJava when the key is absent, next to one that finds it,
 * for the RocksJava on the classpath. LMS reads absent keys several times per command (every new
 * command's idempotency lookup, every new customer identifier), so the miss is the figure to watch
 * when Kafka's or LMS's RocksDB version changes (BENCHMARKS.md). The hit is the ceiling: a miss in
 * the same store should cost no more.
 *
 * <p>Run it with each version's jar in place of the one {@code benchmarks/target/lib} holds.
 */
public final class RocksDbGetBenchmark {
  private static final int KEYS = 50_000;
  private static final int PASSES = 10;
  private static final int ROUNDS = 6;
  /** Keeps the JIT from dropping the reads whose results nothing else uses. */
  private static volatile long blackhole;

  private RocksDbGetBenchmark() {}

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    Path dir = Files.createTempDirectory("lms-rocksdb-get");
    // As Kafka Streams opens its stores: bloom filters and a block cache, here large enough for
    // every block, so that the figures are CPU and not the disk.
    try (Cache cache = new LRUCache(128L << 20);
        Filter bloom = new BloomFilter();
        Options options = new Options().setCreateIfMissing(true)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom));
        RocksDB db = RocksDB.open(options, dir.toString())) {
      ColumnFamilyHandle column = db.getDefaultColumnFamily();
      byte[][] present = keys("lead-");
      byte[][] absent = keys("none-");
      byte[] value = new byte[800];
      for (byte[] key : present) {
        db.put(column, key, value);
      }
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush);
      }
      System.out.printf("RocksJava %s: %,d keys of 800 B in one SST file with bloom filters, cached; "
          + "%d rounds of %,d gets each%n",
          RocksDB.rocksdbVersion(), KEYS, ROUNDS, KEYS * PASSES);
      long found = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        long hitNanos = timeGets(db, column, present);
        long missNanos = timeGets(db, column, absent);
        found += countFound(db, column, present) + countFound(db, column, absent);
        System.out.printf("round %d: hit %,6.0f ns per get   miss %,6.0f ns per get   miss / hit %.2f%n", round,
            (double) hitNanos / (KEYS * PASSES), (double) missNanos / (KEYS * PASSES), (double) missNanos / hitNanos);
      }
      if (found != (long) ROUNDS * KEYS) {
        throw new IllegalStateException("found " + found + " keys, expected " + (long) ROUNDS * KEYS);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[][] keys(String prefix) {
    byte[][] keys = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = ("org-" + (i % 1000) + "/" + prefix + i).getBytes(StandardCharsets.UTF_8);
    }
    return keys;
  }

  private static long timeGets(RocksDB db, ColumnFamilyHandle column, byte[][] keys) throws RocksDBException {
    long sink = 0;
    long start = System.nanoTime();
    for (int pass = 0; pass < PASSES; pass++) {
      for (byte[] key : keys) {
        byte[] value = db.get(column, key);
        sink += value == null ? 1 : value.length;
      }
    }
    long elapsed = System.nanoTime() - start;
    blackhole += sink;
    return elapsed;
  }

  private static long countFound(RocksDB db, ColumnFamilyHandle column, byte[][] keys) throws RocksDBException {
    long found = 0;
    for (byte[] key : keys) {
      if (db.get(column, key) != null) {
        found++;
      }
    }
    return found;
  }
}
