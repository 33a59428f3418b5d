package io.lms.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The value schemas of topics in a registry, under the subject names of Confluent's default
 * TopicNameStrategy ({@code <topic>-value}), which its serializers, ksqlDB and Flink look up.
 */
public final class TopicSchemas {
  private static final Logger log = LoggerFactory.getLogger(TopicSchemas.class);

  private TopicSchemas() {}

  /**
   * One subject, what the registry said of the schema LMS has for it.
   *
   * @param compatibilityLevel the subject's level, with the global one when it differs: {@code NONE
   *     (global BACKWARD)}
   */
  public record SubjectCheck(String topic, String subject, Schema schema, String compatibilityLevel,
      SchemaRegistryClient.CompatibilityCheck check) {
    public String describe() {
      return subject + " (" + schema.getFullName() + ", compatibility " + compatibilityLevel + "): "
          + (check.compatible() ? "compatible" : "INCOMPATIBLE " + String.join("; ", check.reasons()));
    }
  }

  public static String subjectOf(String topic) {
    return topic + "-value";
  }

  /** Asks the registry whether it would accept each topic's schema, registering nothing. */
  public static List<SubjectCheck> check(SchemaRegistryClient registry, Map<String, Schema> valueSchemas) {
    List<SubjectCheck> checks = new ArrayList<>();
    String global = registry.globalCompatibilityLevel();
    valueSchemas.forEach((topic, schema) -> {
      String subject = subjectOf(topic);
      String level = registry.compatibilityLevel(subject);
      checks.add(new SubjectCheck(topic, subject, schema, level.equals(global) ? level : level + " (global " + global + ")",
          registry.testCompatibility(subject, schema)));
    });
    return checks;
  }

  /**
   * Registers each topic's value schema and returns the id of each, by topic. Every schema is
   * tested first, so that a refusal leaves the registry as it was.
   *
   * @throws SchemaRegistryException naming every subject whose versions the schema is incompatible
   *     with, and why; or when the registry does not answer
   */
  public static Map<String, Integer> register(SchemaRegistryClient registry, Map<String, Schema> valueSchemas) {
    List<SubjectCheck> checks = check(registry, valueSchemas);
    List<String> refused = checks.stream().filter(c -> !c.check().compatible()).map(SubjectCheck::describe).toList();
    if (!refused.isEmpty()) {
      throw new SchemaRegistryException("Schema registry " + registry.url() + " holds versions that LMS's schemas are"
          + " incompatible with, so LMS does not start: " + String.join(" | ", refused) + ". Registered schemas of LMS"
          + " only ever change backward-compatibly: a subject that refuses them holds a schema of another writer,"
          + " or one from a newer LMS");
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (SubjectCheck check : checks) {
      int id = registry.register(check.subject(), check.schema());
      ids.put(check.topic(), id);
      log.info("Schema registry {}: {} is id {} under {} (compatibility {})",
          registry.url(), check.schema().getFullName(), id, check.subject(), check.compatibilityLevel());
    }
    return ids;
  }
}
