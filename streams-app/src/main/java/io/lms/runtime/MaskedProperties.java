package io.lms.runtime;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka properties, unmodifiable, whose {@code toString} hides the values of secrets: a config
 * record's {@code toString} shows its maps, and one log line of it would otherwise print a SASL
 * password. Equality is a map's, so configs still compare by their values.
 */
final class MaskedProperties extends AbstractMap<String, String> {
  static final String MASK = "*****";

  /**
   * Kafka's own list of what is secret: the keys its clients declare as passwords
   * ({@code sasl.jaas.config}, {@code ssl.key.password}, ...), so that a new one in a later Kafka
   * is hidden too.
   */
  private static final Set<String> PASSWORD_KEYS =
      Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
          .flatMap(def -> def.configKeys().values().stream())
          .filter(key -> key.type == ConfigDef.Type.PASSWORD)
          .map(key -> key.name)
          .collect(Collectors.toUnmodifiableSet());

  private final SortedMap<String, String> values;

  private MaskedProperties(Map<String, String> values) {
    this.values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  static MaskedProperties copyOf(Map<String, String> values) {
    return values instanceof MaskedProperties masked ? masked : new MaskedProperties(values);
  }

  /**
   * True for a password of any Kafka client, also behind a client prefix as Kafka Streams takes
   * them ({@code producer.sasl.jaas.config}, {@code main.consumer.ssl.key.password}).
   */
  static boolean isSecret(String key) {
    return PASSWORD_KEYS.stream().anyMatch(secret -> key.equals(secret) || key.endsWith("." + secret));
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return values.entrySet();
  }

  @Override
  public String get(Object key) {
    return values.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return values.containsKey(key);
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? MASK : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
