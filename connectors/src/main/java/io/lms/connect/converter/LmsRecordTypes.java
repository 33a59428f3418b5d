package io.lms.connect.converter;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadEvent;
import io.lms.schema.LeadState;
import io.lms.schema.Reason;
import io.lms.schema.SubStatus;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which LMS record a topic carries: the one configured, or else the one its name says. LMS topics
 * are {@code <prefix><name>} with a configurable prefix, so the name is matched at the end. No
 * name is the end of another, so the match is unambiguous.
 */
final class LmsRecordTypes {
  private static final Map<String, Class<? extends SpecificRecord>> BY_TOPIC_NAME = Map.of(
      "lead-commands", LeadCommand.class,
      "lead-events", LeadEvent.class,
      "leads", LeadState.class,
      "command-results", CommandResult.class,
      "reasons", Reason.class,
      "substatuses", SubStatus.class);

  private LmsRecordTypes() {}

  static Optional<Class<? extends SpecificRecord>> forTopic(String topic) {
    return BY_TOPIC_NAME.entrySet().stream()
        .filter(e -> topic.endsWith(e.getKey()))
        .<Class<? extends SpecificRecord>>map(Map.Entry::getValue)
        .findFirst();
  }

  static String topicNames() {
    return String.join(", ", BY_TOPIC_NAME.keySet().stream().sorted().toList());
  }

  /**
   * @throws IllegalArgumentException when the name is not a generated LMS record class
   */
  static Class<? extends SpecificRecord> forClassName(String className) {
    if (!className.startsWith("io.lms.schema.")) {
      throw new IllegalArgumentException("not an LMS record class (io.lms.schema.*): " + className);
    }
    Class<?> type;
    try {
      type = Class.forName(className, false, LmsRecordTypes.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no such LMS record class: " + className, e);
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("not an Avro record class: " + className);
    }
    return type.asSubclass(SpecificRecord.class);
  }
}
