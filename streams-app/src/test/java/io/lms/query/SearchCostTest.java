package io.lms.query;

import static io.lms.query.LeadSearch.SortOrder.ASC;
import static io.lms.query.LeadSearch.SortOrder.DESC;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadStatus;
import io.lms.topology.Commands;
import io.lms.topology.StoreNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a search costs, counted rather than timed: index entries walked and leads read (each one an
 * Avro decode of a whole LeadState). The benchmark's query, a status sorted by lastUpdatedOn at
 * offset 10,000 in an org of 1,000,000, must walk only the entries it skips plus one page and
 * decode only the page; here the org is smaller and the skipped leads are the most recently
 * updated, the worst case for a newest-first walk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchCostTest {
  private static final int LEADS = 1_000;
  private static final int SKIPPED = 200;
  private static final int PAGE = 20;

  private ReaderFixture lms;
  private final Map<String, CountingStore> stores = new HashMap<>();
  private LocalLeadReader reader;

  @BeforeAll
  void givenAnOrgWhoseFirstLeadsWereUpdatedLast() {
    lms = new ReaderFixture();
    Commands acme = new Commands("acme");
    for (int i = 0; i < LEADS; i++) {
      // One busy customer holds every lead: more than the in-memory sort of a customer's leads takes.
      lms.create(acme, Commands.lead("walk-in@example.com"));
    }
    lms.create(acme, Commands.lead("regular@example.com"));
    lms.create(acme, Commands.lead("regular@example.com"));
    for (long id = 1; id <= SKIPPED; id++) {
      lms.accept(acme.update(id, Map.of("seen", "yes"), null));
    }
    lms.lms.drainEvents();
    reader = new LocalLeadReader((storeName, orgId) -> stores.computeIfAbsent(storeName,
        name -> new CountingStore(lms.lms.driver.getKeyValueStore(name))));
  }

  @AfterAll
  void close() {
    lms.close();
  }

  @BeforeEach
  void resetCounts() {
    stores.clear();
  }

  private List<Long> ids(Search search) {
    return ReaderFixture.found(reader.search("acme", search.build())).stream().map(l -> l.getId()).toList();
  }

  private int walked() {
    return stores.get(StoreNames.SEARCH_INDEX).walked;
  }

  private int leadsRead() {
    return stores.get(StoreNames.LEADS).reads;
  }

  @Test
  void aStatusByLastUpdatedOnAtAnOffsetWalksTheSkippedEntriesAndOnePage() {
    List<Long> page = ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC).offset(SKIPPED).limit(PAGE));

    assertThat(page).containsExactly(LongStream.rangeClosed(LEADS + 2 - PAGE + 1, LEADS + 2)
        .boxed().sorted((a, b) -> Long.compare(b, a)).toArray(Long[]::new));
    assertThat(walked()).isLessThanOrEqualTo(SKIPPED + PAGE + 1);
    assertThat(leadsRead()).isEqualTo(PAGE);
  }

  @Test
  void aStatusByLastUpdatedOnWithoutOffsetWalksOnePage() {
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC).limit(PAGE))).hasSize(PAGE);

    assertThat(walked()).isLessThanOrEqualTo(PAGE + 1);
    assertThat(leadsRead()).isEqualTo(PAGE);
  }

  @Test
  void everyStatusButDeletedWalksOnePagePlusOneLookAheadPerStatus() {
    assertThat(ids(Search.leads().byLastUpdatedOn(ASC).offset(SKIPPED).limit(PAGE))).first().isEqualTo(SKIPPED + 1L);

    assertThat(walked()).isLessThanOrEqualTo(PAGE + IndexSearch.LISTED_WITHOUT_STATUS.size());
    assertThat(leadsRead()).isEqualTo(PAGE);
  }

  @Test
  void byCreatedOnTheOffsetIsASeek() {
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byCreatedOn(ASC).offset(900).limit(PAGE)))
        .first().isEqualTo(901L);

    assertThat(walked()).isLessThanOrEqualTo(PAGE + 1);
    assertThat(leadsRead()).isEqualTo(PAGE);
  }

  @Test
  void aBusyCustomerIsSortedByLastUpdatedOnThroughTheStatusIndexes() {
    assertThat(ids(Search.leads().userId(1).byLastUpdatedOn(DESC).limit(PAGE))).first().isEqualTo((long) SKIPPED);

    assertThat(walked()).isLessThanOrEqualTo(IndexSearch.CUSTOMER_LEADS_SORTED_IN_MEMORY + 1
        + PAGE + IndexSearch.LISTED_WITHOUT_STATUS.size());
    assertThat(leadsRead()).isEqualTo(PAGE);
  }

  @Test
  void aCustomerWithFewLeadsReadsOnlyThose() {
    assertThat(ids(Search.leads().userId(2).byLastUpdatedOn(DESC))).containsExactly(LEADS + 2L, LEADS + 1L);

    assertThat(walked()).isEqualTo(2);
    assertThat(leadsRead()).isEqualTo(2);
  }

  /** Counts what passes through a store: reads of single keys, and entries iterated. */
  private static final class CountingStore implements ReadOnlyKeyValueStore<String, Object> {
    private final ReadOnlyKeyValueStore<String, Object> inner;
    int reads;
    int walked;

    CountingStore(ReadOnlyKeyValueStore<String, Object> inner) {
      this.inner = inner;
    }

    @Override
    public Object get(String key) {
      reads++;
      return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, Object> range(String from, String to) {
      return counting(inner.range(from, to));
    }

    @Override
    public KeyValueIterator<String, Object> reverseRange(String from, String to) {
      return counting(inner.reverseRange(from, to));
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, Object> prefixScan(P prefix, PS serializer) {
      return counting(inner.prefixScan(prefix, serializer));
    }

    @Override
    public KeyValueIterator<String, Object> all() {
      return counting(inner.all());
    }

    @Override
    public long approximateNumEntries() {
      return inner.approximateNumEntries();
    }

    private KeyValueIterator<String, Object> counting(KeyValueIterator<String, Object> iterator) {
      return new KeyValueIterator<>() {
        @Override
        public boolean hasNext() {
          return iterator.hasNext();
        }

        @Override
        public KeyValue<String, Object> next() {
          walked++;
          return iterator.next();
        }

        @Override
        public String peekNextKey() {
          return iterator.peekNextKey();
        }

        @Override
        public void close() {
          iterator.close();
        }
      };
    }
  }
}
