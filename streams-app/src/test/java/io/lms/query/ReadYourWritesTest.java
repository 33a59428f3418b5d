package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.topology.Commands;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A write's answer waits until the owner's committed stores show it, and only there. */
class ReadYourWritesTest {
  private final ReaderFixture fixture = new ReaderFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theAnswerWaitsUntilTheStoreShowsTheNewLead() throws Exception {
    CommandResult created = fixture.lms.send(acme.create(Commands.lead("tom@example.com")));
    // The store commits three looks after the result was read.
    AtomicInteger looks = new AtomicInteger();
    LeadReader committedLate = reader((org, id) -> looks.incrementAndGet() <= 3
        ? new QueryResult.NotFound<>() : fixture.reader.lead(org, id));

    try (ReadYourWrites wait = new ReadYourWrites(committedLate)) {
      assertThat(wait.visible(created).get(5, TimeUnit.SECONDS)).isSameAs(created);
    }
    assertThat(looks).hasValue(4);
  }

  @Test
  void anOlderVersionOfTheLeadIsNotYetTheWrite() throws Exception {
    CommandResult created = fixture.lms.send(acme.create(Commands.lead("tom@example.com")));
    LeadState before = ((QueryResult.Found<LeadState>) fixture.reader.lead("acme", 1)).value();
    CommandResult updated = fixture.lms.send(acme.update(1, java.util.Map.of("trial_status", "Done"), "sam"));
    AtomicInteger looks = new AtomicInteger();
    LeadReader stale = reader((org, id) -> looks.incrementAndGet() <= 2
        ? new QueryResult.Found<>(before) : fixture.reader.lead(org, id));

    try (ReadYourWrites wait = new ReadYourWrites(stale)) {
      assertThat(wait.visible(updated).get(5, TimeUnit.SECONDS)).isSameAs(updated);
      assertThat(looks).hasValue(3);
      looks.set(100);
      assertThat(wait.visible(created).get(5, TimeUnit.SECONDS)).as("a later version shows it too").isSameAs(created);
    }
  }

  @Test
  void anOrgOwnedElsewhereIsNotWaitedFor() throws Exception {
    CommandResult created = fixture.lms.send(acme.create(Commands.lead("tom@example.com")));
    AtomicInteger looks = new AtomicInteger();
    LeadReader remote = reader((org, id) -> {
      looks.incrementAndGet();
      return new QueryResult.Elsewhere<>(new HostInfo("other", 8080));
    });
    try (ReadYourWrites wait = new ReadYourWrites(remote)) {
      assertThat(wait.visible(created).get(5, TimeUnit.SECONDS)).isSameAs(created);
    }
    assertThat(looks).hasValue(1);
  }

  @Test
  void aStoreThatNeverShowsItDelaysTheAnswerByTheMaximumOnly() throws Exception {
    CommandResult created = fixture.lms.send(acme.create(Commands.lead("tom@example.com")));
    AtomicInteger looks = new AtomicInteger();
    LeadReader never = reader((org, id) -> {
      looks.incrementAndGet();
      return new QueryResult.Unavailable<>("restoring");
    });
    try (ReadYourWrites wait = new ReadYourWrites(never)) {
      assertThat(wait.visible(created).get(5, TimeUnit.SECONDS)).isSameAs(created);
    }
    assertThat(looks.get()).isGreaterThan(1);
  }

  /** {@code fixture}'s reader, with lead lookups answered by {@code leads}. */
  private LeadReader reader(BiFunction<String, Long, QueryResult<LeadState>> leads) {
    return new LeadReader() {
      @Override
      public QueryResult<LeadState> lead(String orgId, long leadId) {
        return leads.apply(orgId, leadId);
      }

      @Override
      public QueryResult<List<Reason>> reasons(String orgId) {
        return fixture.reader.reasons(orgId);
      }

      @Override
      public QueryResult<List<SubStatus>> subStatuses(String orgId) {
        return fixture.reader.subStatuses(orgId);
      }

      @Override
      public QueryResult<List<LeadState>> search(String orgId, LeadSearch search) {
        return fixture.reader.search(orgId, search);
      }

      @Override
      public QueryResult<List<LeadState>> dueFollowUps(String orgId, DueFollowUps query) {
        return fixture.reader.dueFollowUps(orgId, query);
      }
    };
  }
}
