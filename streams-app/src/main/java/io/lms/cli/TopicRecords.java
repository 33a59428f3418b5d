package io.lms.cli;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;

/**
 * Which Avro type each LMS topic holds, so a tool can decode any of them by name. The dead-letter
 * topic holds whatever bytes were refused: they are tried as a command, the type they were meant
 * to be.
 */
final class TopicRecords {
  private final String prefix;
  private final Map<String, Function<byte[], ? extends IndexedRecord>> decoders = new LinkedHashMap<>();

  TopicRecords(String prefix, LmsTopics topics) {
    this.prefix = prefix;
    var commands = SingleObjectCodec.of(LeadCommand.class);
    decoders.put(topics.events().name(), SingleObjectCodec.of(LeadEvent.class)::decode);
    decoders.put(topics.commands().name(), commands::decode);
    decoders.put(topics.results().name(), SingleObjectCodec.of(CommandResult.class)::decode);
    decoders.put(topics.leads().name(), SingleObjectCodec.of(LeadState.class)::decode);
    decoders.put(topics.reasons().name(), SingleObjectCodec.of(Reason.class)::decode);
    decoders.put(topics.subStatuses().name(), SingleObjectCodec.of(SubStatus.class)::decode);
    decoders.put(topics.deadLetter(), commands::decode);
  }

  /** The full topic name for a full or short name ({@code lead-events} or {@code lms.lead-events}). */
  Optional<String> topicNamed(String name) {
    if (decoders.containsKey(name)) {
      return Optional.of(name);
    }
    return decoders.containsKey(prefix + name) ? Optional.of(prefix + name) : Optional.empty();
  }

  /** The short names, for messages: {@code lead-events, lead-commands, ...}. */
  String shortNames() {
    return String.join(", ", decoders.keySet().stream().map(n -> n.substring(prefix.length())).toList());
  }

  /** Decodes a value of {@code topic}; throws {@link RuntimeException} when the bytes are not one. */
  IndexedRecord decode(String topic, byte[] value) {
    return decoders.get(topic).apply(value);
  }
}
