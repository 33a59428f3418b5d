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
      for (int round = 1; round <= ROUNDS; round++) {
        Timed hits = timeGets(db, column, present);
        Timed misses = timeGets(db, column, absent);
        if (hits.found() != (long) KEYS * PASSES || misses.found() != 0) {
          throw new IllegalStateException("found " + hits.found() + " of the present keys and "
              + misses.found() + " of the absent ones");
        }
        System.out.printf("round %d: hit %,6.0f ns per get   miss %,6.0f ns per get   miss / hit %.2f%n", round,
            (double) hits.nanos() / (KEYS * PASSES), (double) misses.nanos() / (KEYS * PASSES),
            (double) misses.nanos() / hits.nanos());
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

  /** How long the gets took, and how many found their key (which also keeps the JIT from dropping them). */
  private record Timed(long nanos, long found) {}

  private static Timed timeGets(RocksDB db, ColumnFamilyHandle column, byte[][] keys) throws RocksDBException {
    long found = 0;
    long start = System.nanoTime();
    for (int pass = 0; pass < PASSES; pass++) {
      for (byte[] key : keys) {
        if (db.get(column, key) != null) {
          found++;
        }
      }
    }
    return new Timed(System.nanoTime() - start, found);
  }
}
