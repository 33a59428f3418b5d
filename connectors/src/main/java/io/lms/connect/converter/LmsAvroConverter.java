package io.lms.connect.converter;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.lms.connect.outbox.InvalidOutboxCommandException;
import io.lms.connect.outbox.OutboxCommand;
import io.lms.registry.SchemaRegistryClient;
import io.lms.registry.SchemaRegistryException;
import io.lms.registry.TopicSchemas;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.CodecException;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SchemaUnavailableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * The values of LMS topics (Avro single-object encoding, or Confluent's framing when LMS runs with a
 * schema registry) as Connect data, and back, so that any sink or source connector can work with them.
 *
 * <ul>
 *   <li>To Connect: a record of the topic's type, in any released version of its schema, becomes a
 *       {@link Struct}: a union of records becomes a struct with one optional field per branch,
 *       named by the branch's full name ({@code io.lms.schema.LeadCreated}), a nullable union an
 *       optional field, an enum a string, {@code timestamp-millis} a Connect {@code Timestamp}.
 *   <li>From Connect: a {@link Struct} of that shape is encoded with the current schema. For
 *       {@code LeadCommand} a string (or bytes) is taken as an outbox command in JSON, see
 *       {@link OutboxCommand}: that is how Debezium's outbox router feeds LMS.
 * </ul>
 *
 * Set {@code lms.record} to the record class ({@code io.lms.schema.LeadState}); without it the
 * type follows the topic's name ({@code <prefix>leads}, {@code <prefix>lead-events}, ...). Keys of
 * LMS topics are plain strings: use {@code StringConverter} for them.
 *
 * <p>With {@code lms.schema.registry.url}, Confluent-framed values are read by the schema ids they
 * carry, and values are written in Confluent's framing with the id of the current schema under
 * {@code <topic>-value}, registered if it is not yet (as Confluent's serializers do by default).
 * Without it, single-object encoding is written, and a Confluent-framed value cannot be read.
 */
public final class LmsAvroConverter implements Converter, Versioned {
  public static final String RECORD_CONFIG = "lms.record";
  public static final String REGISTRY_URL_CONFIG = "lms.schema.registry.url";
  public static final String REGISTRY_USER_CONFIG = "lms.schema.registry.user";
  public static final String REGISTRY_PASSWORD_CONFIG = "lms.schema.registry.password";
  private static final ConfigDef CONFIG = new ConfigDef()
      .define(RECORD_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
          "Class of the LMS record the topic carries, e.g. io.lms.schema.LeadState. "
              + "Unset: inferred from the end of the topic name (" + LmsRecordTypes.topicNames() + ").")
      .define(REGISTRY_URL_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
          "A schema registry with Confluent's REST API, as LMS's LMS_SCHEMA_REGISTRY_URL. Set: Confluent-framed "
              + "values are read through it and values are written in Confluent's framing. Unset: single-object encoding.")
      .define(REGISTRY_USER_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
          "The registry's basic-auth user, with " + REGISTRY_PASSWORD_CONFIG)
      .define(REGISTRY_PASSWORD_CONFIG, ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
          "The registry's basic-auth password");

  private final Clock clock;
  private final AvroData avroData = new AvroData(new AvroDataConfig(Map.of(
      // Keeps enum symbols and full record names in the Connect schema (an enum inside a nullable
      // union is otherwise a plain string), so that a Struct made from an LMS record converts back
      // to exactly that record. Union branches are then named by full name, as with Confluent's
      // AvroConverter under the same setting.
      AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true,
      AvroDataConfig.SCHEMAS_CACHE_SIZE_CONFIG, 100)));
  private final Map<Class<?>, RecordMapping<?>> mappings = new HashMap<>();
  private Class<? extends SpecificRecord> configuredType;
  /** The registry, when one is configured. */
  private Optional<SchemaRegistryClient> registry = Optional.empty();
  /** The id of the current schema under each topic's subject, registered on first write. */
  private final Map<String, Integer> schemaIds = new ConcurrentHashMap<>();

  public LmsAvroConverter() {
    this(Clock.systemUTC());
  }

  LmsAvroConverter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String version() {
    String version = LmsAvroConverter.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  @Override
  public ConfigDef config() {
    return CONFIG;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (isKey) {
      throw new ConfigException("LmsAvroConverter converts values: LMS keys are plain strings, "
          + "use org.apache.kafka.connect.storage.StringConverter for key.converter");
    }
    var config = new AbstractConfig(CONFIG, configs);
    registry = registry(config);
    String className = config.getString(RECORD_CONFIG);
    if (className != null && !className.isBlank()) {
      try {
        configuredType = LmsRecordTypes.forClassName(className.trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(RECORD_CONFIG, className, e.getMessage());
      }
      mapping(configuredType);
    }
  }

  private static Optional<SchemaRegistryClient> registry(AbstractConfig config) {
    String url = config.getString(REGISTRY_URL_CONFIG);
    String user = config.getString(REGISTRY_USER_CONFIG);
    var password = config.getPassword(REGISTRY_PASSWORD_CONFIG);
    if ((user == null) != (password == null)) {
      throw new ConfigException(REGISTRY_USER_CONFIG + " and " + REGISTRY_PASSWORD_CONFIG + " go together: set both or neither");
    }
    if (url == null || url.isBlank()) {
      if (user != null) {
        throw new ConfigException(REGISTRY_URL_CONFIG, null, "the registry login is set without the registry's URL");
      }
      return Optional.empty();
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(REGISTRY_URL_CONFIG, url, "not a URL such as http://registry:8081");
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new ConfigException(REGISTRY_URL_CONFIG, url, "not an http:// or https:// URL with a host");
    }
    return Optional.of(new SchemaRegistryClient(uri, Optional.ofNullable(user)
        .map(u -> new SchemaRegistryClient.Credentials(u, password.value()))));
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    if (value == null) {
      return SchemaAndValue.NULL; // a tombstone stays one
    }
    RecordMapping<?> mapping = mappingFor(topic);
    try {
      return mapping.toConnectData(value);
    } catch (CodecException e) {
      throw new DataException("Topic " + topic + ": " + e.getMessage(), e);
    } catch (SchemaUnavailableException e) {
      // The record is not at fault: Connect retries a retriable failure (errors.retry.timeout).
      throw new RetriableException("Topic " + topic + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new DataException("Topic " + topic + ": cannot convert " + mapping.type().getSimpleName()
          + " to Connect data: " + e, e);
    }
  }

  @Override
  public byte[] fromConnectData(String topic, Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    RecordMapping<?> mapping = mappingFor(topic);
    try {
      if (mapping.type() == LeadCommand.class && (value instanceof String || value instanceof byte[])) {
        byte[] json = value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
        @SuppressWarnings("unchecked")
        RecordMapping<LeadCommand> commands = (RecordMapping<LeadCommand>) mapping;
        return framed(topic, commands, commands.encode(OutboxCommand.read(json, clock)));
      }
      if (schema == null || schema.type() != Schema.Type.STRUCT || !(value instanceof Struct)) {
        throw new DataException("Topic " + topic + ": expected a Struct of " + mapping.type().getSimpleName()
            + (mapping.type() == LeadCommand.class ? " or an outbox command as JSON text" : "")
            + ", got " + (schema == null ? "schemaless " + value.getClass().getSimpleName() : schema.type()));
      }
      return framed(topic, mapping, mapping.fromConnectData(schema, value));
    } catch (InvalidOutboxCommandException e) {
      throw new DataException("Topic " + topic + ": invalid outbox command: " + e.getMessage(), e);
    } catch (DataException e) {
      throw e;
    } catch (SchemaRegistryException e) {
      // Not the record's fault either: a registry that refused the schema needs an operator, one
      // that did not answer needs time; Connect retries, then fails the task saying why.
      throw new RetriableException("Topic " + topic + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new DataException("Topic " + topic + ": cannot encode " + mapping.type().getSimpleName() + ": " + e, e);
    }
  }

  /** {@code singleObject} as it goes to {@code topic}: in Confluent's framing when a registry is configured. */
  private byte[] framed(String topic, RecordMapping<?> mapping, byte[] singleObject) {
    if (registry.isEmpty()) {
      return singleObject;
    }
    int id = schemaIds.computeIfAbsent(topic, t -> registry.get().register(TopicSchemas.subjectOf(t), mapping.schema()));
    return ConfluentCodec.reframe(singleObject, id);
  }

  /** The Connect schema of a topic's values, as {@link #toConnectData} gives it. */
  public Schema schemaFor(String topic) {
    return mappingFor(topic).connectSchema();
  }

  private RecordMapping<?> mappingFor(String topic) {
    if (configuredType != null) {
      return mapping(configuredType);
    }
    return mapping(LmsRecordTypes.forTopic(topic).orElseThrow(() -> new DataException(
        "Topic " + topic + " is not named like an LMS topic (" + LmsRecordTypes.topicNames()
            + " at the end): set value.converter." + RECORD_CONFIG)));
  }

  private RecordMapping<?> mapping(Class<? extends SpecificRecord> type) {
    return mappings.computeIfAbsent(type, t -> newMapping(type, avroData,
        registry.<ConfluentCodec.WriterSchemas>map(r -> r).orElse(ConfluentCodec.NO_REGISTRY)));
  }

  private static <T extends SpecificRecord> RecordMapping<T> newMapping(
      Class<T> type, AvroData avroData, ConfluentCodec.WriterSchemas registry) {
    return new RecordMapping<>(type, avroData, registry);
  }
}
