package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MainConsumersTest {
  static final TopicPartition COMMANDS = new TopicPartition("lms.commands", 3);

  final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  /** Where the leader says the partition ends now; absent: where the consumer's last fetch said. */
  final Map<TopicPartition, Long> leaderEnd = new HashMap<>();
  boolean leaderTimesOut;
  int leaderAsked;
  final MainConsumers clients = new MainConsumers(config -> consumer, (partition, timeout) -> {
    leaderAsked++;
    if (leaderTimesOut) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(leaderEnd.getOrDefault(partition, consumer.endOffsets(List.of(partition)).get(partition)));
  });

  /** What Kafka Streams asks for as the main consumer of the stream thread running this test. */
  void streamThreadConsumerAt(long position, long endOffset) {
    clients.getConsumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, Thread.currentThread().getName() + "-consumer"));
    assign(position, endOffset);
  }

  void assign(long position, long endOffset) {
    consumer.assign(List.of(COMMANDS));
    fetched(position, endOffset);
  }

  /** The consumer's last fetch left it at {@code position} and saw the partition end at {@code endOffset}. */
  void fetched(long position, long endOffset) {
    consumer.seek(COMMANDS, position);
    consumer.updateEndOffsets(Map.of(COMMANDS, endOffset));
  }

  boolean commitAfter(long offset) {
    return clients.commitAfter(COMMANDS.topic(), COMMANDS.partition(), offset);
  }

  @Test
  void commitsAfterTheRecordJustBeforeThePositionWhenNothingIsLeftToFetch() {
    streamThreadConsumerAt(42, 42);
    assertThat(commitAfter(41)).isTrue();
  }

  @Test
  void aCommitMarkerMayFollowTheLastRecord() {
    streamThreadConsumerAt(42, 42);
    assertThat(commitAfter(40)).isTrue();
  }

  @Test
  void notWhileRecordsFetchedEarlierAwaitProcessing() {
    streamThreadConsumerAt(42, 42);
    assertThat(commitAfter(39)).isFalse();
  }

  @Test
  void notWhileThePartitionHasMoreToFetch() {
    streamThreadConsumerAt(42, 50);
    assertThat(commitAfter(41)).isFalse();
  }

  @Test
  void everyRecordThatDrainsThePartitionCommits() {
    streamThreadConsumerAt(42, 42);
    assertThat(commitAfter(41)).isTrue();

    fetched(43, 43);
    assertThat(commitAfter(42)).isTrue();
  }

  @Test
  void neverForAnotherThreadsConsumerOrAPartitionNotAssigned() {
    clients.getConsumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "some-other-thread-consumer"));
    assign(42, 42);
    assertThat(commitAfter(41)).isFalse();

    streamThreadConsumerAt(42, 42);
    assertThat(clients.commitAfter("another-topic", 0, 41)).isFalse();
  }

  @Test
  void restoreAndGlobalConsumersAreNotTakenForMainConsumers() {
    clients.getRestoreConsumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, Thread.currentThread().getName() + "-consumer"));
    clients.getGlobalConsumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, Thread.currentThread().getName() + "-consumer"));
    assign(42, 42);
    assertThat(commitAfter(41)).isFalse();
  }

  @Test
  void commandsThatReachedTheLeaderSinceTheFetchAreTakenBeforeTheCommit() {
    streamThreadConsumerAt(42, 42);
    leaderEnd.put(COMMANDS, 45L);
    assertThat(commitAfter(41)).as("three more commands wait on the leader").isFalse();

    // The next poll brought them; one more reached the leader meanwhile: the leader was asked
    // once since the last commit, so this commit goes ahead and the newcomer waits for the next.
    fetched(45, 45);
    leaderEnd.put(COMMANDS, 46L);
    assertThat(commitAfter(44)).isTrue();
    assertThat(leaderAsked).isEqualTo(1);
  }

  @Test
  void theLeaderIsAskedAgainAfterEachCommit() {
    streamThreadConsumerAt(42, 42);
    assertThat(commitAfter(41)).isTrue();

    fetched(43, 43);
    leaderEnd.put(COMMANDS, 44L);
    assertThat(commitAfter(42)).isFalse();
    assertThat(leaderAsked).isEqualTo(2);
  }

  @Test
  void theLeaderIsNotAskedWhileTheLastFetchAlreadyShowsMore() {
    streamThreadConsumerAt(42, 50);
    assertThat(commitAfter(41)).isFalse();
    assertThat(leaderAsked).isZero();
  }

  @Test
  void aLeaderThatDoesNotAnswerInTimeDoesNotHoldTheCommit() {
    streamThreadConsumerAt(42, 42);
    leaderTimesOut = true;
    assertThat(commitAfter(41)).isTrue();
  }
}
