package io.lms.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings every Kafka client of LMS takes beside {@code bootstrap.servers}: Kafka Streams, the
 * HTTP layer's producer and results consumer, the admin clients and the operator tools. Above all
 * how to reach a secured cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), which
 * an operator then gives once for all of them: {@code LMS_KAFKA_<KEY>} in the environment,
 * {@code kafka.<key>} in the config file, or a tool's {@code --command-config}.
 *
 * <p>Accepted: every setting that the producer, the consumer and the admin client all define,
 * Kafka's common client configs (security, connection, metadata, metrics), taken from Kafka's own
 * definitions so that each client takes each one, values are checked as Kafka would check them, and
 * a typo is refused rather than ignored. Refused: a setting of one kind of client ({@code acks},
 * {@code isolation.level}, {@code enable.idempotence}, ...): LMS sets those per client for
 * exactly-once and for answering writes after their commit, and one value cannot suit every
 * client. Kafka Streams alone is tuned through {@code LMS_STREAMS_*}, which wins over these.
 */
public final class KafkaClientSettings {
  private static final Map<String, String> OWNED = Map.of(
      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
      "set it with " + Setting.BOOTSTRAP_SERVERS.env() + " (or a tool's --bootstrap)",
      CommonClientConfigs.CLIENT_ID_CONFIG,
      "each LMS client names itself, so that metrics, quotas and broker logs tell them apart",
      // Its companions (config.providers.<name>.class) are no common config, and a value kept
      // elsewhere can fill the environment variable instead.
      "config.providers", "give the value itself");

  /**
   * What to check when Kafka does not answer. A client whose security.protocol does not match the
   * listener's is not refused: its connections just close, again and again, until it times out.
   */
  public static final String WHEN_KAFKA_DOES_NOT_ANSWER = "is it reachable, and does it speak the security.protocol"
      + " given (" + PassThrough.KAFKA_CLIENTS.envPrefix() + "SECURITY_PROTOCOL or a tool's --command-config;"
      + " PLAINTEXT if unset)?";

  private static final Map<String, ConfigDef.ConfigKey> COMMON = commonClientConfigs();

  private static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

  private final MaskedProperties values;

  private KafkaClientSettings(Map<String, String> values) {
    this.values = MaskedProperties.copyOf(values);
  }

  /** No settings: a PLAINTEXT cluster, Kafka's defaults. */
  public static KafkaClientSettings none() {
    return NONE;
  }

  /**
   * Checks the settings of one source.
   *
   * @param nameOf names a key as the operator wrote it, for messages
   * @throws InvalidSettingException naming the first setting that is not a common client config or
   *     whose value Kafka would refuse (a secret's value is never echoed)
   */
  public static KafkaClientSettings of(Map<String, String> values, Function<String, String> nameOf) {
    values.forEach((key, value) -> check(key, value, nameOf.apply(key)));
    return values.isEmpty() ? NONE : new KafkaClientSettings(values);
  }

  /** The settings of a Kafka client properties file, as Kafka's own tools take with --command-config. */
  public static KafkaClientSettings fromFile(Path file) {
    String where = " in the command config " + file;
    return of(PropertiesFile.read(file, "command config"), key -> key + where);
  }

  /** These settings with {@code overrides} over them, key by key. */
  public KafkaClientSettings overriddenBy(KafkaClientSettings overrides) {
    if (overrides.values.isEmpty()) {
      return this;
    }
    var merged = new HashMap<String, String>(values);
    merged.putAll(overrides.values);
    return new KafkaClientSettings(merged);
  }

  /** The settings as Kafka properties; its {@code toString} hides secrets. */
  public Map<String, String> values() {
    return values;
  }

  /**
   * The configuration every client of the cluster at {@code bootstrapServers} starts from: these
   * settings and the address. A client adds its own settings to the map it gets.
   */
  public Map<String, Object> connection(String bootstrapServers) {
    var config = new HashMap<String, Object>(values);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
    return config;
  }

  /** The security protocol when one other than PLAINTEXT is set. */
  Optional<String> securedBy() {
    return Optional.ofNullable(values.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG))
        .filter(protocol -> !protocol.equalsIgnoreCase(SecurityProtocol.PLAINTEXT.name));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaClientSettings settings && values.equals(settings.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  private static void check(String key, String value, String name) {
    String owned = OWNED.get(key);
    if (owned != null) {
      throw new InvalidSettingException(name + " cannot be set there: " + owned);
    }
    ConfigDef.ConfigKey definition = COMMON.get(key);
    if (definition == null) {
      throw new InvalidSettingException(name + " is not a setting that every Kafka client takes: " + whyNot(key));
    }
    try {
      Object parsed = ConfigDef.parseType(key, value, definition.type);
      if (definition.validator != null) {
        definition.validator.ensureValid(key, parsed);
      }
    } catch (ConfigException e) {
      throw new InvalidSettingException(MaskedProperties.isSecret(key)
          ? "Invalid " + name + ": Kafka refuses its value (not shown: it is a secret)"
          : "Invalid " + name + ": " + e.getMessage());
    }
  }

  private static String whyNot(String key) {
    boolean someClientsOnly = ProducerConfig.configNames().contains(key) || ConsumerConfig.configNames().contains(key)
        || AdminClientConfig.configNames().contains(key) || StreamsConfig.configDef().names().contains(key);
    return someClientsOnly
        ? "LMS sets what its producers, consumers and admin clients need each; for Kafka Streams alone use "
            + PassThrough.STREAMS.names(key)
        : "no Kafka client knows it (a typo?); the common ones are security.protocol, sasl.*, ssl.*, "
            + "client.dns.lookup, metadata.*, reconnect.*, retry.*, request.timeout.ms, socket.*, metrics.*";
  }

  private static Map<String, ConfigDef.ConfigKey> commonClientConfigs() {
    Map<String, ConfigDef.ConfigKey> producer = ProducerConfig.configDef().configKeys();
    Map<String, ConfigDef.ConfigKey> consumer = ConsumerConfig.configDef().configKeys();
    Map<String, ConfigDef.ConfigKey> admin = AdminClientConfig.configDef().configKeys();
    return producer.entrySet().stream()
        .filter(e -> consumer.containsKey(e.getKey()) && admin.containsKey(e.getKey()))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
