package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.FollowUp;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.schema.Rejected;
import io.lms.schema.StatusLogEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeadCommandTopologyTest {
  private final TopologyFixture lms = new TopologyFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  static LeadState lead(CommandResult result) {
    assertThat(result.getOutcome()).as("outcome of %s", result.getCommandId()).isInstanceOf(Accepted.class);
    return ((Accepted) result.getOutcome()).getLead();
  }

  static List<Integer> codes(CommandResult result) {
    assertThat(result.getOutcome()).as("outcome of %s", result.getCommandId()).isInstanceOf(Rejected.class);
    return ((Rejected) result.getOutcome()).getErrors().stream().map(ApiError::getCode).toList();
  }

  private void givenSampleReasons() {
    lms.send(acme.reasons("Item not available in store", "Best price availabe at another store",
        "Interested in our brand products"));
    lms.drainEvents();
    lms.reasons.readValuesToList();
  }

  @Test
  void createsTheSampleLeadWithItsHistory() {
    givenSampleReasons();

    LeadCommand create = acme.command(Commands.sampleCreate());
    LeadState lead = lead(lms.send(create));

    assertThat(lead.getId()).isEqualTo(1L);
    assertThat(lead.getUserId()).isEqualTo(1L);
    assertThat(lead.getType()).isEqualTo(LeadType.SKU);
    assertThat(lead.getLeadFor()).isEqualTo("item001");
    assertThat(lead.getStatus()).isEqualTo(LeadStatus.ON_HOLD);
    assertThat(lead.getNextFollowUp()).isEqualTo("2018-10-05T08:00:00+05:30");
    assertThat(lead.getCreatedOn()).isEqualTo("2018-10-04T13:30:00+05:30");
    assertThat(lead.getCreatedBy()).isEqualTo(28812689L);
    assertThat(lead.getLastUpdatedOn()).isEqualTo(create.getIssuedAt().toString());
    assertThat(lead.getLastUpdatedBy()).isEqualTo(Commands.STAFF);
    assertThat(lead.getExtendedFields()).containsExactly(Map.entry("trial_status", "Not Done"));
    assertThat(lead.getOrgSourceId()).isEqualTo(-1L);
    assertThat(lead.getFollowUpDetails()).extracting(FollowUp::getId, FollowUp::getLeadId, FollowUp::getNotes,
            FollowUp::getFollowedUpOn, FollowUp::getScheduledFollowUp, FollowUp::getFollowedUpBy, FollowUp::getCreatedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 1L, "notes 1", "2018-10-04T12:45:00+05:30",
                "2018-10-04T12:30:00+05:30", 28812689L, Commands.STAFF),
            org.assertj.core.groups.Tuple.tuple(2L, 1L, "notes 2", "2018-10-04T12:45:00+05:30",
                "2018-10-04T12:30:00+05:30", 28812689L, Commands.STAFF));
    assertThat(lead.getStatusLogDetails()).extracting(StatusLogEntry::getId, StatusLogEntry::getStatus,
            StatusLogEntry::getReasonId, StatusLogEntry::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, LeadStatus.OPEN, 1L, "Item not available in store"),
            org.assertj.core.groups.Tuple.tuple(2L, LeadStatus.ON_HOLD, 2L, "Best price availabe at another store"));
    assertThat(lead.getLastFollowUp()).isEqualTo("2018-10-04T12:45:00+05:30");

    assertThat(lms.drainEventTypes()).containsExactly("CustomerRegistered", "LeadCreated");
    assertThat(lms.leads.readKeyValuesToList()).singleElement()
        .satisfies(kv -> {
          assertThat(kv.key).isEqualTo("acme:1");
          assertThat(kv.value).isEqualTo(lead);
        });
    assertThat(lms.storedLead("acme", 1)).isEqualTo(lead);
  }

  @Test
  void updatesExtendedFieldsAndOwnerLikeTheSample() {
    LeadState created = lead(lms.send(acme.create(Commands.lead("a@example.com")
        .setExtendedFields(Map.of("colour", "red")))));
    lms.drainEvents();

    LeadCommand update = acme.update(created.getId(), Map.of("trial_status", "Not Done"), "store.manager");
    LeadState updated = lead(lms.send(update));

    assertThat(updated.getExtendedFields()).containsOnly(
        Map.entry("colour", "red"), Map.entry("trial_status", "Not Done"));
    assertThat(updated.getOwner()).isEqualTo("store.manager");
    assertThat(updated.getLastUpdatedOn()).isEqualTo(update.getIssuedAt().toString());
    assertThat(lms.drainEventTypes()).containsExactly("LeadUpdated");
    assertThat(lms.storedLead("acme", created.getId())).isEqualTo(updated);
  }

  @Test
  void changesStatusWithSubStatusAndReasonLikeTheSample() {
    givenSampleReasons();
    lms.send(acme.subStatus("ON_HOLD", "YetToDecide"));
    assertThat(lms.subStatuses.readKeyValuesToList()).singleElement()
        .satisfies(kv -> assertThat(kv.key).isEqualTo("acme/ON_HOLD/YetToDecide"));
    LeadState created = lead(lms.send(acme.create(Commands.lead("a@example.com"))));
    lms.drainEvents();

    LeadState changed = lead(lms.send(acme.status(created.getId(), "ON_HOLD", 2L, "YetToDecide")));

    assertThat(changed.getStatus()).isEqualTo(LeadStatus.ON_HOLD);
    assertThat(changed.getSubStatus()).isEqualTo("YetToDecide");
    StatusLogEntry entry = changed.getStatusLogDetails().get(changed.getStatusLogDetails().size() - 1);
    assertThat(entry.getStatus()).isEqualTo(LeadStatus.ON_HOLD);
    assertThat(entry.getReasonId()).isEqualTo(2L);
    assertThat(entry.getReason()).isEqualTo("Best price availabe at another store");
    assertThat(entry.getSubStatus()).isEqualTo("YetToDecide");
    assertThat(entry.getCreatedBy()).isEqualTo(Commands.STAFF);
    List<LeadEvent> events = lms.drainEvents();
    assertThat(events).singleElement().satisfies(e ->
        assertThat(e.getPayload()).isInstanceOf(io.lms.schema.StatusChanged.class));
  }

  @Test
  void recordsAFollowUpAndMovesTheNextOne() {
    LeadState created = lead(lms.send(acme.create(Commands.lead("a@example.com")
        .setNextFollowUp("2019-04-16T05:19:06Z"))));
    lms.drainEvents();

    LeadState followed = lead(lms.send(acme.followUp(created.getId(), "2019-04-17T05:19:06Z", "2019-04-20T10:00:00+05:30")));

    assertThat(followed.getLastFollowUp()).isEqualTo("2019-04-17T05:19:06Z");
    assertThat(followed.getNextFollowUp()).isEqualTo("2019-04-20T10:00:00+05:30");
    assertThat(followed.getFollowUpDetails()).singleElement().satisfies(f -> {
      assertThat(f.getId()).isEqualTo(1L);
      assertThat(f.getCreatedBy()).isEqualTo(124L);
      assertThat(f.getFollowedUpBy()).isEqualTo(124L);
      assertThat(f.getUserId()).isEqualTo(created.getUserId());
    });
    assertThat(lms.drainEventTypes()).containsExactly("FollowedUp");
  }

  @Test
  void aReasonCreatedByOneCommandIsUsableByTheVeryNextCommand() {
    LeadState created = lead(lms.send(acme.create(Commands.lead("a@example.com"))));
    LeadCommand reason = acme.reasons("Bought elsewhere");
    LeadCommand lost = acme.status(created.getId(), "LOST", 1L, null);

    // Both piped before either result is read: the second sees the first's reason.
    lms.commands.pipeInput("acme", reason, reason.getIssuedAt());
    lms.commands.pipeInput("acme", lost, lost.getIssuedAt());

    List<CommandResult> results = lms.results.readValuesToList();
    assertThat(results).hasSize(2);
    assertThat(lead(results.get(1)).getStatus()).isEqualTo(LeadStatus.LOST);
  }

  @Test
  void aSubStatusCreatedByOneCommandIsUsableByTheVeryNextCommand() {
    LeadCommand subStatus = acme.subStatus("OPEN", "Fresh");
    LeadCommand create = acme.create(Commands.lead("a@example.com").setSubStatus("Fresh"));
    lms.commands.pipeInput("acme", subStatus, subStatus.getIssuedAt());
    lms.commands.pipeInput("acme", create, create.getIssuedAt());

    List<CommandResult> results = lms.results.readValuesToList();
    assertThat(lead(results.get(1)).getSubStatus()).isEqualTo("Fresh");
  }

  @Test
  void theSameIdentifierAlwaysResolvesToTheSameCustomer() {
    long first = lead(lms.send(acme.create(Commands.lead("Tom.Sawyer@Example.com")))).getUserId();
    long again = lead(lms.send(acme.create(Commands.lead("  tom.sawyer@example.COM ")))).getUserId();
    long other = lead(lms.send(acme.create(Commands.lead("huck@example.com")))).getUserId();
    long mobile = lead(lms.send(acme.create(Commands.lead(null).setIdType("MOBILE").setIdentifier("+91 98450-12345")))).getUserId();
    long sameMobile = lead(lms.send(acme.create(Commands.lead(null).setIdType("mobile").setIdentifier("919845012345")))).getUserId();

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(sameMobile).isEqualTo(mobile);
    assertThat(List.of(first, other, mobile)).doesNotHaveDuplicates();
    assertThat(lms.drainEventTypes()).filteredOn("CustomerRegistered"::equals).hasSize(3);
  }

  @Test
  void aKnownUserIdIsAcceptedAndAnUnknownOneIsNot() {
    long userId = lead(lms.send(acme.create(Commands.lead("a@example.com")))).getUserId();

    LeadState byUserId = lead(lms.send(acme.create(CreateLead.newBuilder().setLeadFor("x").setUserId(userId))));
    CommandResult unknown = lms.send(acme.create(CreateLead.newBuilder().setLeadFor("x").setUserId(999L)));

    assertThat(byUserId.getUserId()).isEqualTo(userId);
    assertThat(codes(unknown)).containsExactly(92008);
  }

  @Test
  void theCustomersOfAnOrgAreExactlyTheOnesItRegistered() {
    lms.send(acme.create(Commands.lead("a@example.com")));
    long last = lead(lms.send(acme.create(Commands.lead("b@example.com")))).getUserId();
    Commands globex = new Commands("globex");
    lms.send(globex.create(Commands.lead("g@example.com")));

    for (long userId : List.of(1L, last)) {
      assertThat(lms.send(acme.create(CreateLead.newBuilder().setLeadFor("x").setUserId(userId))).getOutcome())
          .as("acme's customer %d", userId).isInstanceOf(Accepted.class);
    }
    for (long userId : List.of(0L, -1L, last + 1, Long.MAX_VALUE)) {
      assertThat(codes(lms.send(acme.create(CreateLead.newBuilder().setLeadFor("x").setUserId(userId)))))
          .as("userId %d", userId).containsExactly(92008);
    }
    assertThat(codes(lms.send(globex.create(CreateLead.newBuilder().setLeadFor("x").setUserId(last)))))
        .as("another org's customer").containsExactly(92008);
  }

  @Test
  void aRepeatedCommandIdYieldsTheFirstResultAndChangesNothing() {
    LeadCommand create = acme.create(Commands.lead("a@example.com"));
    CommandResult first = lms.send(create);
    lms.drainEvents();
    lms.leads.readValuesToList();

    LeadCommand retry = LeadCommand.newBuilder(create).setIssuedAt(create.getIssuedAt().plusSeconds(60)).build();
    CommandResult second = lms.send(retry);

    assertThat(second).isEqualTo(first);
    assertThat(lms.drainEvents()).isEmpty();
    assertThat(lms.leads.isEmpty()).isTrue();
    assertThat(lms.storedLead("acme", 2)).isNull();
    assertThat(lead(lms.send(acme.create(Commands.lead("b@example.com")))).getId()).isEqualTo(2L);
  }

  @Test
  void aCommandStampedLongAgoIsRememberedAndItsOutputsCarryTheTimeItWasApplied() {
    lms.send(acme.create(Commands.lead("a@example.com")));
    lms.drainEvents();
    // An import of an old lead: its record timestamp lies far outside the idempotency window.
    LeadCommand old = LeadCommand.newBuilder(acme.create(Commands.lead("b@example.com")))
        .setIssuedAt(TopologyFixture.START.minus(Duration.ofDays(400))).build();

    CommandResult first = lms.send(old);
    List<Long> eventTimes = lms.events.readRecordsToList().stream().map(TestRecord::timestamp).toList();
    CommandResult retry = lms.send(old);

    assertThat(eventTimes).containsOnly(TopologyFixture.START.toEpochMilli());
    assertThat(retry).isEqualTo(first);
    assertThat(lms.storedLead("acme", 3)).isNull();
  }

  @Test
  void aRejectedCommandRepeatedIsRejectedTheSameWay() {
    LeadCommand bad = acme.status(42, "WON", 1L, null);
    CommandResult first = lms.send(bad);
    CommandResult second = lms.send(bad);
    assertThat(codes(first)).containsExactly(92001);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void eachOrgHasItsOwnSequences() {
    Commands globex = new Commands("globex");
    LeadState acmeLead = lead(lms.send(acme.create(Commands.lead("a@example.com"))));
    LeadState globexLead = lead(lms.send(globex.create(Commands.lead("a@example.com"))));
    LeadState acmeSecond = lead(lms.send(acme.create(Commands.lead("b@example.com"))));

    assertThat(acmeLead.getId()).isEqualTo(1L);
    assertThat(globexLead.getId()).isEqualTo(1L);
    assertThat(globexLead.getUserId()).isEqualTo(1L);
    assertThat(acmeSecond.getId()).isEqualTo(2L);
    assertThat(lms.storedLead("globex", 1).getOrgId()).isEqualTo("globex");
  }

  @Test
  void commandsOfOneOrgApplyInOrder() {
    lms.send(acme.reasons("r"));
    long id = lead(lms.send(acme.create(Commands.lead("a@example.com")))).getId();
    lms.drainEvents();
    for (String status : List.of("ON_HOLD", "OPEN", "LOST", "ON_HOLD", "WON")) {
      LeadCommand change = acme.status(id, status, 1L, null);
      lms.commands.pipeInput("acme", change, change.getIssuedAt());
    }

    assertThat(lms.results.readValuesToList()).allSatisfy(r -> assertThat(r.getOutcome()).isInstanceOf(Accepted.class));
    assertThat(lms.drainEvents()).extracting(e -> ((io.lms.schema.StatusChanged) e.getPayload()).getEntry().getStatus())
        .containsExactly(LeadStatus.ON_HOLD, LeadStatus.OPEN, LeadStatus.LOST, LeadStatus.ON_HOLD, LeadStatus.WON);
    assertThat(lms.storedLead("acme", id).getStatusLogDetails()).extracting(StatusLogEntry::getId)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }
}
