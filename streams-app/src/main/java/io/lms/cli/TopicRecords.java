package io.lms.cli;

import io.lms.topology.LmsTopics;
import io.lms.topology.TopicSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.generic.IndexedRecord;

/**
 * Which Avro type each LMS topic holds, so a tool can decode any of them by name, in single-object
 * encoding or, through the schema registry the topics were given, Confluent's framing. The
 * dead-letter topic holds whatever bytes were refused: they are tried as a command, the type they
 * were meant to be.
 */
final class TopicRecords {
  private final String prefix;
  private final Map<String, Function<byte[], ? extends IndexedRecord>> decoders = new LinkedHashMap<>();

  TopicRecords(String prefix, LmsTopics topics) {
    this.prefix = prefix;
    decoders.put(topics.events().name(), decoder(topics.events()));
    decoders.put(topics.commands().name(), decoder(topics.commands()));
    decoders.put(topics.results().name(), decoder(topics.results()));
    decoders.put(topics.leads().name(), decoder(topics.leads()));
    decoders.put(topics.reasons().name(), decoder(topics.reasons()));
    decoders.put(topics.subStatuses().name(), decoder(topics.subStatuses()));
    decoders.put(topics.deadLetter(), decoder(topics.commands()));
  }

  private static <T extends IndexedRecord> Function<byte[], T> decoder(TopicSpec<String, T> topic) {
    var deserializer = topic.valueSerde().deserializer();
    return bytes -> deserializer.deserialize(topic.name(), bytes);
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
