package io.lms.topology;

import io.lms.domain.CommandHandler;
import io.lms.domain.Times;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadSummary;
import io.lms.schema.LeadType;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The secondary indexes of the leads, moved in step with every lead write. Each index gives a lead
 * at most one key, derived from its state; the value is the lead's {@link LeadSummary}, so a search
 * filters on type, sub-status, customer, owner and source without decoding a LeadState.
 *
 * <ul>
 *   <li>{@code org/updated/STATUS/lastUpdatedMillis/id} in {@link StoreNames#SEARCH_INDEX}: search by
 *       status sorted by lastUpdatedOn. Without a status filter, a search merges the statuses it lists.
 *   <li>{@code org/created/STATUS/id}: search sorted by creation (id), where {@code offset} is a seek.
 *   <li>{@code org/customer/userId/id}: search by customer, whose leads are few.
 *   <li>{@code org/dueMillis/id} in {@link StoreNames#FOLLOW_UP_DUE_INDEX}: OPEN and ON_HOLD leads with
 *       a follow-up scheduled, for the due list and auto-close.
 * </ul>
 *
 * <p>The indexes have no changelog: they are a function of the leads store. They follow every lead
 * the processor writes and every lead a restore brings in ({@link IndexedLeads}), so a standby's
 * indexes are current when it takes over; they are rebuilt from the leads only when they could not
 * follow (see {@link LeadStores#ensureIndexes}). Either costs less than the three to four changelog
 * records per command that keeping them logged cost.
 *
 * <p>Writes per lead change: a new lead puts one entry per index
 * (three, four with a follow-up due); a change that only touches lastUpdatedOn (a follow-up, new
 * extended fields) moves the {@code updated} entry (a delete and a put) and, when nextFollowUp
 * moved, the due entry; a status or owner change also rewrites the other entries.
 */
public final class SearchIndexes {
  /**
   * Key of the mark both indexes carry, outside every org's key range (org ids are
   * {@code [A-Za-z0-9_.-]}, so no search or sweep reaches it).
   */
  public static final String MARK_KEY = "#mark";
  /** {@link #MARK_KEY} as the index stores hold it. */
  static final Bytes MARK = Bytes.wrap(MARK_KEY.getBytes(StandardCharsets.UTF_8));

  private record Index(KeyValueStore<String, EncodedSummary> store, Function<LeadState, String> key) {}

  private final KeyValueStore<String, EncodedSummary> search;
  private final KeyValueStore<String, EncodedSummary> due;
  private final List<Index> indexes;

  SearchIndexes(KeyValueStore<String, EncodedSummary> search, KeyValueStore<String, EncodedSummary> due) {
    this.search = search;
    this.due = due;
    indexes = List.of(
        new Index(search, SearchIndexes::updatedKey),
        new Index(search, SearchIndexes::createdKey),
        new Index(search, SearchIndexes::customerKey),
        new Index(due, SearchIndexes::dueKey));
  }

  /** Moves the lead's entries from where {@code previous} (null for a new lead) had them. */
  void move(LeadState previous, LeadState next) {
    LeadSummary summary = EncodedSummary.summaryOf(next);
    boolean summaryChanged = previous == null || !summary.equals(EncodedSummary.summaryOf(previous));
    EncodedSummary value = null;
    for (Index index : indexes) {
      String oldKey = previous == null ? null : index.key().apply(previous);
      String newKey = index.key().apply(next);
      boolean moved = !Objects.equals(oldKey, newKey);
      if (oldKey != null && moved) {
        // put(null) deletes without the read of the old value that delete() makes.
        index.store().put(oldKey, null);
      }
      if (newKey != null && (moved || summaryChanged)) {
        if (value == null) {
          value = EncodedSummary.of(summary);
        }
        index.store().put(newKey, value);
      }
    }
  }

  /**
   * Marks both indexes as build {@code generation} after {@code applied} lead writes. Each index
   * store commits on its own after the Kafka transaction, so a crash between those commits can
   * leave one behind the other, or both behind the leads: the mark tells (see
   * {@link LeadStores#ensureIndexes}). The stores hold the mark and write only the last one, into
   * the batch each commit writes ({@link WriteAheadLoggedStores#persistentKeyValueStore(String,
   * Bytes)}): a mark per lead write cost two store writes per command.
   */
  void mark(long generation, long applied) {
    EncodedSummary mark = EncodedSummary.of(markOf(generation, applied));
    search.put(MARK_KEY, mark);
    due.put(MARK_KEY, mark);
  }

  /** Whether both indexes carry the mark of build {@code generation} after {@code applied} lead writes. */
  boolean isMarked(long generation, long applied) {
    LeadSummary expected = markOf(generation, applied);
    return expected.equals(decoded(search.get(MARK_KEY))) && expected.equals(decoded(due.get(MARK_KEY)));
  }

  /**
   * Whether {@code index} (either index, as interactive queries see it) holds the build of the
   * indexes that {@code generations} names. It does not for a moment after a task moved to this
   * instance: the task rebuilt its indexes at start, but queries read the index stores as last
   * committed (empty on a new instance, an older build elsewhere) until the task's first commit.
   * Only the build is compared, not the count of writes: the two stores commit one after the
   * other, so the counts differ for an instant at every commit, and an index one commit behind is
   * not wrong, only a commit old.
   */
  public static boolean isCurrent(
      ReadOnlyKeyValueStore<String, EncodedSummary> index, ReadOnlyKeyValueStore<String, Long> generations) {
    Long generation = generations.get(LeadStores.INDEX_GENERATION_KEY);
    LeadSummary mark = decoded(index.get(MARK_KEY));
    return generation != null && mark != null && generation == mark.getOrgSourceId();
  }

  private static LeadSummary decoded(EncodedSummary stored) {
    return stored == null ? null : stored.decode();
  }

  /** A mark in the shape of an entry: the generation as the source id, the writes as the user id. */
  private static LeadSummary markOf(long generation, long applied) {
    return (new LeadSummary(LeadStatus.OPEN, LeadType.CUSTOM, null, applied, null, generation));
  }

  /**
   * Empties both indexes and indexes every lead of {@code leads} again, as build {@code generation}.
   *
   * @return the leads indexed
   */
  long rebuild(Iterator<LeadState> leads, long generation) {
    clear(search);
    clear(due);
    long indexed = 0;
    while (leads.hasNext()) {
      move(null, leads.next());
      indexed++;
    }
    mark(generation, 0);
    return indexed;
  }

  /** The values of {@code entries}, decoded by {@code decode}: the leads {@link #rebuild} walks. */
  static <K, V, R> Iterator<R> values(KeyValueIterator<K, V> entries, Function<V, R> decode) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public R next() {
        return decode.apply(entries.next().value);
      }
    };
  }

  /**
   * Deletes every entry while walking them: a store's iterator reads the store as it was when the
   * iterator was opened (a RocksDB snapshot), so deleting behind it is safe, and a stale index of
   * millions of entries is not first copied into memory as a list of keys.
   */
  static void clear(KeyValueStore<String, EncodedSummary> store) {
    try (KeyValueIterator<String, EncodedSummary> all = store.all()) {
      all.forEachRemaining(entry -> store.put(entry.key, null));
    }
  }

  private static String updatedKey(LeadState lead) {
    return StoreKeys.byUpdated(lead.getOrgId(), lead.getStatus(), lead.getLastUpdatedAtMillis(), lead.getId());
  }

  private static String createdKey(LeadState lead) {
    return StoreKeys.byCreated(lead.getOrgId(), lead.getStatus(), lead.getId());
  }

  private static String customerKey(LeadState lead) {
    return StoreKeys.byCustomer(lead.getOrgId(), lead.getUserId(), lead.getId());
  }

  /** Only active leads with a follow-up scheduled are due. */
  private static String dueKey(LeadState lead) {
    if (lead.getNextFollowUp() == null || !CommandHandler.isActive(lead.getStatus())) {
      return null;
    }
    return StoreKeys.due(lead.getOrgId(), StoreKeys.epochMillis(Times.instantOf(lead.getNextFollowUp())), lead.getId());
  }
}
