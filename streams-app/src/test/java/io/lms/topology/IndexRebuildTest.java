package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadSummary;
import io.lms.schema.LeadType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexes have no changelog: a task that starts on restored leads rebuilds them unless they
 * carry the generation the changelog restored, or followed the leads this instance restored
 * ({@link LeadStores#ensureIndexes}, {@link IndexedLeads}). Each test plays
 * what a restore leaves behind on the real stores of a TopologyTestDriver, then starts the task's
 * stores again.
 */
class IndexRebuildTest {
  private final TopologyFixture lms = new TopologyFixture();
  private final Commands acme = new Commands("acme");
  private Map<String, LeadSummary> indexedBefore;

  @BeforeEach
  void givenLeadsInSeveralStates() {
    lms.send(acme.reasons("Bought elsewhere"));
    for (int i = 0; i < 5; i++) {
      LeadState lead = LeadCommandTopologyTest.lead(lms.send(acme.create(Commands.lead("c" + i + "@example.com")
          .setNextFollowUp("2026-12-0" + (i + 1) + "T10:00:00+05:30"))));
      if (i % 2 == 0) {
        lms.send(acme.status(lead.getId(), "LOST", 1L, null));
      }
    }
    indexedBefore = contents();
    assertThat(indexedBefore).hasSizeGreaterThan(15);
  }

  @AfterEach
  void close() {
    lms.close();
  }

  @Test
  void currentIndexesAreLeftAsTheyAre() {
    assertThat(restartedStores().ensureIndexes()).isZero();
    assertThat(contents()).isEqualTo(indexedBefore);
  }

  @Test
  void indexesLostWithTheTaskStateAreRebuiltFromTheLeads() {
    clear(search());
    clear(due());

    assertThat(restartedStores().ensureIndexes()).isEqualTo(5);
    assertThat(contents()).isEqualTo(indexedBefore);
  }

  @Test
  void indexesOfAnotherGenerationAreRebuiltAndTheirStaleEntriesDropped() {
    // Another instance applied commands to this task (and built its own indexes) meanwhile, and
    // the indexes here did not follow the leads restored since: they carry a mark of their own.
    generations().put(LeadStores.INDEX_GENERATION_KEY, 42L);
    String stale = StoreKeys.byCreated("acme", LeadStatus.OPEN, 99);
    search().put(stale, EncodedSummary.of(new LeadSummary(LeadStatus.OPEN, LeadType.SKU, null, 1L, null, -1L)));
    markBoth(EncodedSummary.of(new LeadSummary(LeadStatus.OPEN, LeadType.CUSTOM, null, 3L, null, 7L)));

    assertThat(restartedStores().ensureIndexes()).isEqualTo(5);
    assertThat(contents()).isEqualTo(indexedBefore).doesNotContainKey(stale);
    assertThat(generations().get(LeadStores.INDEX_GENERATION_KEY)).isNotEqualTo(42L);
    assertThat(restartedStores().ensureIndexes()).as("built once, current after").isZero();
  }

  @Test
  void indexesThatFollowedTheLeadsAreKeptUnderTheBuildTheChangelogNames() {
    // Another instance built its own indexes, and this one's followed every lead it restored
    // (IndexedLeads): they carry the mark of the leads store, not that build.
    generations().put(LeadStores.INDEX_GENERATION_KEY, 42L);

    assertThat(restartedStores().ensureIndexes()).isZero();
    assertThat(contents()).isEqualTo(indexedBefore);
    Long writes = generations().get(LeadStores.INDEX_WRITES_KEY);
    assertThat(restartedStores().ensureIndexes()).as("marked as that build").isZero();
    assertThat(generations().get(LeadStores.INDEX_GENERATION_KEY)).isEqualTo(42L);
    assertThat(generations().get(LeadStores.INDEX_WRITES_KEY)).isEqualTo(writes);
  }

  @Test
  void indexesThatMissedTheLastCommitAreRebuilt() {
    // A crash after the Kafka commit and the leads store's local commit, before the index stores
    // committed theirs: their mark is the one before the last command's.
    EncodedSummary before = search().get(SearchIndexes.MARK_KEY);
    lms.send(acme.create(Commands.lead("late@example.com")));
    markBoth(before);

    assertThat(restartedStores().ensureIndexes()).isEqualTo(6);
    assertThat(restartedStores().ensureIndexes()).as("built once, current after").isZero();
  }

  @Test
  void oneIndexBehindTheOtherIsRebuilt() {
    // Each index store commits on its own: the due index committed, the search index did not.
    String stale = StoreKeys.byCreated("acme", LeadStatus.OPEN, 99);
    search().put(stale, EncodedSummary.of(new LeadSummary(LeadStatus.OPEN, LeadType.SKU, null, 1L, null, -1L)));
    EncodedSummary before = search().get(SearchIndexes.MARK_KEY);
    lms.send(acme.create(Commands.lead("late@example.com")));
    search().put(SearchIndexes.MARK_KEY, before);

    assertThat(restartedStores().ensureIndexes()).isEqualTo(6);
    assertThat(contents()).doesNotContainKey(stale);
    assertThat(restartedStores().ensureIndexes()).as("built once, current after").isZero();
  }

  /** The task's stores as a restarted processor sees them (their contents as left on disk). */
  private LeadStores restartedStores() {
    return lms.processorStores();
  }

  private Map<String, LeadSummary> contents() {
    Map<String, LeadSummary> contents = new TreeMap<>(lms.indexEntries(StoreNames.SEARCH_INDEX));
    contents.putAll(lms.indexEntries(StoreNames.FOLLOW_UP_DUE_INDEX));
    return contents;
  }

  private void markBoth(EncodedSummary mark) {
    search().put(SearchIndexes.MARK_KEY, mark);
    due().put(SearchIndexes.MARK_KEY, mark);
  }

  private static void clear(KeyValueStore<String, EncodedSummary> store) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, EncodedSummary> all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(store::delete);
  }

  private KeyValueStore<String, EncodedSummary> search() {
    return lms.driver.getKeyValueStore(StoreNames.SEARCH_INDEX);
  }

  private KeyValueStore<String, EncodedSummary> due() {
    return lms.driver.getKeyValueStore(StoreNames.FOLLOW_UP_DUE_INDEX);
  }

  private KeyValueStore<String, Long> generations() {
    return lms.driver.getKeyValueStore(StoreNames.INDEX_GENERATIONS);
  }
}
