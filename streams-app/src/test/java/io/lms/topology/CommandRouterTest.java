package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.ConfigureReasons;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The router alone, in the task of one partition of a 6-partition command topic. */
class CommandRouterTest {
  static final int PARTITIONS = 6;
  static final OrgPartitions ORG_PARTITIONS = new OrgPartitions(PARTITIONS);
  static final String ORG = "acme";
  static final int HOME = ORG_PARTITIONS.of(ORG);
  static final int ELSEWHERE = (HOME + 1) % PARTITIONS;

  private MockProcessorContext<String, ReceivedCommand> context;
  /** The offset after which the task's partition counts as drained. */
  private long lastOffset = Long.MAX_VALUE;
  private final CommandRouter router = new CommandRouter(ORG_PARTITIONS,
      (topic, partition, offset) -> topic.equals("lms.lead-commands") && partition == context.taskId().partition()
          && offset == lastOffset);

  static MockProcessorContext<String, ReceivedCommand> contextOfTask(int partition) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lms-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return new MockProcessorContext<>(props, new TaskId(0, partition), null);
  }

  private void givenTheTaskOf(int partition) {
    context = contextOfTask(partition);
    context.setRecordMetadata("lms.lead-commands", partition, 42L);
    context.setCurrentSystemTimeMs(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli());
    router.init(context);
  }

  static Record<String, ReceivedCommand> command(String key, String org) {
    var command = new LeadCommand("c1", org, 7L, Instant.parse("2026-11-27T10:00:00Z"), new ConfigureReasons(List.of("x")));
    byte[] bytes = SingleObjectCodec.of(LeadCommand.class).encode(command);
    return new Record<>(key, new ReceivedCommand.Avro(command, bytes), 0L, new RecordHeaders());
  }

  private double movedTotal() {
    return context.metrics().metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("commands-moved-total"))
        .map(e -> (Double) e.getValue().metricValue())
        .findFirst().orElseThrow();
  }

  @Test
  void aCommandOnItsOrgsPartitionGoesOnToTheCommandProcessor() {
    givenTheTaskOf(HOME);

    router.process(command(ORG, ORG));

    assertThat(context.forwarded()).singleElement().satisfies(f ->
        assertThat(f.childName()).contains(TopologyNames.COMMAND_PROCESSOR));
    assertThat(movedTotal()).isZero();
  }

  @Test
  void aCommitIsAskedForAfterTheCommandThatDrainedThePartitionAppliedHereOrMoved() {
    givenTheTaskOf(HOME);
    router.process(command(ORG, ORG));
    assertThat(context.committed()).isFalse();

    lastOffset = 42L;
    router.process(command(ORG, ORG));
    assertThat(context.committed()).isTrue();

    givenTheTaskOf(ELSEWHERE);
    router.process(command(ORG, ORG));
    assertThat(context.committed()).isTrue();
  }

  @Test
  void aCommandOnAnotherPartitionIsMovedUnchangedAndCounted() {
    givenTheTaskOf(ELSEWHERE);
    Record<String, ReceivedCommand> record = command(ORG, ORG);

    router.process(record);

    CapturedForward<? extends String, ? extends ReceivedCommand> moved = context.forwarded().get(0);
    assertThat(context.forwarded()).hasSize(1);
    assertThat(moved.childName()).contains(TopologyNames.COMMANDS_REROUTE_SINK);
    assertThat(moved.record().value().bytes()).isSameAs(record.value().bytes());
    assertThat(moved.record().key()).isEqualTo(ORG);
    assertThat(new String(moved.record().headers().lastHeader(CommandRouter.MOVED_FROM_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo(ELSEWHERE + ":42");
    assertThat(ORG_PARTITIONS.partitions("lms.lead-commands", moved.record().key(), moved.record().value(), PARTITIONS))
        .as("where the sink sends it").contains(java.util.Set.of(HOME));
    assertThat(record.headers().lastHeader(CommandRouter.MOVED_FROM_HEADER)).as("the received record unchanged").isNull();
    assertThat(movedTotal()).isEqualTo(1.0);
  }

  @Test
  void theOrgOfTheCommandNotTheKeyDecidesSoThatItsTaskRejectsAWrongKey() {
    String otherKey = "globex";
    int keysPartition = ORG_PARTITIONS.of(otherKey);
    givenTheTaskOf(keysPartition);

    router.process(command(otherKey, ORG));

    String expected = keysPartition == HOME ? TopologyNames.COMMAND_PROCESSOR : TopologyNames.COMMANDS_REROUTE_SINK;
    assertThat(context.forwarded()).singleElement().satisfies(f -> assertThat(f.childName()).contains(expected));
  }

  @Test
  void aCommandMovedOnceAndStillElsewhereIsNeverMovedAgain() {
    givenTheTaskOf(ELSEWHERE);
    Record<String, ReceivedCommand> record = command(ORG, ORG);
    record.headers().add(CommandRouter.MOVED_FROM_HEADER, "5:7".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> router.process(record)).hasMessageContaining("not moved again");
    assertThat(context.forwarded()).isEmpty();
  }

  @Test
  void aTaskOfAPartitionBeyondTheCountItStartedWithRefusesToStart() {
    var beyond = contextOfTask(PARTITIONS);

    assertThatThrownBy(() -> router.init(beyond)).isInstanceOf(CommandPartitionsChangedException.class)
        .hasMessageContaining("partitions were added");
  }

  @Test
  void closingRemovesTheCounter() {
    givenTheTaskOf(HOME);

    router.close();

    assertThat(context.metrics().metrics().keySet()).extracting(MetricName::name).doesNotContain("commands-moved-total");
  }
}
