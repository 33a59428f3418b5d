package io.lms.topology;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.schema.codec.ConfluentCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics LMS reads and writes. Every key is a string that starts with the org: the org alone
 * on the command, event and result streams (so one org is totally ordered in one partition), and
 * {@code org:id} on the compacted tables.
 *
 * <p>Values are Avro single-object encoding, or, with a schema registry ({@link #inConfluentFraming}),
 * Confluent's framing. {@code writerSchemas} resolves the schema ids of Confluent-framed values:
 * the registry, or {@link ConfluentCodec#NO_REGISTRY}.
 */
public record LmsTopics(
    TopicSpec<String, LeadCommand> commands,
    TopicSpec<String, LeadEvent> events,
    TopicSpec<String, LeadState> leads,
    TopicSpec<String, CommandResult> results,
    TopicSpec<String, Reason> reasons,
    TopicSpec<String, SubStatus> subStatuses,
    String deadLetter,
    ConfluentCodec.WriterSchemas writerSchemas) {

  public static final String DEFAULT_PREFIX = "lms.";

  public static LmsTopics withPrefix(String prefix) {
    return new LmsTopics(
        new TopicSpec<>(prefix + "lead-commands", Serdes.String(), AvroSerde.rejectingNulls(LeadCommand.class)),
        new TopicSpec<>(prefix + "lead-events", Serdes.String(), AvroSerde.reusingLastEncoding(LeadEvent.class)),
        new TopicSpec<>(prefix + "leads", Serdes.String(), AvroSerde.reusingLastEncoding(LeadState.class)),
        new TopicSpec<>(prefix + "command-results", Serdes.String(), AvroSerde.reusingLastEncoding(CommandResult.class)),
        new TopicSpec<>(prefix + "reasons", Serdes.String(), new AvroSerde<>(Reason.class)),
        new TopicSpec<>(prefix + "substatuses", Serdes.String(), new AvroSerde<>(SubStatus.class)),
        prefix + "lead-commands-dlq",
        ConfluentCodec.NO_REGISTRY);
  }

  public static LmsTopics defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  /** The Avro schema of each topic's values, by topic: every topic but the dead-letter one, which holds raw bytes. */
  public Map<String, Schema> valueSchemas() {
    Map<String, Schema> schemas = new LinkedHashMap<>();
    schemas.put(commands.name(), LeadCommand.getClassSchema());
    schemas.put(events.name(), LeadEvent.getClassSchema());
    schemas.put(leads.name(), LeadState.getClassSchema());
    schemas.put(results.name(), CommandResult.getClassSchema());
    schemas.put(reasons.name(), Reason.getClassSchema());
    schemas.put(subStatuses.name(), SubStatus.getClassSchema());
    return schemas;
  }

  /**
   * These topics with a schema registry: every value LMS writes is in Confluent's framing, with the
   * id the registry gave its schema; Confluent-framed values are read through {@code registry}
   * (commands included); single-object encoding is still read. The dead-letter topic keeps the
   * bytes as they came.
   *
   * @param schemaIds the id of each topic's value schema, by topic (see {@link #valueSchemas})
   */
  public LmsTopics inConfluentFraming(Map<String, Integer> schemaIds, ConfluentCodec.WriterSchemas registry) {
    for (String topic : valueSchemas().keySet()) {
      if (!schemaIds.containsKey(topic)) {
        throw new IllegalArgumentException("No schema id for " + topic);
      }
    }
    return framed(schemaIds, registry);
  }

  /**
   * These topics for a client that registers nothing (the operator tools): Confluent-framed values
   * are read through {@code registry}, single-object encoding too, and values are written in
   * single-object encoding as without a registry.
   */
  public LmsTopics readingThrough(ConfluentCodec.WriterSchemas registry) {
    return framed(Map.of(), registry);
  }

  private LmsTopics framed(Map<String, Integer> schemaIds, ConfluentCodec.WriterSchemas registry) {
    return new LmsTopics(
        framed(commands, LeadCommand.class, schemaIds, registry),
        framed(events, LeadEvent.class, schemaIds, registry),
        framed(leads, LeadState.class, schemaIds, registry),
        framed(results, CommandResult.class, schemaIds, registry),
        framed(reasons, Reason.class, schemaIds, registry),
        framed(subStatuses, SubStatus.class, schemaIds, registry),
        deadLetter,
        registry);
  }

  private static <T extends SpecificRecord> TopicSpec<String, T> framed(
      TopicSpec<String, T> topic, Class<T> type, Map<String, Integer> schemaIds, ConfluentCodec.WriterSchemas registry) {
    if (topic.valueSerde() instanceof ConfluentFramedSerde) {
      // Its serializer would hand Confluent framing to a reframing meant for single-object encoding.
      throw new IllegalStateException(topic.name() + " is in Confluent's framing already");
    }
    Integer id = schemaIds.get(topic.name());
    return new TopicSpec<>(topic.name(), topic.keySerde(), new ConfluentFramedSerde<>(
        topic.valueSerde(), type, id == null ? OptionalInt.empty() : OptionalInt.of(id), registry));
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
