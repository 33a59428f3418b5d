package io.lms.topology;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics LMS reads and writes. Every key is a string that starts with the org: the org alone
 * on the command, event and result streams (so one org is totally ordered in one partition), and
 * {@code org:id} on the compacted tables.
 */
public record LmsTopics(
    TopicSpec<String, LeadCommand> commands,
    TopicSpec<String, LeadEvent> events,
    TopicSpec<String, LeadState> leads,
    TopicSpec<String, CommandResult> results,
    TopicSpec<String, Reason> reasons,
    TopicSpec<String, SubStatus> subStatuses,
    String deadLetter) {

  public static final String DEFAULT_PREFIX = "lms.";

  public static LmsTopics withPrefix(String prefix) {
    return new LmsTopics(
        new TopicSpec<>(prefix + "lead-commands", Serdes.String(), AvroSerde.rejectingNulls(LeadCommand.class)),
        new TopicSpec<>(prefix + "lead-events", Serdes.String(), AvroSerde.reusingLastEncoding(LeadEvent.class)),
        new TopicSpec<>(prefix + "leads", Serdes.String(), AvroSerde.reusingLastEncoding(LeadState.class)),
        new TopicSpec<>(prefix + "command-results", Serdes.String(), AvroSerde.reusingLastEncoding(CommandResult.class)),
        new TopicSpec<>(prefix + "reasons", Serdes.String(), new AvroSerde<>(Reason.class)),
        new TopicSpec<>(prefix + "substatuses", Serdes.String(), new AvroSerde<>(SubStatus.class)),
        prefix + "lead-commands-dlq");
  }

  public static LmsTopics defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  /** Streams keyed by org: appended to, never compacted. */
  public List<String> streamTopics() {
    return List.of(commands.name(), events.name(), results.name(), deadLetter);
  }

  /** Latest-value tables: compacted. */
  public List<String> tableTopics() {
    return List.of(leads.name(), reasons.name(), subStatuses.name());
  }
}
