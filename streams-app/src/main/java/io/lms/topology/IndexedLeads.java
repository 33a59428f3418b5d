package io.lms.topology;

import io.lms.schema.LeadState;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leads store and the two index stores of each task, linked so that the indexes follow the
 * leads when the leads are restored from their changelog, as they follow every lead the processor
 * writes ({@link LeadStores#put}).
 *
 * <p>The indexes have no changelog ({@link SearchIndexes}). Without this link a standby kept its
 * leads warm but had no indexes at all, and a task that failed over to it first indexed every lead
 * of its partition on the stream thread (2.6 s per 200,000 leads on two cores, without reads or
 * writes meanwhile). Now
 * each batch of lead records that a standby, or a task catching up after a crash, restores moves the
 * index entries of those leads, on the thread that restores: the task starts with its indexes
 * current ({@link LeadStores#ensureIndexes}).
 *
 * <p>The indexes may follow only leads they match. All three stores carry a mark, written with each
 * store's own local commit: the leads store writes, at its commit, the mark the index stores hold
 * (it is not logged: it never reaches the changelog, and walks of the leads never meet it). Every
 * change of the index entries changes the mark, so after a crash between the three local commits
 * the marks differ. A restore moves the index entries while the three marks agree; when they do
 * not (a torn commit, a state directory written by a build before this one, a wiped task), it
 * first builds the indexes again from the leads as they are, on the thread that restores. So does
 * a restore of the in-memory store of the indexes' build ({@link StoreNames#INDEX_GENERATIONS}),
 * which every start makes, for a task whose leads have nothing to restore.
 */
final class IndexedLeads {
  private static final Logger log = LoggerFactory.getLogger(IndexedLeads.class);
  /** Above every key that starts with '#' (the changelogs' touch key, the mark), below every org id. */
  private static final Bytes FIRST_LEAD = Bytes.wrap("$".getBytes(StandardCharsets.UTF_8));

  /** By the task's state directory: one per task and instance, even with several instances in one JVM. */
  private final Map<File, Task> tasks = new ConcurrentHashMap<>();
  private final CommittedTransactions transactions;

  /** The stores of each task commit only what {@code transactions} says committed. */
  IndexedLeads(CommittedTransactions transactions) {
    this.transactions = transactions;
  }

  /** The leads store: its restores move the index entries of the task's leads. */
  KeyValueBytesStoreSupplier leads(String name) {
    return WriteAheadLoggedStores.supplier(name, () -> new LeadsStore(name));
  }

  /** An index store, written by the processor and by restores of the leads. */
  KeyValueBytesStoreSupplier index(String name) {
    return WriteAheadLoggedStores.supplier(name, () -> new IndexStore(name));
  }

  /**
   * The store of the indexes' build ({@link StoreNames#INDEX_GENERATIONS}), in memory and logged:
   * each of its restores first brings the task's indexes in step with its leads.
   */
  KeyValueBytesStoreSupplier generations(String name) {
    return WriteAheadLoggedStores.supplier(name, "in-memory", () -> new GenerationsStore(name));
  }

  /** The link of the task whose leads store {@code leads} is (as the processor sees it), if it has one. */
  static Optional<Task> of(StateStore leads) {
    StateStore store = leads;
    while (store instanceof WrappedStateStore<?, ?, ?> wrapper) {
      store = wrapper.wrapped();
    }
    return store instanceof LeadsStore linked ? Optional.ofNullable(linked.task) : Optional.empty();
  }

  private Task task(StateStoreContext context) {
    return tasks.computeIfAbsent(context.stateDir(), dir -> new Task(context.taskId()));
  }

  private void release(File dir, Task task) {
    if (task.leads == null && task.search == null && task.due == null) {
      tasks.remove(dir, task);
    }
  }

  /** The three stores of one task on this instance. */
  static final class Task {
    private final TaskId id;
    // Written by the stream thread or the thread that restores, one at a time: Kafka Streams hands a
    // task's stores from one to the other.
    private volatile LeadsStore leads;
    private volatile IndexStore search;
    private volatile IndexStore due;
    private volatile KeyValueStore<String, EncodedSummary> searchView;
    private volatile KeyValueStore<String, EncodedSummary> dueView;
    /** The build of the marks restores write; each restored batch counts one more. */
    private final long restoreGeneration = ThreadLocalRandom.current().nextLong();
    private long restoredBatches;
    /** Whether a restore failed to move the indexes: the next ones leave them, until the stores open again. */
    private boolean gaveUp;
    /** The callbacks Kafka Streams restores the leads and the index generations through. */
    private volatile RecordBatchingStateRestoreCallback restoreCallback;
    private volatile RecordBatchingStateRestoreCallback generationsRestoreCallback;
    private final Deserializer<LeadState> leadDecoder = new AvroSerde<>(LeadState.class).deserializer();

    private Task(TaskId id) {
      this.id = id;
    }

    /**
     * From now on the processor writes the leads and moves their index entries together: each commit
     * of the leads store writes the mark the indexes hold. Called once the indexes are current.
     */
    void processing() {
      if (leads != null) {
        leads.followIndexMark();
      }
    }

    RecordBatchingStateRestoreCallback restoreCallback() {
      return restoreCallback;
    }

    RecordBatchingStateRestoreCallback generationsRestoreCallback() {
      return generationsRestoreCallback;
    }

    /** Whether the leads store and both index stores are open. */
    private boolean linked() {
      return leads != null && search != null && due != null;
    }

    /** Whether the indexes match the leads store as it is now: the three stores carry one mark. */
    boolean inStep() {
      if (!linked()) {
        return false;
      }
      byte[] mark = leads.get(SearchIndexes.MARK);
      return mark != null && Arrays.equals(mark, search.get(SearchIndexes.MARK))
          && Arrays.equals(mark, due.get(SearchIndexes.MARK));
    }

    /**
     * Moves the index entries of the leads of {@code records}, before the leads store applies them.
     * Never throws: what goes wrong here stops the following, and the task indexes its leads again
     * when it starts.
     */
    synchronized void restoring(List<KeyValue<byte[], byte[]>> records) {
      if (!linked() || gaveUp) {
        return;
      }
      try {
        SearchIndexes indexes = new SearchIndexes(searchView, dueView);
        bringInStep(indexes);
        Map<Bytes, LeadState> restored = new HashMap<>();
        for (KeyValue<byte[], byte[]> record : records) {
          if (record.key.length > 0 && record.key[0] == '#') {
            continue;
          }
          Bytes key = Bytes.wrap(record.key);
          LeadState previous = restored.containsKey(key) ? restored.get(key) : decode(leads.get(key));
          LeadState next = decode(record.value);
          if (next == null) {
            // Leads are never removed; one that is cannot be followed.
            throw new IllegalStateException("a tombstone for lead " + key);
          }
          indexes.move(previous, next);
          restored.put(key, next);
        }
        indexes.mark(restoreGeneration, ++restoredBatches);
        leads.hold(search.get(SearchIndexes.MARK));
      } catch (RuntimeException e) {
        giveUp(e);
      }
    }

    /**
     * Before a batch of the index generations store is restored: brings the indexes in step with the
     * leads, so that a task whose leads have nothing to restore (a crash after the leads store's
     * local commit and before the index stores') does not leave that to its stream thread. That
     * store is kept in memory: every start restores it, with records in every commit.
     */
    synchronized void generationsRestoring() {
      if (!linked() || gaveUp) {
        return;
      }
      try {
        bringInStep(new SearchIndexes(searchView, dueView));
      } catch (RuntimeException e) {
        giveUp(e);
      }
    }

    /**
     * Builds the indexes again from the leads as they are when their marks disagree: here, on the
     * thread that restores, rather than when the task starts. A stream thread that spends longer
     * than the transaction timeout (10 s) on it has its transaction aborted under it, and builds
     * them again, and again.
     */
    private void bringInStep(SearchIndexes indexes) {
      if (inStep()) {
        return;
      }
      long started = System.nanoTime();
      long indexed;
      try (KeyValueIterator<Bytes, byte[]> all = leads.all()) {
        indexed = indexes.rebuild(SearchIndexes.values(all, this::decode), restoreGeneration);
      }
      leads.hold(search.get(SearchIndexes.MARK));
      if (indexed > 0) {
        log.info("Task {}: indexed {} leads in {} ms, restoring", id, indexed, (System.nanoTime() - started) / 1_000_000);
      }
    }

    private void giveUp(RuntimeException e) {
      log.warn("Task {}: the indexes stop following the restored leads ({}); they are built again when the task"
          + " starts", id, e.toString());
      leads.hold(new byte[0]);
      gaveUp = true;
    }

    private LeadState decode(byte[] value) {
      return value == null ? null : leadDecoder.deserialize(StoreNames.LEADS, value);
    }
  }

  private final class LeadsStore extends WriteAheadLoggedStores.LoggedStore {
    private Task task;
    private File dir;
    /**
     * The mark the next commit writes, null for none: the one a restore gave the leads, or the
     * one they had when a restore could not move the indexes along.
     */
    private byte[] held;
    /** Whether each commit writes the mark the indexes hold: while the processor writes. */
    private boolean followsIndexMark;

    LeadsStore(String name) {
      super(name, transactions);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      dir = context.stateDir();
      task = task(context);
      task.leads = this;
      RestoreThrough restores = new RestoreThrough(context, task::restoring);
      super.init(restores, root);
      task.restoreCallback = restores.callback();
    }

    synchronized void hold(byte[] mark) {
      held = mark;
      followsIndexMark = false;
    }

    synchronized void followIndexMark() {
      held = null;
      followsIndexMark = true;
    }

    @Override
    public synchronized byte[] get(Bytes key) {
      // The leads' own mark: the one last committed, or the one held for the next commit.
      if (held != null && SearchIndexes.MARK.equals(key)) {
        return held;
      }
      return super.get(key);
    }

    // Walks of the leads never meet the mark, which is no lead: they start above it.

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
      return super.range(FIRST_LEAD, null);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
      return super.reverseRange(FIRST_LEAD, null);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
      return super.range(aboveTheMark(from), to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
      return super.reverseRange(aboveTheMark(from), to);
    }

    private static Bytes aboveTheMark(Bytes from) {
      return from == null || from.compareTo(FIRST_LEAD) < 0 ? FIRST_LEAD : from;
    }

    @Override
    public synchronized void commit(Map<TopicPartition, Long> changelogOffsets) {
      if (followsIndexMark || held != null) {
        IndexStore search = task.search;
        byte[] mark = followsIndexMark && search != null ? search.get(SearchIndexes.MARK) : held;
        // Into this store's own batch, below the layer that logs: the mark never reaches the changelog.
        super.put(SearchIndexes.MARK, mark);
      }
      held = null;
      super.commit(changelogOffsets);
    }

    @Override
    public synchronized void close() {
      held = null;
      super.close();
      if (task != null && task.leads == this) {
        task.leads = null;
        release(dir, task);
      }
    }
  }

  private final class IndexStore extends WriteAheadLoggedStores.EntryWrittenAtCommit {
    private Task task;
    private File dir;

    IndexStore(String name) {
      super(name, SearchIndexes.MARK, transactions);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(StateStoreContext context, StateStore root) {
      super.init(context, root);
      dir = context.stateDir();
      task = task(context);
      // The store as the processor sees it, keys and values decoded: what SearchIndexes writes to.
      KeyValueStore<String, EncodedSummary> view = (KeyValueStore<String, EncodedSummary>) root;
      if (name().equals(StoreNames.SEARCH_INDEX)) {
        task.searchView = view;
        task.search = this;
      } else {
        task.dueView = view;
        task.due = this;
      }
    }

    @Override
    public synchronized void close() {
      super.close();
      if (task != null) {
        if (task.search == this) {
          task.search = null;
        } else if (task.due == this) {
          task.due = null;
        }
        release(dir, task);
      }
    }
  }

  private final class GenerationsStore extends InMemoryKeyValueStore {
    GenerationsStore(String name) {
      super(name);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      Task task = task(context);
      RestoreThrough restores = new RestoreThrough(context, records -> task.generationsRestoring());
      super.init(restores, root);
      task.generationsRestoreCallback = restores.callback();
    }
  }

  /** A task's context, where each batch a store restores is first handed to {@code beforeEachBatch}. */
  private static final class RestoreThrough implements StateStoreContext {
    private final StateStoreContext context;
    private final Consumer<List<KeyValue<byte[], byte[]>>> beforeEachBatch;
    private RecordBatchingStateRestoreCallback callback;

    RestoreThrough(StateStoreContext context, Consumer<List<KeyValue<byte[], byte[]>>> beforeEachBatch) {
      this.context = context;
      this.beforeEachBatch = beforeEachBatch;
    }

    /** The callback registered: the action, then the store's own. */
    RecordBatchingStateRestoreCallback callback() {
      return callback;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback restore) {
      context.register(store, through(restore));
    }

    @Override
    public void register(StateStore store, StateRestoreCallback restore, CommitCallback onCommit) {
      context.register(store, through(restore), onCommit);
    }

    private StateRestoreCallback through(StateRestoreCallback restore) {
      if (!(restore instanceof RecordBatchingStateRestoreCallback batches)) {
        throw new IllegalStateException("store restores record by record: the indexes cannot follow it");
      }
      callback = records -> {
        beforeEachBatch.accept(records.stream().map(record -> KeyValue.pair(record.key(), record.value())).toList());
        batches.restoreBatch(records);
      };
      return callback;
    }

    @Override
    public String applicationId() {
      return context.applicationId();
    }

    @Override
    public TaskId taskId() {
      return context.taskId();
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
      return context.recordMetadata();
    }

    @Override
    public Serde<?> keySerde() {
      return context.keySerde();
    }

    @Override
    public Serde<?> valueSerde() {
      return context.valueSerde();
    }

    @Override
    public File stateDir() {
      return context.stateDir();
    }

    @Override
    public StreamsMetrics metrics() {
      return context.metrics();
    }

    @Override
    public Map<String, Object> appConfigs() {
      return context.appConfigs();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
      return context.appConfigsWithPrefix(prefix);
    }
  }
}
