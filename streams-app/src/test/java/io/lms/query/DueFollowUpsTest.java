package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadState;
import io.lms.topology.Commands;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DueFollowUpsTest {
  private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");

  private final ReaderFixture lms = new ReaderFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  private long leadDue(String nextFollowUp, String owner) {
    return lms.create(acme, Commands.lead("customer@example.com").setNextFollowUp(nextFollowUp).setOwner(owner));
  }

  private List<Long> due(String from, String to, Optional<String> owner, int offset, int limit) {
    List<LeadState> leads = ReaderFixture.found(lms.reader.dueFollowUps("acme",
        new DueFollowUps(Instant.parse(from), Instant.parse(to), owner, offset, limit)));
    return leads.stream().map(LeadState::getId).toList();
  }

  private List<Long> dueOnTheDay() {
    return due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.empty(), 0, 100);
  }

  @Test
  void listsTheLeadsDueInTheWindowEarliestFirst() {
    long nine = leadDue("2026-12-01T09:00:00Z", null);
    long eleven = leadDue("2026-12-01T11:00:00Z", null);
    long tenInIndia = leadDue("2026-12-01T15:30:00+05:30", null); // 10:00Z
    long noon = leadDue("2026-12-01T12:00:00Z", null);
    lms.create(acme, Commands.lead("nothing-due@example.com"));
    leadDue("2026-12-03T10:00:00Z", null);

    assertThat(dueOnTheDay()).containsExactly(nine, tenInIndia, eleven, noon);
    // from is included, to is not
    assertThat(due("2026-12-01T10:00:00Z", "2026-12-01T12:00:00Z", Optional.empty(), 0, 100))
        .containsExactly(tenInIndia, eleven);
  }

  @Test
  void pagesWithOffsetAndLimit() {
    long first = leadDue("2026-12-01T09:00:00Z", null);
    long second = leadDue("2026-12-01T10:00:00Z", null);
    long third = leadDue("2026-12-01T11:00:00Z", null);

    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.empty(), 0, 2)).containsExactly(first, second);
    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.empty(), 1, 1)).containsExactly(second);
    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.empty(), 2, 5)).containsExactly(third);
    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.empty(), 3, 5)).isEmpty();
  }

  @Test
  void listsOnlyOneOwnersLeadsWhenAsked() {
    long ann9 = leadDue("2026-12-01T09:00:00Z", "ann");
    leadDue("2026-12-01T10:00:00Z", "bob");
    long ann11 = leadDue("2026-12-01T11:00:00Z", "ann");
    long unowned = leadDue("2026-12-01T12:00:00Z", null);
    long annLater = leadDue("2026-12-01T13:00:00Z", null);
    lms.accept(acme.update(annLater, null, "ann"));

    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.of("ann"), 0, 100))
        .containsExactly(ann9, ann11, annLater);
    // the offset counts the owner's leads only
    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.of("ann"), 1, 1)).containsExactly(ann11);
    assertThat(due("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", Optional.of("carol"), 0, 100)).isEmpty();
    assertThat(dueOnTheDay()).contains(unowned);
  }

  @Test
  void followsRescheduledFollowUpsAndClosedLeads() {
    lms.accept(acme.reasons("Bought elsewhere"));
    long moved = leadDue("2026-12-01T09:00:00Z", null);
    long won = leadDue("2026-12-01T10:00:00Z", null);
    long onHold = leadDue("2026-12-01T11:00:00Z", null);
    long done = leadDue("2026-12-01T12:00:00Z", null);

    lms.accept(acme.followUp(moved, "2026-11-30T09:00:00Z", "2026-12-01T23:00:00Z"));
    lms.accept(acme.status(won, "WON", 1L, null));
    lms.accept(acme.status(onHold, "ON_HOLD", 1L, null));
    lms.accept(acme.followUp(done, "2026-11-30T09:00:00Z", null));

    assertThat(dueOnTheDay()).containsExactly(onHold, moved);
  }

  @Test
  void anOrgWithNothingDueAnswersAnEmptyList() {
    leadDue("2026-12-01T09:00:00Z", null);

    assertThat(ReaderFixture.found(lms.reader.dueFollowUps("globex",
        new DueFollowUps(DAY, DAY.plusSeconds(86_400), Optional.empty(), 0, 10)))).isEmpty();
  }

  @Test
  void aFollowUpBeyondWhatMillisecondsExpressIsKeptAndSortsLast() {
    long nine = leadDue("2026-12-01T09:00:00Z", null);
    long farAway = leadDue("+999999999-12-31T23:59:59Z", null);
    long ten = leadDue("2026-12-01T10:00:00Z", null);

    assertThat(farAway).isPositive();
    // Its key saturates at the largest millisecond, which no window's end lies beyond.
    assertThat(ReaderFixture.found(lms.reader.dueFollowUps("acme",
        new DueFollowUps(Instant.MIN, Instant.MAX, Optional.empty(), 0, 10))))
        .extracting(LeadState::getId).containsExactly(nine, ten);
  }
}
