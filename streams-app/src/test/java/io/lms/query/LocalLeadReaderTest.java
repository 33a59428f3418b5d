package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.topology.Commands;
import io.lms.topology.EncodedSummary;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.StoreNames;
import io.lms.topology.TopologySettings;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalLeadReaderTest {
  private static final DueFollowUps TODAY = new DueFollowUps(
      Instant.parse("2026-11-27T00:00:00Z"), Instant.parse("2026-11-28T00:00:00Z"), Optional.empty(), 0, 10);

  private final ReaderFixture lms = new ReaderFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  @Test
  void findsALeadByIdInItsOrgOnly() {
    long id = lms.create(acme, Commands.lead("a@example.com"));

    assertThat(lms.reader.lead("acme", id)).isEqualTo(new QueryResult.Found<>(lms.lms.storedLead("acme", id)));
    assertThat(lms.reader.lead("acme", id + 1)).isEqualTo(new QueryResult.NotFound<LeadState>());
    assertThat(lms.reader.lead("globex", id)).isEqualTo(new QueryResult.NotFound<LeadState>());
    assertThat(lms.reader.lead("acme", -1)).isEqualTo(new QueryResult.NotFound<LeadState>());
    assertThat(lms.reader.lead("acme/updated", id)).isEqualTo(new QueryResult.NotFound<LeadState>());
  }

  @Test
  void aLeadSeenCommittedButMissingFromABehindStoreIsUnavailableNotNotFound() {
    // given two leads of acme whose results this instance read committed
    CommittedLeads committed = new CommittedLeads();
    committed.observe(lms.lms.send(acme.create(Commands.lead("a@example.com"))));
    committed.observe(lms.lms.send(acme.create(Commands.lead("b@example.com"))));
    try (ReaderFixture behind = new ReaderFixture()) {
      // when the local stores of acme hold neither (a task restored short of its changelog)
      LocalLeadReader reader = new LocalLeadReader(
          (storeName, orgId) -> behind.lms.driver.getKeyValueStore(storeName), committed);

      // then the two are "ask again"; what no result ever named is still not found
      assertThat(reader.lead("acme", 1)).isInstanceOf(QueryResult.Unavailable.class);
      assertThat(reader.lead("acme", 2)).isInstanceOf(QueryResult.Unavailable.class);
      assertThat(reader.lead("acme", 3)).isEqualTo(new QueryResult.NotFound<LeadState>());
      assertThat(reader.lead("acme", 0)).isEqualTo(new QueryResult.NotFound<LeadState>());
      assertThat(reader.lead("globex", 1)).isEqualTo(new QueryResult.NotFound<LeadState>());
    }
    // and a store that is up to date answers them
    assertThat(new LocalLeadReader((storeName, orgId) -> lms.lms.driver.getKeyValueStore(storeName), committed)
        .lead("acme", 2)).isEqualTo(new QueryResult.Found<>(lms.lms.storedLead("acme", 2)));
  }

  @Test
  void aLeadWrittenButNotYetCommittedInTheStoreIsUnavailableNotNotFound() {
    // given the owner's committed view of acme without lead 1, while its task has written lead 1
    // (its result is already on the results topic) and this instance's results consumer is behind
    try (ReaderFixture empty = new ReaderFixture()) {
      StoreLookup committedOnly = (storeName, orgId) -> empty.lms.driver.getKeyValueStore(storeName);
      StoreLookup writtenNotCommitted = new StoreLookup() {
        @Override
        public org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, ?> store(String storeName, String orgId) {
          return committedOnly.store(storeName, orgId);
        }

        @Override
        public boolean holdsUncommitted(String storeName, String orgId, String key) {
          return storeName.equals(StoreNames.LEADS) && key.equals(io.lms.topology.StoreKeys.lead("acme", 1));
        }
      };

      // then lead 1 is "ask again", never a wrong "not found"; other leads are still not found
      LocalLeadReader reader = new LocalLeadReader(writtenNotCommitted, new CommittedLeads());
      assertThat(reader.lead("acme", 1)).isInstanceOf(QueryResult.Unavailable.class);
      assertThat(reader.lead("acme", 2)).isEqualTo(new QueryResult.NotFound<LeadState>());
      assertThat(new LocalLeadReader(committedOnly, new CommittedLeads()).lead("acme", 1))
          .isEqualTo(new QueryResult.NotFound<LeadState>());
    }
  }

  @Test
  void indexesNotYetCommittedAfterAMoveAnswerUnavailableNotAnEmptyList() {
    // given a lead of acme, due tomorrow, whose task's indexes were just rebuilt
    lms.create(acme, Commands.lead("a@example.com").setNextFollowUp("2026-11-27T10:00:00Z"));
    KeyValueStore<String, EncodedSummary> search = lms.lms.driver.getKeyValueStore(StoreNames.SEARCH_INDEX);
    KeyValueStore<String, EncodedSummary> due = lms.lms.driver.getKeyValueStore(StoreNames.FOLLOW_UP_DUE_INDEX);

    // when queries see the index stores as a new instance last committed them: nothing in them yet
    List<KeyValue<String, EncodedSummary>> searchEntries = drain(search);
    List<KeyValue<String, EncodedSummary>> dueEntries = drain(due);

    // then searches and the due list are "ask again", not an empty list
    assertThat(lms.reader.search("acme", LeadSearch.all())).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(lms.reader.dueFollowUps("acme", TODAY)).isInstanceOf(QueryResult.Unavailable.class);
    // and once the build is committed, they answer
    search.putAll(searchEntries);
    due.putAll(dueEntries);
    assertThat(ReaderFixture.found(lms.reader.search("acme", LeadSearch.all()))).hasSize(1);
    assertThat(ReaderFixture.found(lms.reader.dueFollowUps("acme", TODAY))).hasSize(1);
  }

  private static List<KeyValue<String, EncodedSummary>> drain(KeyValueStore<String, EncodedSummary> store) {
    List<KeyValue<String, EncodedSummary>> entries = new ArrayList<>();
    try (KeyValueIterator<String, EncodedSummary> all = store.all()) {
      all.forEachRemaining(entries::add);
    }
    entries.forEach(entry -> store.delete(entry.key));
    return entries;
  }

  @Test
  void listsTheOrgsReasonsInIdOrder() {
    lms.accept(acme.reasons("Too expensive", "Bought elsewhere"));
    lms.accept(acme.reasons("Not interested"));
    lms.accept(new Commands("acme-eu").reasons("Their own"));

    assertThat(ReaderFixture.found(lms.reader.reasons("acme"))).extracting(Reason::getId, Reason::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "Too expensive"),
            org.assertj.core.groups.Tuple.tuple(2L, "Bought elsewhere"),
            org.assertj.core.groups.Tuple.tuple(3L, "Not interested"));
  }

  @Test
  void listsTheOrgsSubStatusesByStatusThenName() {
    lms.accept(acme.subStatus("ON_HOLD", "YetToDecide"));
    lms.accept(acme.subStatus("LOST", "InvalidPhoneNumber"));
    lms.accept(acme.subStatus("ON_HOLD", "CallBack"));
    lms.accept(new Commands("acme-eu").subStatus("OPEN", "Theirs"));

    assertThat(ReaderFixture.found(lms.reader.subStatuses("acme")))
        .extracting(SubStatus::getStatus, SubStatus::getSubStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LeadStatus.LOST, "InvalidPhoneNumber"),
            org.assertj.core.groups.Tuple.tuple(LeadStatus.ON_HOLD, "CallBack"),
            org.assertj.core.groups.Tuple.tuple(LeadStatus.ON_HOLD, "YetToDecide"));
  }

  @Test
  void anOrgWithNothingAnswersEmptyListsNeverNotFound() {
    assertThat(lms.reader.reasons("globex")).isEqualTo(new QueryResult.Found<>(List.of()));
    assertThat(lms.reader.subStatuses("globex")).isEqualTo(new QueryResult.Found<>(List.of()));
    assertThat(lms.reader.search("globex", LeadSearch.all())).isEqualTo(new QueryResult.Found<>(List.of()));
    assertThat(lms.reader.dueFollowUps("globex", TODAY)).isEqualTo(new QueryResult.Found<>(List.of()));
  }

  @Test
  void answersUnavailableWhenTheStoresCannotBeQueried() {
    LocalLeadReader rebalancing = new LocalLeadReader((storeName, orgId) -> {
      throw new InvalidStateStoreException("The state store, " + storeName + ", may have migrated to another instance.");
    });

    assertUnavailable(rebalancing);
  }

  @Test
  void answersUnavailableWhenAStoreIsClosedUnderTheQuery() {
    ClosedStore store = new ClosedStore();
    int[] forgotten = {0};
    LocalLeadReader closing = new LocalLeadReader(new StoreLookup() {
      @Override
      public ReadOnlyKeyValueStore<String, ?> store(String storeName, String orgId) {
        return store;
      }

      @Override
      public void forgetResolved() {
        forgotten[0]++;
      }
    });

    assertUnavailable(closing);
    assertThat(store.open).as("iterators left open").isZero();
    assertThat(forgotten[0]).as("a store that failed is looked up again by the next read").isEqualTo(6);
  }

  @Test
  void answersUnavailableBeforeTheApplicationRuns() throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lms-reader-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("lms-reader").toString());
    try (KafkaStreams streams = new KafkaStreams(
        LmsTopology.build(LmsTopics.defaults(), TopologySettings.defaults()), props)) {
      assertUnavailable(LocalLeadReader.forStreams(streams, new CommittedLeads(), new StreamsStateChanges()));
      streams.close(Duration.ofSeconds(5));
    }
  }

  private void assertUnavailable(LocalLeadReader reader) {
    assertThat(reader.lead("acme", 1)).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(reader.reasons("acme")).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(reader.subStatuses("acme")).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(reader.search("acme", LeadSearch.all())).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(reader.search("acme", Search.leads().userId(1).build())).isInstanceOf(QueryResult.Unavailable.class);
    assertThat(reader.dueFollowUps("acme", TODAY)).isInstanceOf(QueryResult.Unavailable.class);
  }

  /**
   * A store that a rebalance closes while a query walks it: its iterators open, then fail, and
   * must still be closed by the query.
   */
  private static final class ClosedStore implements ReadOnlyKeyValueStore<String, Object> {
    int open;

    private static InvalidStateStoreException closed() {
      return new InvalidStateStoreException("Store " + StoreNames.LEADS + " is currently closed.");
    }

    private KeyValueIterator<String, Object> failing() {
      open++;
      return new KeyValueIterator<>() {
        @Override
        public boolean hasNext() {
          throw closed();
        }

        @Override
        public org.apache.kafka.streams.KeyValue<String, Object> next() {
          throw closed();
        }

        @Override
        public String peekNextKey() {
          throw closed();
        }

        @Override
        public void close() {
          open--;
        }
      };
    }

    @Override
    public Object get(String key) {
      throw closed();
    }

    @Override
    public KeyValueIterator<String, Object> range(String from, String to) {
      return failing();
    }

    @Override
    public KeyValueIterator<String, Object> reverseRange(String from, String to) {
      return failing();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<String, Object>
        prefixScan(P prefix, PS prefixKeySerializer) {
      return failing();
    }

    @Override
    public KeyValueIterator<String, Object> all() {
      return failing();
    }

    @Override
    public long approximateNumEntries() {
      throw closed();
    }
  }
}
