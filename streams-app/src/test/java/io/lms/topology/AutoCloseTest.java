package io.lms.topology;

import static io.lms.topology.LeadCommandTopologyTest.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.domain.CommandHandler;
import io.lms.schema.AutoClosed;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.StatusLogEntry;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoCloseTest {
  // The driver's wall clock starts at 2026-11-27T10:00Z; leads are closed a day after their missed follow-up.
  private final TopologyFixture lms = new TopologyFixture(new TopologySettings(
      ZoneId.of("UTC"), true, Optional.of(Duration.ofDays(1)), Duration.ofMinutes(1), Duration.ofDays(7), 1));
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  private long leadDue(String email, String nextFollowUp) {
    long id = lead(lms.send(acme.create(Commands.lead(email).setNextFollowUp(nextFollowUp)))).getId();
    lms.drainEvents();
    lms.leads.readValuesToList();
    return id;
  }

  @Test
  void closesActiveLeadsWhoseFollowUpIsOverdueWithTheAutoCloseReason() {
    long overdue = leadDue("a@example.com", "2026-11-25T09:00:00+05:30");
    long recent = leadDue("b@example.com", "2026-11-27T09:00:00Z");
    long noFollowUp = lead(lms.send(acme.create(Commands.lead("c@example.com")))).getId();
    lms.drainEvents();
    lms.leads.readValuesToList();

    lms.driver.advanceWallClockTime(Duration.ofMinutes(1));

    LeadState closed = lms.storedLead("acme", overdue);
    assertThat(closed.getStatus()).isEqualTo(LeadStatus.LOST);
    StatusLogEntry entry = closed.getStatusLogDetails().get(closed.getStatusLogDetails().size() - 1);
    assertThat(entry.getReason()).isEqualTo(CommandHandler.AUTO_CLOSE_REASON);
    assertThat(entry.getCreatedBy()).isEqualTo(-1L);
    assertThat(entry.getCreatedOn()).isEqualTo("2026-11-27T10:01:00Z");
    assertThat(lms.storedLead("acme", recent).getStatus()).isEqualTo(LeadStatus.OPEN);
    assertThat(lms.storedLead("acme", noFollowUp).getStatus()).isEqualTo(LeadStatus.OPEN);

    List<LeadEvent> events = lms.drainEvents();
    assertThat(events).extracting(e -> e.getPayload().getClass().getSimpleName()).containsExactly("ReasonsConfigured", "AutoClosed");
    assertThat(((AutoClosed) events.get(1).getPayload()).getOverdueSince()).isEqualTo("2026-11-25T09:00:00+05:30");
    assertThat(lms.leads.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("acme:" + overdue);
    assertThat(lms.reasons.readValuesToList()).singleElement()
        .satisfies(r -> assertThat(r.getReason()).isEqualTo("AUTO_CLOSE"));
  }

  @Test
  void reusesTheOrgsAutoCloseReasonAndClosesEachLeadOnce() {
    long first = leadDue("a@example.com", "2026-11-20T00:00:00Z");
    lms.driver.advanceWallClockTime(Duration.ofMinutes(1));
    long second = leadDue("b@example.com", "2026-11-21T00:00:00Z");
    lms.drainEvents();

    lms.driver.advanceWallClockTime(Duration.ofMinutes(1));
    lms.driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(lms.drainEvents()).extracting(e -> e.getPayload().getClass().getSimpleName()).containsExactly("AutoClosed");
    assertThat(lms.storedLead("acme", first).getStatusLogDetails().get(0).getReasonId())
        .isEqualTo(lms.storedLead("acme", second).getStatusLogDetails().get(0).getReasonId());
  }

  @Test
  void aFollowUpThatReschedulesKeepsTheLeadOpen() {
    long id = leadDue("a@example.com", "2026-11-20T00:00:00Z");
    lms.send(acme.followUp(id, "2026-11-26T00:00:00Z", "2026-12-01T00:00:00Z"));
    lms.drainEvents();

    lms.driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(lms.storedLead("acme", id).getStatus()).isEqualTo(LeadStatus.OPEN);
    assertThat(lms.drainEvents()).isEmpty();
  }

  @Test
  void isOffByDefault() {
    try (TopologyFixture defaults = new TopologyFixture()) {
      LeadState lead = lead(defaults.send(acme.create(Commands.lead("a@example.com").setNextFollowUp("2020-01-01T00:00:00Z"))));
      defaults.drainEvents();
      defaults.driver.advanceWallClockTime(Duration.ofDays(1));
      assertThat(defaults.storedLead("acme", lead.getId()).getStatus()).isEqualTo(LeadStatus.OPEN);
      assertThat(defaults.drainEvents()).isEmpty();
    }
  }
}
