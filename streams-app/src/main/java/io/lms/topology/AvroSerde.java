package io.lms.topology;

import io.lms.schema.codec.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one LMS record type in Avro single-object encoding. A value that cannot be
 * decoded raises {@link SerializationException}, which Kafka Streams hands to its deserialization
 * exception handler (and so to the dead-letter topic) instead of stopping.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final SingleObjectCodec<T> codec;
  private final boolean nullsAreValues;

  /** A serde for a table or state store, where a null value is a tombstone. */
  public AvroSerde(Class<T> type) {
    this(type, true);
  }

  private AvroSerde(Class<T> type, boolean nullsAreValues) {
    this.codec = SingleObjectCodec.of(type);
    this.nullsAreValues = nullsAreValues;
  }

  /** A serde for a stream of commands, where a null value is malformed input, not a tombstone. */
  public static <T extends SpecificRecord> AvroSerde<T> rejectingNulls(Class<T> type) {
    return new AvroSerde<>(type, false);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : codec.encode(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        if (nullsAreValues) {
          return null;
        }
        throw new SerializationException("A " + codec.type().getSimpleName() + " cannot be null");
      }
      try {
        return codec.decode(bytes);
      } catch (RuntimeException e) {
        throw new SerializationException(e.getMessage(), e);
      }
    };
  }
}
