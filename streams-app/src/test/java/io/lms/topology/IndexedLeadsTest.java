package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadSummary;
import io.lms.schema.LeadType;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexes follow the leads a task restores ({@link IndexedLeads}): each test restores batches
 * of lead records into the real stores, through the restore callback Kafka Streams is given, and
 * compares the indexes with those built from the leads restored.
 */
class IndexedLeadsTest {
  private static final String ORG = "acme";

  @TempDir
  Path stateDir;

  private TaskStores task;
  private long offset;

  @AfterEach
  void close() {
    if (task != null) {
      task.close();
    }
  }

  @Test
  void theIndexesOfAStandbyFollowTheLeadsItRestores() {
    task = open();
    restore(lead(1, LeadStatus.OPEN, 1_000, "2026-12-05T10:00:00Z"), lead(2, LeadStatus.OPEN, 1_100, null));
    restore(lead(1, LeadStatus.LOST, 2_000, "2026-12-05T10:00:00Z"), lead(3, LeadStatus.WON, 2_100, null),
        lead(3, LeadStatus.OPEN, 2_200, "2026-12-06T10:00:00Z"));
    task.commit();

    assertThat(task.link().inStep()).isTrue();
    assertThat(task.indexEntries()).isEqualTo(builtFromLeads()).containsKey(StoreKeys.byCreated(ORG, LeadStatus.LOST, 1))
        .doesNotContainKey(StoreKeys.byCreated(ORG, LeadStatus.OPEN, 1))
        .containsKey(StoreKeys.due(ORG, Instant.parse("2026-12-06T10:00:00Z").toEpochMilli(), 3));
  }

  @Test
  void theyGoOnFollowingAfterTheStoresAreOpenedAgain() {
    task = open();
    restore(lead(1, LeadStatus.OPEN, 1_000, "2026-12-05T10:00:00Z"));
    task.commit();
    task.close();

    task = open();
    assertThat(task.link().inStep()).as("after a commit of all three").isTrue();
    restore(lead(1, LeadStatus.ON_HOLD, 2_000, "2026-12-07T10:00:00Z"), lead(2, LeadStatus.OPEN, 2_100, null));
    assertThat(task.link().inStep()).isTrue();
    assertThat(task.indexEntries()).isEqualTo(builtFromLeads()).hasSize(7);
  }

  @Test
  void indexesThatMissedACommitOfTheLeadsAreBuiltAgainBeforeTheyFollow() {
    reopenedAfterACrashBetweenTheLocalCommits();
    assertThat(task.link().inStep()).isFalse();
    restore(lead(3, LeadStatus.OPEN, 3_000, "2026-12-08T10:00:00Z"));
    task.commit();
    assertThat(task.indexEntries()).as("built from the leads, then moved with the batch").isEqualTo(builtFromLeads())
        .containsKey(StoreKeys.byCreated(ORG, LeadStatus.WON, 2)).containsKey(StoreKeys.byCreated(ORG, LeadStatus.OPEN, 3));
    assertThat(task.link().inStep()).isTrue();
  }

  @Test
  void aTaskWithNoLeadToRestoreHasItsIndexesBuiltWhenItsIndexGenerationsAreRestored() {
    // The leads are at the end of their changelog: nothing of them is restored at this start.
    reopenedAfterACrashBetweenTheLocalCommits();
    assertThat(task.link().inStep()).isFalse();
    task.link().generationsRestoreCallback().restoreBatch(List.of(new ConsumerRecord<>("changelog", 0, offset++,
        LeadStores.INDEX_WRITES_KEY.getBytes(StandardCharsets.UTF_8), new byte[8])));
    assertThat(task.indexEntries()).isEqualTo(builtFromLeads()).containsKey(StoreKeys.byCreated(ORG, LeadStatus.WON, 2));
    assertThat(task.link().inStep()).isTrue();
  }

  @Test
  void theIndexesOfAWipedTaskAreClearedAndFollowFromEmptyLeads() {
    task = open();
    String stale = StoreKeys.byCreated(ORG, LeadStatus.OPEN, 99);
    task.searchView.put(stale, EncodedSummary.of(new LeadSummary(LeadStatus.OPEN, LeadType.SKU, null, 1L, null, -1L)));
    task.commit();
    assertThat(task.link().inStep()).isFalse();

    restore(lead(1, LeadStatus.OPEN, 1_000, null));
    assertThat(task.indexEntries()).isEqualTo(builtFromLeads()).doesNotContainKey(stale);
    assertThat(task.link().inStep()).isTrue();
  }

  @Test
  void leadsWithoutMarksAreIndexedOnTheFirstRestore() {
    // A standby's state written by a build before the marks: leads, and no indexes.
    task = open();
    for (long id = 1; id <= 3; id++) {
      task.leadsView.put(StoreKeys.lead(ORG, id), lead(id, LeadStatus.OPEN, id * 1_000, null));
    }
    task.commit();
    assertThat(task.indexEntries()).isEmpty();

    restore(lead(4, LeadStatus.LOST, 4_000, null));
    assertThat(task.indexEntries()).isEqualTo(builtFromLeads()).hasSize(12);
    assertThat(task.link().inStep()).isTrue();
  }

  @Test
  void aLeadThatCannotBeDecodedStopsTheFollowing() {
    task = open();
    restore(lead(1, LeadStatus.OPEN, 1_000, null));
    task.restore(List.of(new ConsumerRecord<>("changelog", 0, offset++,
        StoreKeys.lead(ORG, 2).getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3})));
    assertThat(task.link().inStep()).isFalse();
    restore(lead(3, LeadStatus.OPEN, 3_000, null));
    task.commit();
    assertThat(task.link().inStep()).as("after another batch and a commit too").isFalse();
    assertThat(task.indexEntries()).doesNotContainKey(StoreKeys.byCreated(ORG, LeadStatus.OPEN, 3));
  }

  /** Leads 1 (OPEN) and 2 (WON), and a crash after the leads store committed lead 2, before the index stores did. */
  private void reopenedAfterACrashBetweenTheLocalCommits() {
    task = open();
    restore(lead(1, LeadStatus.OPEN, 1_000, null));
    task.commit();
    restore(lead(2, LeadStatus.WON, 2_000, null));
    task.leadsView.commit(Map.of());
    task.close();
    task = open();
  }

  private void restore(LeadState... leads) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (LeadState lead : leads) {
      records.add(new ConsumerRecord<>("changelog", 0, offset++,
          StoreKeys.lead(lead.getOrgId(), lead.getId()).getBytes(StandardCharsets.UTF_8),
          new AvroSerde<>(LeadState.class).serializer().serialize("changelog", lead)));
    }
    task.restore(records);
  }

  /** The entries {@link SearchIndexes#rebuild} makes of the leads the task holds. */
  private Map<String, LeadSummary> builtFromLeads() {
    TaskStores fresh = new TaskStores(new IndexedLeads(CommittedTransactions.UNTRACKED), stateDir.resolve("rebuilt"));
    try (KeyValueIterator<String, LeadState> all = task.leadsView.all()) {
      new SearchIndexes(fresh.searchView, fresh.dueView).rebuild(SearchIndexes.values(all, lead -> lead), 1);
      return fresh.indexEntries();
    } finally {
      fresh.close();
    }
  }

  private TaskStores open() {
    return new TaskStores(new IndexedLeads(CommittedTransactions.UNTRACKED), stateDir.resolve("0_0"));
  }

  private static LeadState lead(long id, LeadStatus status, long updatedMillis, String nextFollowUp) {
    return LeadState.newBuilder()
        .setOrgId(ORG)
        .setId(id)
        .setUserId(id % 2 + 1)
        .setType(LeadType.SKU)
        .setLeadFor("sku-" + id)
        .setStatus(status)
        .setNextFollowUp(nextFollowUp)
        .setCreatedOn("2026-12-01T10:00:00Z")
        .setCreatedBy(7L)
        .setLastUpdatedOn("2026-12-01T10:00:00Z")
        .setLastUpdatedBy(7L)
        .setLastUpdatedAtMillis(updatedMillis)
        .setFollowUpDetails(new ArrayList<>())
        .setStatusLogDetails(new ArrayList<>())
        .build();
  }

  /** The leads store and both index stores of one task, opened as Kafka Streams opens them. */
  private static final class TaskStores {
    final KeyValueStore<String, LeadState> leadsView;
    final KeyValueStore<String, EncodedSummary> searchView;
    final KeyValueStore<String, EncodedSummary> dueView;
    final KeyValueStore<String, Long> generations;

    TaskStores(IndexedLeads indexedLeads, Path dir) {
      StateStoreContext context = context(dir);
      leadsView = Stores.keyValueStoreBuilder(indexedLeads.leads(StoreNames.LEADS), Serdes.String(),
          new AvroSerde<>(LeadState.class)).withLoggingDisabled().build();
      searchView = index(indexedLeads, StoreNames.SEARCH_INDEX);
      dueView = index(indexedLeads, StoreNames.FOLLOW_UP_DUE_INDEX);
      generations = Stores.keyValueStoreBuilder(indexedLeads.generations(StoreNames.INDEX_GENERATIONS), Serdes.String(),
          Serdes.Long()).withLoggingDisabled().build();
      for (KeyValueStore<?, ?> store : stores()) {
        store.init(context, store);
      }
    }

    private static KeyValueStore<String, EncodedSummary> index(IndexedLeads indexedLeads, String name) {
      return Stores.keyValueStoreBuilder(indexedLeads.index(name), Serdes.String(), EncodedSummary.serde())
          .withLoggingDisabled().build();
    }

    private static StateStoreContext context(Path dir) {
      Properties config = new Properties();
      config.put(StreamsConfig.APPLICATION_ID_CONFIG, "indexed-leads-test");
      config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
      return new MockProcessorContext<>(config, new TaskId(0, 0), dir.toFile()).getStateStoreContext();
    }

    IndexedLeads.Task link() {
      return IndexedLeads.of(leadsView).orElseThrow();
    }

    void restore(List<ConsumerRecord<byte[], byte[]>> records) {
      link().restoreCallback().restoreBatch(records);
    }

    private List<KeyValueStore<?, ?>> stores() {
      return List.of(leadsView, searchView, dueView, generations);
    }

    void commit() {
      for (KeyValueStore<?, ?> store : stores()) {
        store.commit(Map.of());
      }
    }

    Map<String, LeadSummary> indexEntries() {
      Map<String, LeadSummary> entries = new TreeMap<>();
      for (KeyValueStore<String, EncodedSummary> index : List.of(searchView, dueView)) {
        try (KeyValueIterator<String, EncodedSummary> all = index.all()) {
          all.forEachRemaining(entry -> {
            if (!entry.key.equals(SearchIndexes.MARK_KEY)) {
              entries.put(entry.key, entry.value.decode());
            }
          });
        }
      }
      return entries;
    }

    void close() {
      for (KeyValueStore<?, ?> store : stores()) {
        if (store.isOpen()) {
          store.close();
        }
      }
    }
  }
}
