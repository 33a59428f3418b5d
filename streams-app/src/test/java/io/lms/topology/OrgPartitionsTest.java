package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.command.json.CommandEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class OrgPartitionsTest {
  @Test
  void anOrgsPartitionIsTheOneKafkasJavaProducerPicksForTheOrgAsKey() {
    for (int count : new int[] {1, 2, 6, 12, 100}) {
      OrgPartitions partitions = new OrgPartitions(count);
      IntStream.range(0, 500).mapToObj(i -> "org-" + i).forEach(org ->
          // BuiltInPartitioner is the producer's own code for a keyed record (internal: fine in a test)
          assertThat(partitions.of(org)).as("%s of %d", org, count)
              .isEqualTo(BuiltInPartitioner.partitionForKey(org.getBytes(StandardCharsets.UTF_8), count)));
    }
    assertThat(new OrgPartitions(6).of("ünïcode-org")).isEqualTo(
        BuiltInPartitioner.partitionForKey("ünïcode-org".getBytes(StandardCharsets.UTF_8), 6));
  }

  @Test
  void asASinksPartitionerItSendsACommandToItsOrgsPartitionWhateverItsKey() {
    OrgPartitions partitions = new OrgPartitions(12);
    byte[] json = "{\"commandId\":\"c\",\"org\":\"acme\"}".getBytes(StandardCharsets.UTF_8);
    var command = new ReceivedCommand.Json(CommandEnvelope.parse(json), json);

    assertThat(partitions.partitions("lms.lead-commands", "globex", command, 12))
        .contains(java.util.Set.of(partitions.of("acme")));
  }
}
