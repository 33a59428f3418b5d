package io.lms.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.Rejected;
import io.lms.topology.Commands;
import io.lms.topology.TopologyFixture;
import io.lms.topology.TopologySettings;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommittedLeadsTest {
  private final TopologyFixture lms = new TopologyFixture(TopologySettings.defaults());
  private final Commands acme = new Commands("acme");
  private final CommittedLeads committed = new CommittedLeads();

  @AfterEach
  void close() {
    lms.close();
  }

  @Test
  void knowsEveryLeadUpToTheHighestIdAnOrgsResultsNamed() {
    for (int i = 0; i < 3; i++) {
      committed.observe(lms.send(acme.create(Commands.lead("c" + i + "@example.com"))));
    }
    // A result naming an older lead (an update of lead 1) does not lower the mark.
    CommandResult update = lms.send(acme.update(1, Map.of("trial_status", "Done"), null));
    assertThat(update.getOutcome()).isInstanceOf(Accepted.class);
    committed.observe(update);

    assertThat(committed.exists("acme", 1)).isTrue();
    assertThat(committed.exists("acme", 3)).isTrue();
    assertThat(committed.exists("acme", 4)).isFalse();
    assertThat(committed.exists("acme", 0)).isFalse();
    assertThat(committed.exists("acme", -1)).isFalse();
    assertThat(committed.exists("globex", 1)).isFalse();
  }

  @Test
  void aRejectionNamesNoLead() {
    CommandResult rejected = lms.send(acme.update(7, Map.of("trial_status", "Done"), null));
    assertThat(rejected.getOutcome()).isInstanceOf(Rejected.class);
    committed.observe(rejected);

    assertThat(committed.exists("acme", 7)).isFalse();
    assertThat(committed.exists("acme", 1)).isFalse();
  }

  @Test
  void aLeadIsSettledOnlyOnceItWasCommittedAGraceAgo() {
    AtomicLong now = new AtomicLong();
    CommittedLeads clocked = new CommittedLeads(now::get);
    long grace = CommittedLeads.GRACE.toNanos();
    clocked.observe(lms.send(acme.create(Commands.lead("a@example.com"))));
    assertThat(clocked.exists("acme", 1)).isTrue();
    assertThat(clocked.settled("acme", 1)).as("just committed").isFalse();

    now.addAndGet(grace / 2);
    clocked.observe(lms.send(acme.create(Commands.lead("b@example.com"))));
    now.addAndGet(grace / 2);
    assertThat(clocked.settled("acme", 1)).as("a grace after").isTrue();
    assertThat(clocked.settled("acme", 2)).as("half a grace after").isFalse();

    // Under steady load lead 2 settles within two graces of its commit.
    now.addAndGet(grace);
    clocked.observe(lms.send(acme.create(Commands.lead("c@example.com"))));
    now.addAndGet(grace);
    assertThat(clocked.settled("acme", 2)).isTrue();
    assertThat(clocked.settled("acme", 3)).isTrue();
    assertThat(clocked.settled("acme", 4)).isFalse();
    assertThat(clocked.settled("globex", 1)).isFalse();
  }
}
