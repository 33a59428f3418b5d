package io.lms.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which partition of {@code lms.lead-commands} is an org's: the one Kafka's Java producer picks for
 * the org as the record key, murmur2 of its UTF-8 bytes (as {@code BuiltInPartitioner} computes it).
 * The org's state lives in the task of that partition. As the partitioner of the sink that moves a
 * command, it sends the command there.
 *
 * <p>Counted against the partitions the state was built for, not those the producer sees now:
 * should the topic grow while LMS runs, a moved command still goes to the task that holds its org
 * until Kafka Streams stops on the grown topic (see the README, "For upstream producers").
 */
final class OrgPartitions implements StreamPartitioner<String, ReceivedCommand> {
  private final int count;

  OrgPartitions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive");
    }
    this.count = count;
  }

  int count() {
    return count;
  }

  /** The org's partition. */
  int of(String org) {
    return Utils.toPositive(Utils.murmur2(org.getBytes(StandardCharsets.UTF_8))) % count;
  }

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, ReceivedCommand command, int numPartitions) {
    return Optional.of(Set.of(of(command.orgId())));
  }
}
