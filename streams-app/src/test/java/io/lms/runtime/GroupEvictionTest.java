package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.GroupEviction.Departed;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupEvictionTest {
  private static final String APP = "lms-streams";
  private static final String LIVE = APP + "-0b6f5a8e-1f2d-4c3b-9a7e-5d4c3b2a1f0e";
  private static final String DEAD = APP + "-7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  private static final TopicPartition P0 = new TopicPartition("lms.lead-commands", 0);
  private static final TopicPartition P1 = new TopicPartition("lms.lead-commands", 1);
  private static final TopicPartition P2 = new TopicPartition("lms.lead-commands", 2);

  private static final List<MemberDescription> GROUP = List.of(
      member(LIVE, 1, "10.0.0.1-8080-1", P0),
      member(LIVE, 2, "10.0.0.1-8080-2", P1),
      member(DEAD, 1, "10.0.0.2-8080-1", P2),
      member(DEAD, 3, "10.0.0.2-8080-3")); // a thread with standbys only

  @Test
  void findsEveryThreadOfTheDeadInstanceAndItsProducers() {
    Departed departed = GroupEviction.departed(APP, GROUP, Set.of(P2), ownClients());

    assertThat(departed.groupInstanceIds()).containsExactlyInAnyOrder("10.0.0.2-8080-1", "10.0.0.2-8080-3");
    assertThat(departed.transactionalIds()).containsExactlyInAnyOrder(DEAD + "-1", DEAD + "-3");
  }

  @Test
  void neverItsOwnMembersWhateverTheMetadataSays() {
    // Metadata a rebalance behind: the dead instance's partition is already this instance's.
    Departed departed = GroupEviction.departed(APP, GROUP, Set.of(P0, P2), ownClients());

    assertThat(departed.groupInstanceIds()).doesNotContain("10.0.0.1-8080-1", "10.0.0.1-8080-2");
  }

  @Test
  void nothingWhenNoMemberHoldsThePartitions() {
    assertThat(GroupEviction.departed(APP, GROUP, Set.of(new TopicPartition("lms.lead-commands", 5)), ownClients())
        .isEmpty()).isTrue();
  }

  @Test
  void membersWithAClientIdOfTheirOwnAreRemovedButNoProducerIsGuessed() {
    List<MemberDescription> group = List.of(member("till-service", 1, "b-1", P2), member(LIVE, 1, "a-1", P0));

    Departed departed = GroupEviction.departed(APP, group, Set.of(P2), ownClients());

    assertThat(departed.groupInstanceIds()).containsExactly("b-1");
    assertThat(departed.transactionalIds()).isEmpty();
  }

  private static Set<String> ownClients() {
    return Set.of(LIVE + "-StreamThread-1-consumer", LIVE + "-StreamThread-2-consumer");
  }

  private static MemberDescription member(String client, int thread, String instanceId, TopicPartition... partitions) {
    return new MemberDescription("member-" + instanceId, Optional.of(instanceId),
        client + "-StreamThread-" + thread + "-consumer", "/127.0.0.1", new MemberAssignment(Set.of(partitions)));
  }
}
