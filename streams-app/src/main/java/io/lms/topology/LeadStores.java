package io.lms.topology;

import io.lms.domain.StateView;
import io.lms.schema.CommandResult;
import io.lms.schema.Customer;
import io.lms.schema.IdType;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The command processor's state stores, read through {@link StateView} and written by
 * {@link #put(LeadState)}, {@link #putCreated(LeadState)} and friends, which keep the indexes in step
 * with the leads.
 */
final class LeadStores implements StateView {
  // Decoded sequences and reasons kept per task: a few MB at most.
  private static final int RECENT_ORGS = 10_000;
  private static final int RECENT_REASONS = 10_000;
  static final String INDEX_GENERATION_KEY = "indexes";
  static final String INDEX_WRITES_KEY = "index-writes";
  /** Outside every org's key range: org ids are {@code [A-Za-z0-9_.-]}. */
  private static final String TOUCH_KEY = "#";

  private final KeyValueStore<String, LeadState> leads;
  private final KeyValueStore<String, Reason> reasons;
  private final KeyValueStore<String, SubStatus> subStatuses;
  private final KeyValueStore<String, Long> identifiers;
  private final KeyValueStore<String, OrgSequences> sequences;
  private final RememberedResults results;
  private final KeyValueStore<String, EncodedSummary> dueIndex;
  private final SearchIndexes indexes;
  private final KeyValueStore<String, Long> indexGenerations;
  private final RecentValues<OrgSequences> recentSequences;
  private final RecentValues<Reason> recentReasons;
  /** The link by which restores of the leads move the indexes, null when the leads store has none (tests). */
  private final IndexedLeads.Task indexedLeads;
  /** The build of the indexes in use, and the lead writes applied to it (see {@link #ensureIndexes}). */
  private long indexGeneration;
  private long indexWrites;

  LeadStores(ProcessorContext<?, ?> context, Duration idempotencyRetention) {
    leads = context.getStateStore(StoreNames.LEADS);
    reasons = context.getStateStore(StoreNames.REASONS);
    subStatuses = context.getStateStore(StoreNames.SUB_STATUSES);
    identifiers = context.getStateStore(StoreNames.CUSTOMER_IDENTIFIERS);
    sequences = context.getStateStore(StoreNames.ORG_SEQUENCES);
    results = new RememberedResults(context.getStateStore(StoreNames.COMMAND_RESULTS), idempotencyRetention);
    dueIndex = context.getStateStore(StoreNames.FOLLOW_UP_DUE_INDEX);
    indexes = new SearchIndexes(context.getStateStore(StoreNames.SEARCH_INDEX), dueIndex);
    indexGenerations = context.getStateStore(StoreNames.INDEX_GENERATIONS);
    recentSequences = new RecentValues<>(RECENT_ORGS, sequences::get);
    recentReasons = new RecentValues<>(RECENT_REASONS, reasons::get);
    indexedLeads = IndexedLeads.of(leads).orElse(null);
  }

  // The lead a decision last read: its previous state when the decision writes it back, which
  // saves a second store read per command.
  private String lastReadKey;
  private LeadState lastRead;

  @Override
  public Optional<LeadState> lead(String orgId, long leadId) {
    // Ids come from commands as they were sent: a negative one names nothing and has no store key.
    if (leadId < 0) {
      return Optional.empty();
    }
    String key = StoreKeys.lead(orgId, leadId);
    if (!key.equals(lastReadKey)) {
      lastReadKey = key;
      lastRead = leads.get(key);
    }
    return Optional.ofNullable(lastRead);
  }

  @Override
  public Optional<Reason> reason(String orgId, long reasonId) {
    if (reasonId < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(recentReasons.get(StoreKeys.reason(orgId, reasonId)));
  }

  @Override
  public boolean subStatusExists(String orgId, LeadStatus status, String subStatus) {
    return subStatuses.get(StoreKeys.subStatus(orgId, status, subStatus)) != null;
  }

  /**
   * Customers are registered only here, numbered by the org's sequence from 1 and never removed, so
   * the sequence tells which exist: no store of customers by id is kept (each registration is a
   * {@code CustomerRegistered} event on lms.lead-events).
   */
  @Override
  public boolean customerExists(String orgId, long userId) {
    return userId >= 1 && userId <= sequences(orgId).getLastUserId();
  }

  @Override
  public Optional<Long> userIdByIdentifier(String orgId, IdType idType, String normalisedIdentifier) {
    return Optional.ofNullable(identifiers.get(StoreKeys.identifier(orgId, idType, normalisedIdentifier)));
  }

  @Override
  public OrgSequences sequences(String orgId) {
    OrgSequences stored = recentSequences.get(orgId);
    return stored != null ? stored : OrgSequences.newBuilder().setOrgId(orgId).build();
  }

  /** The first result of a repeated command, while it is remembered (see {@link RememberedResults}). */
  Optional<CommandResult> result(String orgId, String commandId, long nowMillis) {
    return results.first(orgId, commandId, nowMillis);
  }

  void putResult(CommandResult result, long nowMillis) {
    results.remember(result, nowMillis);
  }

  void put(OrgSequences orgSequences) {
    sequences.put(orgSequences.getOrgId(), orgSequences);
    recentSequences.put(orgSequences.getOrgId(), orgSequences);
  }

  void put(Reason reason) {
    String key = StoreKeys.reason(reason.getOrgId(), reason.getId());
    reasons.put(key, reason);
    recentReasons.put(key, reason);
  }

  void put(SubStatus subStatus) {
    subStatuses.put(StoreKeys.subStatus(subStatus.getOrgId(), subStatus.getStatus(), subStatus.getSubStatus()), subStatus);
  }

  /** Registers a new customer's identifier; its userId is already counted by the org's sequence. */
  void put(Customer customer) {
    identifiers.put(
        StoreKeys.identifier(customer.getOrgId(), customer.getIdType(), customer.getIdentifier()),
        customer.getUserId());
  }

  /** Writes a lead, and moves its index entries from where its previous state had them. */
  void put(LeadState lead) {
    write(lead(lead.getOrgId(), lead.getId()).orElse(null), lead);
  }

  /** Writes a lead the command created: no previous state to look up (it would be a miss). */
  void putCreated(LeadState lead) {
    write(null, lead);
  }

  private void write(LeadState previous, LeadState lead) {
    indexes.move(previous, lead);
    indexWrites++;
    indexes.mark(indexGeneration, indexWrites);
    indexGenerations.put(INDEX_WRITES_KEY, indexWrites);
    String key = StoreKeys.lead(lead.getOrgId(), lead.getId());
    leads.put(key, lead);
    lastReadKey = key;
    lastRead = lead;
  }

  /**
   * Makes the task's indexes match its leads before it processes anything. The leads are logged
   * and restored; the indexes are not (see {@link SearchIndexes}), so after a restore they may be
   * missing (a new instance, a lost state directory) or behind (leads restored onto an older local
   * copy, or a crash between the local commits of the stores). The logged (and cached, so once per
   * commit) {@link StoreNames#INDEX_GENERATIONS} holds the build of the indexes and the count of
   * lead writes applied since, and every lead write marks both indexes with the same pair in the
   * same transaction (each index store writes the last mark with the commit's batch, see
   * {@link SearchIndexes#mark}). The local indexes are current exactly when they carry the pair
   * the changelog restored: any other instance that applied commands to this task since had to
   * build its own generation first, and a store that missed a commit has a lower count. They are
   * current too when they moved with every lead this instance restored ({@link IndexedLeads}): a
   * standby's indexes, say, which follow its leads.
   *
   * @return the leads indexed, 0 when the indexes were current
   */
  long ensureIndexes() {
    Long generation = indexGenerations.get(INDEX_GENERATION_KEY);
    long writes = Optional.ofNullable(indexGenerations.get(INDEX_WRITES_KEY)).orElse(0L);
    long indexed = 0;
    if (generation != null && indexes.isMarked(generation, writes)) {
      indexGeneration = generation;
      indexWrites = writes;
    } else if (generation != null && indexedLeads != null && indexedLeads.inStep()) {
      // Moved along with every lead restored here (a standby taking over, a task catching up after
      // a crash): they match the leads, which now match their changelog, so they are that build.
      indexGeneration = generation;
      indexWrites = writes;
      indexes.mark(generation, writes);
    } else {
      long next = ThreadLocalRandom.current().nextLong();
      try (KeyValueIterator<String, LeadState> all = leads.all()) {
        indexed = indexes.rebuild(SearchIndexes.values(all, lead -> lead), next);
      }
      indexGenerations.put(INDEX_GENERATION_KEY, next);
      indexGenerations.put(INDEX_WRITES_KEY, 0L);
      indexGeneration = next;
      indexWrites = 0;
    }
    if (indexedLeads != null) {
      indexedLeads.processing();
    }
    return indexed;
  }

  /**
   * Writes a tombstone of a key outside every org's range to each logged persistent store, so that
   * each has a changelog offset to commit even when its partition never had data. Kafka Streams
   * 4.4.0 opens the stores it finds on disk once at start without regard to transactional stores,
   * and there a logged store with data beside it but no committed offset is declared corrupted:
   * harmless (the task then opens as it should), but a warning per store and task at every
   * restart that tells the operator of corruption where there is none.
   */
  void touchChangelogs(long nowMillis) {
    leads.put(TOUCH_KEY, null);
    reasons.put(TOUCH_KEY, null);
    subStatuses.put(TOUCH_KEY, null);
    identifiers.put(TOUCH_KEY, null);
    sequences.put(TOUCH_KEY, null);
    results.touchChangelog(nowMillis);
  }

  KeyValueStore<String, EncodedSummary> dueIndex() {
    return dueIndex;
  }

  KeyValueStore<String, OrgSequences> orgs() {
    return sequences;
  }
}
