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
  private final ThreadLocal<LastEncoded<T>> lastEncoded;

  /** The record a thread serialized last through this serde, and its bytes. */
  private record LastEncoded<T>(T value, byte[] bytes) {}

  /** A serde for a table or state store, where a null value is a tombstone. */
  public AvroSerde(Class<T> type) {
    this(type, true, false);
  }

  private AvroSerde(Class<T> type, boolean nullsAreValues, boolean reusesLastEncoding) {
    this.codec = SingleObjectCodec.of(type);
    this.nullsAreValues = nullsAreValues;
    this.lastEncoded = reusesLastEncoding ? new ThreadLocal<>() : null;
  }

  /** A serde for a stream of commands, where a null value is malformed input, not a tombstone. */
  public static <T extends SpecificRecord> AvroSerde<T> rejectingNulls(Class<T> type) {
    return new AvroSerde<>(type, false, false);
  }

  /**
   * A serde for a record that the command processor writes twice, to a store and to a topic
   * (a lead, a result): serializing the very instance a thread serialized last through this serde
   * returns the same bytes without encoding it again. Encoding was the processor's largest cost.
   * Sound only because the processor never changes a record once it has written it; the returned
   * array is shared, as Kafka Streams shares a store's bytes with its changelog.
   */
  public static <T extends SpecificRecord> AvroSerde<T> reusingLastEncoding(Class<T> type) {
    return new AvroSerde<>(type, true, true);
  }

  @Override
  public Serializer<T> serializer() {
    if (lastEncoded == null) {
      return (topic, value) -> value == null ? null : codec.encode(value);
    }
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      LastEncoded<T> last = lastEncoded.get();
      if (last != null && last.value() == value) {
        return last.bytes();
      }
      byte[] bytes = codec.encode(value);
      lastEncoded.set(new LastEncoded<>(value, bytes));
      return bytes;
    };
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
