package io.lms.connect.converter;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.lms.connect.outbox.InvalidOutboxCommandException;
import io.lms.connect.outbox.OutboxCommand;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * The values of LMS topics (Avro single-object encoding, no registry) as Connect data, and back,
 * so that any sink or source connector can work with them.
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
 */
public final class LmsAvroConverter implements Converter, Versioned {
  public static final String RECORD_CONFIG = "lms.record";
  private static final ConfigDef CONFIG = new ConfigDef()
      .define(RECORD_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
          "Class of the LMS record the topic carries, e.g. io.lms.schema.LeadState. "
              + "Unset: inferred from the end of the topic name (" + LmsRecordTypes.topicNames() + ").");

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
    String className = new AbstractConfig(CONFIG, configs).getString(RECORD_CONFIG);
    if (className != null && !className.isBlank()) {
      try {
        configuredType = LmsRecordTypes.forClassName(className.trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(RECORD_CONFIG, className, e.getMessage());
      }
      mapping(configuredType);
    }
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
        return commands.encode(OutboxCommand.read(json, clock));
      }
      if (schema == null || schema.type() != Schema.Type.STRUCT || !(value instanceof Struct)) {
        throw new DataException("Topic " + topic + ": expected a Struct of " + mapping.type().getSimpleName()
            + (mapping.type() == LeadCommand.class ? " or an outbox command as JSON text" : "")
            + ", got " + (schema == null ? "schemaless " + value.getClass().getSimpleName() : schema.type()));
      }
      return mapping.fromConnectData(schema, value);
    } catch (InvalidOutboxCommandException e) {
      throw new DataException("Topic " + topic + ": invalid outbox command: " + e.getMessage(), e);
    } catch (DataException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DataException("Topic " + topic + ": cannot encode " + mapping.type().getSimpleName() + ": " + e, e);
    }
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
    return mappings.computeIfAbsent(type, t -> newMapping(type, avroData));
  }

  private static <T extends SpecificRecord> RecordMapping<T> newMapping(Class<T> type, AvroData avroData) {
    return new RecordMapping<>(type, avroData);
  }
}
