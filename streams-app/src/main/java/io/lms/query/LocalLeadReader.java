package io.lms.query;

import io.lms.domain.CommandHandler;
import io.lms.query.QueryResult.Found;
import io.lms.query.QueryResult.NotFound;
import io.lms.query.QueryResult.Unavailable;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.topology.EncodedSummary;
import io.lms.topology.SearchIndexes;
import io.lms.topology.StoreKeys;
import io.lms.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers from this instance's stores, and only for data this instance holds: which instance owns
 * an org is the caller's question ({@code KafkaStreams#queryMetadataForKey}), not this class's.
 *
 * <p>A store that cannot be queried now (not started, rebalancing, restoring, the org's partition
 * not active here) answers {@link Unavailable}, at once: the HTTP layer turns it into a 503 with
 * Retry-After. It never answers {@link NotFound} then, since the data may well exist. Lists
 * (reasons, sub-statuses, search, due follow-ups) of an org with nothing answer an empty list;
 * only {@link #lead} answers NotFound.
 */
public final class LocalLeadReader implements LeadReader {
  private static final Logger log = LoggerFactory.getLogger(LocalLeadReader.class);
  private static final long BEHIND_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final StoreLookup stores;
  private final CommittedLeads committed;
  private final StringSerializer prefixSerializer = new StringSerializer();
  private final AtomicLong lastBehindWarning = new AtomicLong(System.nanoTime() - BEHIND_WARNING_INTERVAL_NANOS);

  /** A reader over the given stores, e.g. a {@code TopologyTestDriver}'s. */
  public LocalLeadReader(StoreLookup stores) {
    this(stores, new CommittedLeads());
  }

  /**
   * A reader over the given stores that answers "not found" only for a lead that {@code
   * committed} does not know to exist.
   */
  public LocalLeadReader(StoreLookup stores, CommittedLeads committed) {
    this.stores = stores;
    this.committed = committed;
  }

  /**
   * A reader over the local stores of a running application, whose state listener reports every
   * change of state to {@code stateChanges}.
   */
  public static LocalLeadReader forStreams(
      KafkaStreams streams, CommittedLeads committed, StreamsStateChanges stateChanges) {
    return new LocalLeadReader(new StreamsStoreLookup(streams, stateChanges), committed);
  }

  @Override
  public QueryResult<LeadState> lead(String orgId, long leadId) {
    // An org id no command could carry, or a negative id, cannot name a stored lead.
    if (!CommandHandler.isValidOrgId(orgId) || leadId < 0) {
      return new NotFound<>();
    }
    return answer(() -> {
      String key = StoreKeys.lead(orgId, leadId);
      LeadState lead = this.<LeadState>store(StoreNames.LEADS, orgId).get(key);
      if (lead != null) {
        return new Found<>(lead);
      }
      if (committed.exists(orgId, leadId)) {
        // Just committed, the store shows it in a moment: only an older lead tells of a store behind.
        if (committed.settled(orgId, leadId)) {
          warnBehind(orgId, leadId);
        }
        return new Unavailable<>("lead " + leadId + " exists, but this instance's store of the org is behind");
      }
      if (stores.holdsUncommitted(StoreNames.LEADS, orgId, key)) {
        return new Unavailable<>("lead " + leadId + " is being committed");
      }
      return new NotFound<>();
    });
  }

  private void warnBehind(String orgId, long leadId) {
    long now = System.nanoTime();
    long last = lastBehindWarning.get();
    if (now - last >= BEHIND_WARNING_INTERVAL_NANOS && lastBehindWarning.compareAndSet(last, now)) {
      log.warn("Lead {} of org {} was committed, but the local leads store does not hold it: the store "
          + "is behind its changelog; reads of it answer 503 (logged at most every 10 s)", leadId, orgId);
    }
  }

  @Override
  public QueryResult<List<Reason>> reasons(String orgId) {
    return orgWide(orgId, StoreNames.REASONS);
  }

  @Override
  public QueryResult<List<SubStatus>> subStatuses(String orgId) {
    return orgWide(orgId, StoreNames.SUB_STATUSES);
  }

  @Override
  public QueryResult<List<LeadState>> search(String orgId, LeadSearch search) {
    if (!CommandHandler.isValidOrgId(orgId)) {
      return new Found<>(List.of());
    }
    return answer(() -> new Found<>(
        new IndexSearch(index(StoreNames.SEARCH_INDEX, orgId), store(StoreNames.LEADS, orgId)).run(orgId, search)));
  }

  /**
   * The due list, earliest first: walks the due index from {@code from}, skipping on the key alone
   * unless an owner is asked for, which the entry's summary decides.
   */
  @Override
  public QueryResult<List<LeadState>> dueFollowUps(String orgId, DueFollowUps query) {
    if (!CommandHandler.isValidOrgId(orgId)) {
      return new Found<>(List.of());
    }
    return answer(() -> {
      ReadOnlyKeyValueStore<String, EncodedSummary> due = index(StoreNames.FOLLOW_UP_DUE_INDEX, orgId);
      ReadOnlyKeyValueStore<String, LeadState> leads = store(StoreNames.LEADS, orgId);
      List<Long> ids = new ArrayList<>(query.limit());
      int skipped = 0;
      // Keys are org/dueMillis/id: every entry due in [from, to) sorts between these two bounds.
      try (KeyValueIterator<String, EncodedSummary> range = due.range(
          StoreKeys.dueUpTo(orgId, StoreKeys.epochMillis(query.from())),
          StoreKeys.dueUpTo(orgId, StoreKeys.epochMillis(query.to())))) {
        while (ids.size() < query.limit() && range.hasNext()) {
          KeyValue<String, EncodedSummary> entry = range.next();
          if (query.owner().isPresent() && !query.owner().get().equals(entry.value.decode().getOwner())) {
            continue;
          }
          if (skipped < query.offset()) {
            skipped++;
          } else {
            ids.add(StoreKeys.leadIdOfDue(entry.key));
          }
        }
      }
      List<LeadState> found = new ArrayList<>(ids.size());
      for (long id : ids) {
        LeadState lead = leads.get(StoreKeys.lead(orgId, id));
        if (lead != null) {
          found.add(lead);
        }
      }
      return new Found<>(List.copyOf(found));
    });
  }

  /** Every value of the org in a store keyed {@code org/...}, in key order. */
  private <V> QueryResult<List<V>> orgWide(String orgId, String storeName) {
    if (!CommandHandler.isValidOrgId(orgId)) {
      return new Found<>(List.of());
    }
    return answer(() -> {
      List<V> values = new ArrayList<>();
      try (KeyValueIterator<String, V> all =
          this.<V>store(storeName, orgId).prefixScan(StoreKeys.orgPrefix(orgId), prefixSerializer)) {
        all.forEachRemaining(entry -> values.add(entry.value));
      }
      return new Found<>(List.copyOf(values));
    });
  }

  @SuppressWarnings("unchecked") // every LMS store name has one value type, fixed by LmsTopology
  private <V> ReadOnlyKeyValueStore<String, V> store(String storeName, String orgId) {
    return (ReadOnlyKeyValueStore<String, V>) stores.store(storeName, orgId);
  }

  /**
   * An index of the org's partition, once it holds the build its task made (see {@link
   * SearchIndexes#isCurrent}): until then a search would read the indexes of before the task
   * moved here, empty or old, and answer a wrong list instead of "ask again".
   */
  private ReadOnlyKeyValueStore<String, EncodedSummary> index(String storeName, String orgId) {
    ReadOnlyKeyValueStore<String, EncodedSummary> index = store(storeName, orgId);
    if (!SearchIndexes.isCurrent(index, store(StoreNames.INDEX_GENERATIONS, orgId))) {
      throw new InvalidStateStoreException(
          "the indexes of this org's partition are rebuilt after a move and not yet committed");
    }
    return index;
  }

  private <T> QueryResult<T> answer(Supplier<QueryResult<T>> query) {
    try {
      return query.get();
    } catch (InvalidStateStoreException e) {
      // Thrown by the lookup, or by an open store closed under an iterator by a rebalance.
      stores.forgetResolved();
      return new Unavailable<>(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }
  }
}
