package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.domain.CommandHandler;
import io.lms.domain.Times;
import io.lms.fuzz.PropertySeeds;
import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadSummary;
import io.lms.schema.LeadType;
import io.lms.topology.Commands;
import io.lms.topology.EncodedSummary;
import io.lms.topology.StoreKeys;
import io.lms.topology.StoreNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random command sequences over two orgs, then: the indexes hold exactly the entries the leads call
 * for (no stale one), and every random search and due list answers what a filter and sort over all
 * of the org's leads answers.
 */
class SearchPropertyTest {
  private static final List<String> ORGS = List.of("acme", "acme-eu");
  private static final String[] OWNERS = {null, "ann", "bob", "cy"};
  private static final Map<LeadStatus, String> SUB_STATUS = Map.of(
      LeadStatus.OPEN, "Fresh", LeadStatus.ON_HOLD, "Waiting", LeadStatus.LOST, "Gone", LeadStatus.WON, "Happy");
  private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");
  private static final int COMMANDS = 500;
  private static final int SEARCHES_PER_ORG = 400;

  private Random random;

  /** Replay one with {@code -Dlms.property.seed=N}: every failure message names its seed. */
  static LongStream seeds() {
    return PropertySeeds.orDefaults(1, 2, 3, 4, 5);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void searchesAndIndexesAgreeWithTheLeads(long seed) {
    random = new Random(seed);
    try (ReaderFixture lms = new ReaderFixture()) {
      Map<String, Commands> orgs = new TreeMap<>();
      for (String org : ORGS) {
        Commands commands = new Commands(org);
        orgs.put(org, commands);
        lms.accept(commands.reasons("Some reason"));
        SUB_STATUS.forEach((status, name) -> lms.accept(commands.subStatus(status.name(), name)));
      }
      for (int i = 0; i < COMMANDS; i++) {
        String org = ORGS.get(random.nextInt(ORGS.size()));
        Commands commands = orgs.get(org);
        if (random.nextInt(5) == 0) {
          commands.tick(-1000); // same instant as the previous command: lastUpdatedOn ties
        }
        lms.lms.send(randomCommand(commands, lms.lms.leadStore(), org));
      }
      lms.lms.drainEvents();

      thenTheIndexesHoldExactlyTheEntriesOfTheLeads(lms, seed);
      for (String org : ORGS) {
        List<LeadState> all = leadsOf(lms.lms.leadStore(), org);
        for (int i = 0; i < SEARCHES_PER_ORG; i++) {
          LeadSearch search = randomSearch(all.size());
          assertThat(lms.reader.search(org, search)).as("seed %d, %s in %s", seed, search, org)
              .isEqualTo(new QueryResult.Found<>(bruteForce(all, search)));
        }
        for (int i = 0; i < SEARCHES_PER_ORG / 4; i++) {
          DueFollowUps due = randomDue();
          assertThat(lms.reader.dueFollowUps(org, due)).as("seed %d, %s in %s", seed, due, org)
              .isEqualTo(new QueryResult.Found<>(bruteForce(all, due)));
        }
      }
    }
  }

  // ---- commands

  private io.lms.schema.LeadCommand randomCommand(Commands commands, KeyValueStore<String, LeadState> leads, String org) {
    long lastId = leadsOf(leads, org).size();
    int kind = lastId == 0 ? 0 : random.nextInt(10);
    long leadId = 1 + (lastId == 0 ? 0 : random.nextInt((int) lastId));
    if (kind < 4) {
      LeadStatus status = random.nextInt(3) == 0 ? pick(LeadStatus.values()) : LeadStatus.OPEN;
      CreateLead.Builder lead = Commands.lead("customer" + random.nextInt(6) + "@example.com")
          .setType(pick(LeadType.values()).name())
          .setStatus(status.name())
          .setOwner(pick(OWNERS))
          .setOrgSourceId((long) random.nextInt(3) - 1)
          .setNextFollowUp(random.nextBoolean() ? randomTime() : null);
      if (random.nextBoolean()) {
        lead.setSubStatus(SUB_STATUS.get(status));
      }
      return commands.create(lead);
    }
    if (kind < 6) {
      String owner = pick(OWNERS);
      return commands.update(leadId, owner == null ? Map.of("k", "v" + random.nextInt(9)) : null, owner);
    }
    if (kind < 8) {
      LeadStatus status = pick(LeadStatus.values());
      return commands.status(leadId, status.name(), 1L, random.nextBoolean() ? SUB_STATUS.get(status) : null);
    }
    return commands.followUp(leadId, "2026-11-20T10:00:00Z", random.nextInt(4) == 0 ? null : randomTime());
  }

  private String randomTime() {
    // Spread over five days around DAY, in two offsets, sometimes on the same minute.
    Instant at = DAY.plus(random.nextInt(5 * 24 * 4) * 15L - 2 * 24 * 60, ChronoUnit.MINUTES);
    return random.nextBoolean() ? at.toString() : at.atOffset(java.time.ZoneOffset.ofHoursMinutes(5, 30)).toString();
  }

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  // ---- searches and what they must answer

  private LeadSearch randomSearch(int leadCount) {
    return new LeadSearch(
        random.nextInt(4) == 0 ? Optional.of(pick(LeadType.values())) : Optional.empty(),
        random.nextInt(3) == 0 ? Optional.empty() : Optional.of(pick(LeadStatus.values())),
        random.nextInt(6) == 0 ? Optional.of(pick(SUB_STATUS.values().toArray(String[]::new))) : Optional.empty(),
        random.nextInt(5) == 0 ? Optional.of((long) random.nextInt(8)) : Optional.empty(),
        random.nextInt(5) == 0 ? Optional.ofNullable(pick(OWNERS)) : Optional.empty(),
        random.nextInt(6) == 0 ? Optional.of((long) random.nextInt(3) - 1) : Optional.empty(),
        random.nextBoolean() ? 0 : random.nextInt(leadCount + 3),
        random.nextInt(10) == 0 ? LeadSearch.MAX_LIMIT : 1 + random.nextInt(20),
        pick(SortBy.values()),
        pick(SortOrder.values()));
  }

  private static List<LeadState> bruteForce(List<LeadState> all, LeadSearch search) {
    Predicate<LeadState> matches = lead -> lead.getId() > search.offset()
        && search.status().map(status -> lead.getStatus() == status).orElse(lead.getStatus() != LeadStatus.DELETED)
        && search.type().map(type -> lead.getType() == type).orElse(true)
        && search.subStatus().map(name -> name.equals(lead.getSubStatus())).orElse(true)
        && search.userId().map(userId -> lead.getUserId() == userId).orElse(true)
        && search.owner().map(owner -> owner.equals(lead.getOwner())).orElse(true)
        && search.orgSourceId().map(source -> lead.getOrgSourceId() == source).orElse(true);
    Comparator<LeadState> order = search.sortBy() == SortBy.CREATED_ON
        ? Comparator.comparingLong(LeadState::getId)
        : Comparator.<LeadState>comparingLong(LeadState::getLastUpdatedAtMillis).thenComparingLong(LeadState::getId);
    if (search.sortOrder() == SortOrder.DESC) {
      order = order.reversed();
    }
    return all.stream().filter(matches).sorted(order).limit(search.limit()).toList();
  }

  private DueFollowUps randomDue() {
    Instant from = DAY.plus(random.nextInt(5 * 24) - 3 * 24, ChronoUnit.HOURS);
    return new DueFollowUps(from, from.plus(1 + random.nextInt(72), ChronoUnit.HOURS),
        random.nextInt(3) == 0 ? Optional.ofNullable(pick(OWNERS)).or(() -> Optional.of("ann")) : Optional.empty(),
        random.nextInt(3) == 0 ? random.nextInt(10) : 0, 1 + random.nextInt(20));
  }

  private static List<LeadState> bruteForce(List<LeadState> all, DueFollowUps query) {
    return all.stream()
        .filter(lead -> CommandHandler.isActive(lead.getStatus()) && lead.getNextFollowUp() != null)
        .filter(lead -> !due(lead).isBefore(query.from()) && due(lead).isBefore(query.to()))
        .filter(lead -> query.owner().map(owner -> owner.equals(lead.getOwner())).orElse(true))
        .sorted(Comparator.comparing(SearchPropertyTest::due).thenComparingLong(LeadState::getId))
        .skip(query.offset())
        .limit(query.limit())
        .toList();
  }

  private static Instant due(LeadState lead) {
    return Times.instantOf(lead.getNextFollowUp());
  }

  // ---- the index invariant

  private static void thenTheIndexesHoldExactlyTheEntriesOfTheLeads(ReaderFixture lms, long seed) {
    Map<String, LeadSummary> search = new TreeMap<>();
    Map<String, LeadSummary> due = new TreeMap<>();
    for (String org : ORGS) {
      for (LeadState lead : leadsOf(lms.lms.leadStore(), org)) {
        LeadSummary summary = EncodedSummary.summaryOf(lead);
        search.put(StoreKeys.byUpdated(org, lead.getStatus(), lead.getLastUpdatedAtMillis(), lead.getId()), summary);
        search.put(StoreKeys.byCreated(org, lead.getStatus(), lead.getId()), summary);
        search.put(StoreKeys.byCustomer(org, lead.getUserId(), lead.getId()), summary);
        if (CommandHandler.isActive(lead.getStatus()) && lead.getNextFollowUp() != null) {
          due.put(StoreKeys.due(org, due(lead).toEpochMilli(), lead.getId()), summary);
        }
      }
    }
    assertThat(lms.lms.indexEntries(StoreNames.SEARCH_INDEX)).as("seed %d: search index", seed).isEqualTo(search);
    assertThat(lms.lms.indexEntries(StoreNames.FOLLOW_UP_DUE_INDEX)).as("seed %d: due index", seed).isEqualTo(due);
  }

  private static List<LeadState> leadsOf(KeyValueStore<String, LeadState> leads, String org) {
    List<LeadState> all = new ArrayList<>();
    try (KeyValueIterator<String, LeadState> range = leads.prefixScan(StoreKeys.orgPrefix(org), new StringSerializer())) {
      range.forEachRemaining(entry -> all.add(entry.value));
    }
    return all;
  }
}
