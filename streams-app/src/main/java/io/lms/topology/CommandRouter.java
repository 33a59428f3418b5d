package io.lms.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a command be applied only in its org's task. A command that arrived on its org's partition
 * goes on to the command processor; one that arrived elsewhere is moved: written to its org's
 * partition of the command topic, in the transaction that consumes it here, so that it is applied
 * once, there, after what was already queued for the org. Applying it where it landed would meet an
 * empty copy of the org: lead ids handed out twice, {@code lms.leads} overwritten, state split.
 *
 * <p>Commands land elsewhere when their producer partitions by something other than Kafka's
 * murmur2 of the org key: librdkafka's default (kcat, confluent-kafka for Python, Go and .NET,
 * node-rdkafka) is CRC32. Each move is counted ({@code commands-moved-total} in the group
 * {@code stream-lms-task-metrics}, on {@code /metrics}) and logged at most once a minute per
 * partition, with the fix.
 *
 * <p>The org is the command's own {@code orgId}, not the record key: a key that disagrees is the
 * command processor's to reject (93007), and it does so in the org's task, where the rejection is
 * remembered for the commandId like any other.
 */
final class CommandRouter implements Processor<String, ReceivedCommand, String, ReceivedCommand> {
  /** Set on a moved command: the partition and offset it arrived at first. */
  static final String MOVED_FROM_HEADER = "lms.moved-from";

  private static final Logger log = LoggerFactory.getLogger(CommandRouter.class);

  private final OrgPartitions partitions;
  private final DrainedInput drainedInput;
  private ProcessorContext<String, ReceivedCommand> context;
  private int partition;
  private Sensor moved;
  private MovedCommandsWarning warning;

  CommandRouter(OrgPartitions partitions, DrainedInput drainedInput) {
    this.partitions = partitions;
    this.drainedInput = drainedInput;
  }

  @Override
  public void init(ProcessorContext<String, ReceivedCommand> context) {
    this.context = context;
    // One source topic: the task's partition is the partition of every command it reads.
    this.partition = context.taskId().partition();
    if (partition >= partitions.count()) {
      throw new CommandPartitionsChangedException(String.format(
          "Task %s reads partition %d of the command topic, which had %d partitions when this instance"
              + " started: partitions were added, and orgs would move away from their state. LMS stops"
              + " processing (see the README, \"For upstream producers\").",
          context.taskId(), partition, partitions.count()));
    }
    this.warning = new MovedCommandsWarning(partition);
    this.moved = context.metrics().addRateTotalSensor(
        "lms-task", context.taskId().toString(), "commands-moved", Sensor.RecordingLevel.INFO);
  }

  @Override
  public void process(Record<String, ReceivedCommand> record) {
    route(record);
    // The last command of a burst, applied here or moved, commits at once, not at the interval.
    context.recordMetadata()
        .filter(source -> drainedInput.commitAfter(source.topic(), source.partition(), source.offset()))
        .ifPresent(source -> context.commit());
  }

  private void route(Record<String, ReceivedCommand> record) {
    String org = record.value().orgId();
    int home = partitions.of(org);
    if (home == partition) {
      context.forward(record, TopologyNames.COMMAND_PROCESSOR);
      return;
    }
    if (record.headers().lastHeader(MOVED_FROM_HEADER) != null) {
      // Moved once already, and still not at its org's partition: two instances disagree on the
      // partitions. Never applied here, never moved round in a circle: the dead-letter topic.
      throw new IllegalStateException("Command " + record.value().commandId() + " of org " + org + " was moved to"
          + " partition " + partition + ", and the org's partition is " + home + ": not moved again");
    }
    String from = partition + ":" + context.recordMetadata().map(m -> Long.toString(m.offset())).orElse("?");
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(MOVED_FROM_HEADER, from.getBytes(StandardCharsets.UTF_8));
    context.forward(record.withHeaders(headers), TopologyNames.COMMANDS_REROUTE_SINK);
    moved.record();
    warning.moved(org, home, context.currentSystemTimeMs()).ifPresent(log::warn);
  }

  @Override
  public void close() {
    if (moved != null) {
      context.metrics().removeSensor(moved);
    }
  }
}
