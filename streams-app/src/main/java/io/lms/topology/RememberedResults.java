package io.lms.topology;

import io.lms.domain.CommandHandler;
import io.lms.schema.CommandResult;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The first result of every command applied within the idempotency retention, so that a repeated
 * commandId yields it again. Kept in a window store, whose time segments expire without a sweep.
 *
 * <p>A window store finds a key at an unknown time only by opening and seeking an iterator in every
 * live segment, and nearly every command asks about a commandId never seen: those seeks were a
 * tenth of the stream thread. A key at a known time is a point lookup, which a Bloom filter
 * answers for a miss at about half the cost of a seek. So a result is not stored at the time it was
 * applied but at the last millisecond of its bucket, half a retention long, and a lookup asks for
 * the key in the three buckets a retention reaches back into. Half a retention is also the segment
 * interval Kafka Streams gives a window store of that retention, so bucket and segment coincide:
 * one point lookup per live segment where there was one seek, and a single one in a store younger
 * than a bucket, since a segment that does not exist costs no RocksDB read.
 *
 * <p>Results are kept as long as before, three segments of half a retention. A window store shows a
 * record while the newest time stored is less than its retention past it; the newest time stored
 * is the end of the current bucket, and the store's retention is two buckets and a millisecond
 * ({@link #storeRetention}), so a result stays visible in its own bucket and the two after it: at
 * least the idempotency retention. Changing the retention changes the buckets, so results stored
 * before the change are no longer found.
 */
final class RememberedResults {
  /**
   * A clock this far behind the one of the instance that stored a result (after a rebalance, say)
   * still finds it: near a bucket's end, the next bucket is asked too.
   */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  private final WindowStore<Bytes, CommandResult> store;
  private final long bucketMillis;
  // The command looked up last and its key: a new command's result is stored right after its
  // lookup, under the same key, which is then not hashed a second time.
  private String lastOrgId;
  private String lastCommandId;
  private Bytes lastKey;

  RememberedResults(WindowStore<Bytes, CommandResult> store, Duration retention) {
    this.store = store;
    this.bucketMillis = bucketMillis(retention);
  }

  /** The retention to give the window store: two buckets and a millisecond. */
  static Duration storeRetention(Duration retention) {
    return Duration.ofMillis(2 * bucketMillis(retention) + 1);
  }

  /** Half the retention, rounded up. */
  private static long bucketMillis(Duration retention) {
    return (retention.toMillis() + 1) / 2;
  }

  /**
   * The first result of the command, when it was applied within the retention before
   * {@code nowMillis}. Commands of an invalid org are never remembered: their key ("acme/x" + "/" +
   * "y") could be another org's command ("acme", "x/y"), and their rejection is as cheap to decide
   * again. Results are keyed by a hash of the command ({@link StoreKeys#command}), so the one found
   * must be this command's.
   */
  Optional<CommandResult> first(String orgId, String commandId, long nowMillis) {
    if (!CommandHandler.isValidOrgId(orgId)) {
      return Optional.empty();
    }
    Bytes key = key(orgId, commandId);
    long current = bucket(nowMillis);
    for (long bucket = bucket(nowMillis + CLOCK_SKEW.toMillis()); bucket >= current - 2; bucket--) {
      CommandResult found = store.fetch(key, storedAt(bucket));
      if (found != null && found.getCommandId().equals(commandId) && found.getOrgId().equals(orgId)) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  /** Writes a tombstone of a key no command has: see {@link LeadStores#touchChangelogs}. */
  void touchChangelog(long nowMillis) {
    store.put(Bytes.wrap(new byte[] {'#'}), null, nowMillis);
  }

  /** Remembers the result of a command applied at {@code nowMillis}. */
  void remember(CommandResult result, long nowMillis) {
    if (!CommandHandler.isValidOrgId(result.getOrgId())) {
      return;
    }
    store.put(key(result.getOrgId(), result.getCommandId()), result, storedAtTimeOf(nowMillis));
  }

  private Bytes key(String orgId, String commandId) {
    if (!commandId.equals(lastCommandId) || !orgId.equals(lastOrgId)) {
      lastKey = StoreKeys.command(orgId, commandId);
      lastOrgId = orgId;
      lastCommandId = commandId;
    }
    return lastKey;
  }

  private long bucket(long millis) {
    return Math.floorDiv(millis, bucketMillis);
  }

  /** The time a bucket's results are stored at, in the window store: its last millisecond. */
  private long storedAt(long bucket) {
    return bucket * bucketMillis + bucketMillis - 1;
  }

  /** The time the results of a command applied at {@code millis} are stored at. */
  long storedAtTimeOf(long millis) {
    return storedAt(bucket(millis));
  }
}
