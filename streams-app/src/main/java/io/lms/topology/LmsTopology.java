package io.lms.topology;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import io.lms.schema.OrgSequences;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the LMS topology, a pure function of its topics and settings:
 *
 * <pre>
 * lms.lead-commands ─► lead-command-router ─► lead-command-processor ─┬► lms.lead-events
 *   (key: org;             │                   (all org state in       ├► lms.leads          (compacted)
 *    Avro or JSON)         │ landed elsewhere:  local stores)          ├► lms.command-results
 *         ▲                │ moved to its                              ├► lms.reasons        (compacted)
 *         └────────────────┘ org's partition                           └► lms.substatuses    (compacted)
 * </pre>
 *
 * <p>A command is applied only in the task of its org's partition: one that arrived on another is
 * written to its org's partition, in the same transaction ({@link CommandRouter}).
 *
 * <p>Reasons and sub-statuses are tables kept by the processor itself, in the same task as the
 * org's commands: a reason created by one command is in the store before the next command of the
 * org is read, which a table fed back through a topic (or a GlobalKTable) could not promise. The
 * {@code lms.reasons} and {@code lms.substatuses} topics publish those tables for everyone else.
 */
public final class LmsTopology {
  private LmsTopology() {}

  /** The topology for a {@code TopologyTestDriver}, which commits after every record. */
  public static Topology build(LmsTopics topics, TopologySettings settings) {
    return build(topics, settings, WriteFault.NONE, DrainedInput.NEVER, CommittedTransactions.UNTRACKED, true);
  }

  /**
   * The topology, with {@code fault} called before each write of a command (for tests), committing
   * as soon as {@code drainedInput} says a command partition ran dry, its stores committing only
   * what {@code transactions} says committed.
   */
  public static Topology build(LmsTopics topics, TopologySettings settings, WriteFault fault, DrainedInput drainedInput,
      CommittedTransactions transactions) {
    return build(topics, settings, fault, drainedInput, transactions, true);
  }

  /**
   * The topology without its router: every command is applied in the task where it arrives, even
   * one that arrived on another org's partition. Never for a service: it exists so that a benchmark
   * can measure what the router costs the commands that arrive where they belong.
   */
  public static Topology buildWithoutRouter(LmsTopics topics, TopologySettings settings) {
    return build(topics, settings, WriteFault.NONE, DrainedInput.NEVER, CommittedTransactions.UNTRACKED, false);
  }

  private static Topology build(LmsTopics topics, TopologySettings settings, WriteFault fault,
      DrainedInput drainedInput, CommittedTransactions transactions, boolean routed) {
    Topology topology = new Topology();
    OrgPartitions orgPartitions = new OrgPartitions(settings.commandPartitions());
    // One count for every processor of the application, those of replaced threads included.
    FailedApplications failures = new FailedApplications();
    topology.addSource(
        TopologyNames.COMMANDS_SOURCE,
        topics.commands().keySerde().deserializer(),
        new CommandDeserializer(topics.writerSchemas()),
        topics.commands().name());
    String processorParent = TopologyNames.COMMANDS_SOURCE;
    if (routed) {
      topology.addProcessor(
          TopologyNames.COMMAND_ROUTER, () -> new CommandRouter(orgPartitions, drainedInput), TopologyNames.COMMANDS_SOURCE);
      // A moved command is written as it arrived, Avro or JSON, to be read again like any other.
      topology.addSink(TopologyNames.COMMANDS_REROUTE_SINK, topics.commands().name(),
          topics.commands().keySerde().serializer(), (topic, command) -> command.bytes(), orgPartitions,
          TopologyNames.COMMAND_ROUTER);
      processorParent = TopologyNames.COMMAND_ROUTER;
    }
    topology.addProcessor(
        TopologyNames.COMMAND_PROCESSOR, () -> new LeadCommandProcessor(settings, failures, fault), processorParent);
    for (StoreBuilder<?> store : stores(topics, settings, transactions, new IndexedLeads(transactions))) {
      topology.addStateStore(store, TopologyNames.COMMAND_PROCESSOR);
    }
    addSink(topology, TopologyNames.EVENTS_SINK, topics.events());
    addSink(topology, TopologyNames.LEADS_SINK, topics.leads());
    addSink(topology, TopologyNames.RESULTS_SINK, topics.results());
    addSink(topology, TopologyNames.REASONS_SINK, topics.reasons());
    addSink(topology, TopologyNames.SUB_STATUSES_SINK, topics.subStatuses());
    return topology;
  }

  private static <V> void addSink(Topology topology, String name, TopicSpec<String, V> topic) {
    topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
        TopologyNames.COMMAND_PROCESSOR);
  }

  private static StoreBuilder<?>[] stores(
      LmsTopics topics, TopologySettings settings, CommittedTransactions transactions, IndexedLeads indexedLeads) {
    return new StoreBuilder<?>[] {
      // A lead and a result go to a store and then to a topic: reusing serdes let the second write
      // reuse the first's encoding (AvroSerde#reusingLastEncoding). The stores keep single-object
      // encoding whatever the topics are written in: they are LMS's own, and need no registry.
      // Uncached: a command rarely writes a lead twice within a commit, so the cache folded little,
      // and an interactive query read through it (and its lock against the stream thread) cost a
      // lead lookup over HTTP a tenth of its time.
      // Restores of the leads move their index entries too (IndexedLeads).
      Stores.keyValueStoreBuilder(indexedLeads.leads(StoreNames.LEADS), Serdes.String(),
          AvroSerde.reusingLastEncoding(LeadState.class)),
      keyValue(StoreNames.REASONS, new AvroSerde<>(Reason.class), transactions).withCachingEnabled(),
      keyValue(StoreNames.SUB_STATUSES, new AvroSerde<>(SubStatus.class), transactions).withCachingEnabled(),
      keyValue(StoreNames.CUSTOMER_IDENTIFIERS, Serdes.Long(), transactions),
      // Every command of an org reads and writes this record: the cache turns those writes into
      // one changelog record per org per commit.
      keyValue(StoreNames.ORG_SEQUENCES, new AvroSerde<>(OrgSequences.class), transactions).withCachingEnabled(),
      // The indexes (see SearchIndexes) are left uncached. Searches read them by range, and a range
      // over a cached store first copies every cached key of the range into a new sorted set: with
      // a full cache that costs more per search than the whole index walk. And a cache would fold
      // few writes: the lastUpdatedOn entry gets a new key at every change of its lead.
      // Unlogged: moved by every write and every restore of the leads (IndexedLeads), and rebuilt
      // from the leads when they did not follow (LeadStores#ensureIndexes). Each writes the mark of
      // its build (SearchIndexes#mark) once per commit, not at every lead write.
      indexStore(indexedLeads, StoreNames.FOLLOW_UP_DUE_INDEX),
      indexStore(indexedLeads, StoreNames.SEARCH_INDEX),
      // Written at every lead write (LeadStores#ensureIndexes): the cache folds that into one
      // changelog record per commit.
      // Its restores, which every start makes (it is in memory), first bring the indexes in step
      // with the leads (IndexedLeads).
      Stores.keyValueStoreBuilder(indexedLeads.generations(StoreNames.INDEX_GENERATIONS), Serdes.String(), Serdes.Long())
          .withCachingEnabled(),
      // Segmented by time, so remembered commandIds expire after the retention without a sweep;
      // read by point lookups at known times (RememberedResults).
      Stores.windowStoreBuilder(
          CommitGatedWindowStore.supplier(Stores.persistentWindowStore(StoreNames.COMMAND_RESULTS,
              RememberedResults.storeRetention(settings.idempotencyRetention()), Duration.ofMillis(1), false), transactions),
          Serdes.Bytes(), AvroSerde.reusingLastEncoding(CommandResult.class)),
    };
  }

  private static StoreBuilder<KeyValueStore<String, EncodedSummary>> indexStore(IndexedLeads indexedLeads, String name) {
    return Stores.keyValueStoreBuilder(indexedLeads.index(name), Serdes.String(), EncodedSummary.serde())
        .withLoggingDisabled();
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(
      String name, Serde<V> valueSerde, CommittedTransactions transactions) {
    // RocksDB's write-ahead log keeps each commit through a crash (WriteAheadLoggedStores): the
    // indexes have no changelog to be restored from, and the other stores need none replayed.
    KeyValueBytesStoreSupplier supplier = WriteAheadLoggedStores.persistentKeyValueStore(name, transactions);
    return Stores.keyValueStoreBuilder(supplier, Serdes.String(), valueSerde);
  }
}
