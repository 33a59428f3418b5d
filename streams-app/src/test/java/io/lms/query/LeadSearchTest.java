package io.lms.query;

import static io.lms.query.LeadSearch.SortOrder.ASC;
import static io.lms.query.LeadSearch.SortOrder.DESC;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.topology.Commands;
import io.lms.topology.EncodedSummary;
import io.lms.topology.StoreKeys;
import io.lms.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Search through the indexes the topology keeps, driven by real commands. */
class LeadSearchTest {
  private final ReaderFixture lms = new ReaderFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  /** Creates the org's first reason, which status changes need, and returns its id. */
  private long reason() {
    lms.accept(acme.reasons("Not interested"));
    return 1L;
  }

  private long lead(String email) {
    return lms.create(acme, Commands.lead(email));
  }

  private void touch(long id) {
    lms.accept(acme.update(id, Map.of("touched", "yes"), null));
  }

  private void changeStatus(long id, String status, long reasonId) {
    lms.accept(acme.status(id, status, reasonId, null));
  }

  private List<Long> ids(Search search) {
    return lms.ids("acme", search);
  }

  @Test
  void sortsAStatusByLastUpdatedOnAndAnUpdatedLeadMovesToItsNewPlace() {
    long first = lead("a@example.com");
    long second = lead("b@example.com");
    long third = lead("c@example.com");
    long fourth = lead("d@example.com");

    touch(second);

    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC)))
        .containsExactly(second, fourth, third, first);
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(ASC)))
        .containsExactly(first, third, fourth, second);
  }

  @Test
  void leadsUpdatedInTheSameMillisecondAreOrderedById() {
    long first = lead("a@example.com");
    long second = lead("b@example.com");
    acme.tick(-1000); // the next command is issued in the same instant as the previous one
    long third = lead("c@example.com");
    assertThat(lms.lms.storedLead("acme", third).getLastUpdatedAtMillis())
        .isEqualTo(lms.lms.storedLead("acme", second).getLastUpdatedAtMillis());

    assertThat(ids(Search.leads().byLastUpdatedOn(ASC))).containsExactly(first, second, third);
    assertThat(ids(Search.leads().byLastUpdatedOn(DESC))).containsExactly(third, second, first);
  }

  @Test
  void sortsByCreatedOnAndStartsAfterTheOffset() {
    for (int i = 1; i <= 12; i++) {
      lead("customer" + i + "@example.com");
    }

    assertThat(ids(Search.leads().byCreatedOn(ASC).offset(10))).containsExactly(11L, 12L);
    assertThat(ids(Search.leads().byCreatedOn(DESC).offset(10))).containsExactly(12L, 11L);
    assertThat(ids(Search.leads().byCreatedOn(DESC).limit(3))).containsExactly(12L, 11L, 10L);
    assertThat(ids(Search.leads().byCreatedOn(ASC).limit(3))).containsExactly(1L, 2L, 3L);
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byCreatedOn(ASC).offset(9).limit(2)))
        .containsExactly(10L, 11L);
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byCreatedOn(DESC).offset(9).limit(2)))
        .containsExactly(12L, 11L);
    assertThat(ids(Search.leads().byCreatedOn(ASC).offset(12))).isEmpty();
    assertThat(ids(Search.leads().byCreatedOn(ASC).offset(Long.MAX_VALUE))).isEmpty();
  }

  @Test
  void inLastUpdatedOnOrderTheOffsetStillLeavesOutTheFirstCreatedLeads() {
    for (int i = 1; i <= 5; i++) {
      lead("customer" + i + "@example.com");
    }
    touch(1);
    touch(2);

    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC))).containsExactly(2L, 1L, 5L, 4L, 3L);
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC).offset(2)))
        .containsExactly(5L, 4L, 3L);
    assertThat(ids(Search.leads().byLastUpdatedOn(ASC).offset(2).limit(2))).containsExactly(3L, 4L);
  }

  @Test
  void withoutAStatusEveryStatusButDeletedIsMergedInOrder() {
    long reason = reason();
    long open = lead("a@example.com");
    long won = lead("b@example.com");
    long lost = lead("c@example.com");
    long onHold = lead("d@example.com");
    long deleted = lead("e@example.com");
    changeStatus(onHold, "ON_HOLD", reason);
    changeStatus(deleted, "DELETED", reason);
    changeStatus(lost, "LOST", reason);
    changeStatus(won, "WON", reason);
    touch(open);

    assertThat(ids(Search.leads().byLastUpdatedOn(DESC))).containsExactly(open, won, lost, onHold);
    assertThat(ids(Search.leads().byLastUpdatedOn(ASC))).containsExactly(onHold, lost, won, open);
    assertThat(ids(Search.leads().byCreatedOn(ASC))).containsExactly(open, won, lost, onHold);
    assertThat(ids(Search.leads().byCreatedOn(DESC))).containsExactly(onHold, lost, won, open);
    assertThat(ids(Search.leads().byCreatedOn(DESC).limit(2))).containsExactly(onHold, lost);
    assertThat(ids(Search.leads().status(LeadStatus.DELETED))).containsExactly(deleted);
    assertThat(ids(Search.leads().status(LeadStatus.WON).byLastUpdatedOn(DESC))).containsExactly(won);
  }

  @Test
  void aLeadThatChangesStatusLeavesNoEntryUnderItsOldStatus() {
    long reason = reason();
    long id = lead("a@example.com");
    touch(id);
    changeStatus(id, "LOST", reason);
    changeStatus(id, "ON_HOLD", reason);
    touch(id);

    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byLastUpdatedOn(DESC))).isEmpty();
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).byCreatedOn(DESC))).isEmpty();
    assertThat(ids(Search.leads().status(LeadStatus.LOST))).isEmpty();
    assertThat(ids(Search.leads().status(LeadStatus.ON_HOLD).byLastUpdatedOn(ASC))).containsExactly(id);
    LeadState lead = lms.lms.storedLead("acme", id);
    assertThat(indexKeys("acme/")).containsExactlyInAnyOrder(
        StoreKeys.byUpdated("acme", LeadStatus.ON_HOLD, lead.getLastUpdatedAtMillis(), id),
        StoreKeys.byCreated("acme", LeadStatus.ON_HOLD, id),
        StoreKeys.byCustomer("acme", lead.getUserId(), id));
  }

  @Test
  void typeAllListsEveryTypeAndATypeOnlyItsOwn() {
    long sku = lms.create(acme, Commands.lead("a@example.com").setType("SKU"));
    long brand = lms.create(acme, Commands.lead("b@example.com").setType("BRAND"));
    long category = lms.create(acme, Commands.lead("c@example.com").setType("CATEGORY"));

    assertThat(ids(Search.leads().byCreatedOn(ASC))).containsExactly(sku, brand, category);
    assertThat(ids(Search.leads().type(LeadType.SKU).byCreatedOn(ASC))).containsExactly(sku);
    assertThat(ids(Search.leads().type(LeadType.BRAND).byLastUpdatedOn(DESC))).containsExactly(brand);
    assertThat(ids(Search.leads().type(LeadType.CUSTOM))).isEmpty();
  }

  @Test
  void filtersBySubStatus() {
    lms.accept(acme.subStatus("OPEN", "Fresh"));
    lms.accept(acme.subStatus("OPEN", "Stale"));
    long fresh = lms.create(acme, Commands.lead("a@example.com").setSubStatus("Fresh"));
    long stale = lms.create(acme, Commands.lead("b@example.com").setSubStatus("Stale"));
    lead("c@example.com");

    assertThat(ids(Search.leads().subStatus("Fresh"))).containsExactly(fresh);
    assertThat(ids(Search.leads().status(LeadStatus.OPEN).subStatus("Stale").byLastUpdatedOn(ASC)))
        .containsExactly(stale);
    assertThat(ids(Search.leads().status(LeadStatus.ON_HOLD).subStatus("Stale"))).isEmpty();
  }

  @Test
  void filtersByCustomerInEitherOrder() {
    long reason = reason();
    long a1 = lead("a@example.com");
    long b1 = lead("b@example.com");
    long a2 = lead("A@Example.com"); // the same customer: emails compare case-insensitively
    long a3 = lead("a@example.com");
    long customer = lms.lms.storedLead("acme", a1).getUserId();
    touch(a1);
    changeStatus(a3, "DELETED", reason);

    assertThat(ids(Search.leads().userId(customer).byCreatedOn(ASC))).containsExactly(a1, a2);
    assertThat(ids(Search.leads().userId(customer).byCreatedOn(DESC))).containsExactly(a2, a1);
    assertThat(ids(Search.leads().userId(customer).byCreatedOn(ASC).offset(a1))).containsExactly(a2);
    assertThat(ids(Search.leads().userId(customer).byLastUpdatedOn(DESC))).containsExactly(a1, a2);
    assertThat(ids(Search.leads().userId(customer).byLastUpdatedOn(ASC).limit(1))).containsExactly(a2);
    assertThat(ids(Search.leads().userId(customer).status(LeadStatus.DELETED))).containsExactly(a3);
    assertThat(ids(Search.leads().userId(customer).status(LeadStatus.WON))).isEmpty();
    assertThat(ids(Search.leads().userId(lms.lms.storedLead("acme", b1).getUserId()))).containsExactly(b1);
    assertThat(ids(Search.leads().userId(999))).isEmpty();
    assertThat(ids(Search.leads().userId(-1))).isEmpty();
  }

  @Test
  void filtersByOwnerAndSeesAnOwnerChange() {
    long ann = lms.create(acme, Commands.lead("a@example.com").setOwner("ann"));
    long bob = lms.create(acme, Commands.lead("b@example.com").setOwner("bob"));
    long nobody = lead("c@example.com");

    lms.accept(acme.update(nobody, null, "ann"));

    assertThat(ids(Search.leads().owner("ann").byCreatedOn(ASC))).containsExactly(ann, nobody);
    assertThat(ids(Search.leads().owner("ann").byLastUpdatedOn(DESC))).containsExactly(nobody, ann);
    assertThat(ids(Search.leads().owner("bob").status(LeadStatus.OPEN))).containsExactly(bob);
    assertThat(ids(Search.leads().owner("carol"))).isEmpty();
  }

  @Test
  void filtersByOrgSource() {
    long store = lms.create(acme, Commands.lead("a@example.com").setOrgSourceId(7L));
    long web = lms.create(acme, Commands.lead("b@example.com").setOrgSourceId(8L));
    long unknown = lead("c@example.com");

    assertThat(ids(Search.leads().orgSourceId(7))).containsExactly(store);
    assertThat(ids(Search.leads().orgSourceId(8).byLastUpdatedOn(ASC))).containsExactly(web);
    assertThat(ids(Search.leads().orgSourceId(-1))).containsExactly(unknown);
  }

  @Test
  void combinesFilters() {
    long reason = reason();
    long match1 = lms.create(acme, Commands.lead("a@example.com").setType("BRAND").setOwner("ann").setOrgSourceId(3L));
    lms.create(acme, Commands.lead("b@example.com").setType("SKU").setOwner("ann").setOrgSourceId(3L));
    lms.create(acme, Commands.lead("c@example.com").setType("BRAND").setOwner("bob").setOrgSourceId(3L));
    long match2 = lms.create(acme, Commands.lead("d@example.com").setType("BRAND").setOwner("ann").setOrgSourceId(3L));
    long lost = lms.create(acme, Commands.lead("e@example.com").setType("BRAND").setOwner("ann").setOrgSourceId(3L));
    changeStatus(lost, "LOST", reason);

    Search brandOfAnnFromSource3 = Search.leads().type(LeadType.BRAND).owner("ann").orgSourceId(3);
    assertThat(ids(brandOfAnnFromSource3.byCreatedOn(ASC))).containsExactly(match1, match2, lost);
    assertThat(ids(brandOfAnnFromSource3.status(LeadStatus.OPEN).byLastUpdatedOn(DESC))).containsExactly(match2, match1);
    assertThat(ids(brandOfAnnFromSource3.status(LeadStatus.OPEN).byCreatedOn(ASC).offset(match1)))
        .containsExactly(match2);
  }

  @Test
  void answersAtMostTheLimitAndTenByDefault() {
    for (int i = 1; i <= 15; i++) {
      lead("customer" + i + "@example.com");
    }

    assertThat(ids(Search.leads())).hasSize(LeadSearch.DEFAULT_LIMIT).first().isEqualTo(15L);
    assertThat(ids(Search.leads().limit(3).byLastUpdatedOn(DESC))).containsExactly(15L, 14L, 13L);
    assertThat(ids(Search.leads().limit(LeadSearch.MAX_LIMIT))).hasSize(15);
  }

  @Test
  void twoOrgsNeverSeeEachOthersLeads() {
    Commands acmeEu = new Commands("acme-eu");
    long ours = lead("a@example.com");
    long theirs = lms.create(acmeEu, Commands.lead("a@example.com").setOwner("ann"));
    lms.create(acmeEu, Commands.lead("b@example.com"));

    assertThat(ids(Search.leads())).containsExactly(ours);
    assertThat(ids(Search.leads().byLastUpdatedOn(ASC))).containsExactly(ours);
    assertThat(ids(Search.leads().owner("ann"))).isEmpty();
    assertThat(ids(Search.leads().userId(1))).containsExactly(ours);
    assertThat(lms.ids("acme-eu", Search.leads().byCreatedOn(ASC))).containsExactly(theirs, 2L);
    assertThat(lms.ids("globex", Search.leads())).isEmpty();
  }

  @Test
  void returnsTheLeadsAsStored() {
    long id = lms.create(acme, Commands.lead("a@example.com").setExtendedFields(Map.of("colour", "red")));

    assertThat(lms.search("acme", Search.leads())).containsExactly(lms.lms.storedLead("acme", id));
  }

  private List<String> indexKeys(String prefix) {
    KeyValueStore<String, EncodedSummary> index = lms.lms.driver.getKeyValueStore(StoreNames.SEARCH_INDEX);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, EncodedSummary> all = index.range(prefix, StoreKeys.endOf(prefix))) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }
}
