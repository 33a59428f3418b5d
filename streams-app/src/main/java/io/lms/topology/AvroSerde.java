package io.lms.topology;

import io.lms.schema.codec.SingleObjectCodec;
import java.util.HashMap;
import java.util.Map;
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
  /** Per thread, what the reusing serdes encoded last. */
  private static final ThreadLocal<LastEncoded> LAST_ENCODED = ThreadLocal.withInitial(LastEncoded::new);

  private final SingleObjectCodec<T> codec;
  private final boolean nullsAreValues;
  private final boolean reusesEncodings;

  /** The record of each type a thread serialized last through a reusing serde, with its bytes. */
  private static final class LastEncoded implements SingleObjectCodec.Encoded {
    private record Entry(SpecificRecord value, byte[] bytes) {}

    private final Map<Class<?>, Entry> byType = new HashMap<>();

    @Override
    public byte[] encodingOf(SpecificRecord record) {
      Entry last = byType.get(record.getClass());
      return last != null && last.value() == record ? last.bytes() : null;
    }

    void remember(SpecificRecord record, byte[] bytes) {
      byType.put(record.getClass(), new Entry(record, bytes));
    }
  }

  /** A serde for a table or state store, where a null value is a tombstone. */
  public AvroSerde(Class<T> type) {
    this(type, true, false);
  }

  private AvroSerde(Class<T> type, boolean nullsAreValues, boolean reusesLastEncoding) {
    this.codec = SingleObjectCodec.of(type);
    this.nullsAreValues = nullsAreValues;
    this.reusesEncodings = reusesLastEncoding;
  }

  /** A serde for a stream of commands, where a null value is malformed input, not a tombstone. */
  public static <T extends SpecificRecord> AvroSerde<T> rejectingNulls(Class<T> type) {
    return new AvroSerde<>(type, false, false);
  }

  /**
   * A serde for records that the command processor writes more than once: a lead goes to a store,
   * to a topic, and inside the command's result (and inside the event of a new lead); a result
   * goes to a store and to a topic. Serializing the very instance (or a record holding the very
   * instance) that a thread serialized last through a reusing serde of its type copies the bytes
   * instead of encoding it again. Encoding was the processor's largest cost. Sound only because
   * the processor never changes a record once it has written it; the returned array is shared, as
   * Kafka Streams shares a store's bytes with its changelog.
   */
  public static <T extends SpecificRecord> AvroSerde<T> reusingLastEncoding(Class<T> type) {
    return new AvroSerde<>(type, true, true);
  }

  @Override
  public Serializer<T> serializer() {
    if (!reusesEncodings) {
      return (topic, value) -> value == null ? null : codec.encode(value);
    }
    return (topic, value) -> {
      if (value == null) {
        return null;
      }
      LastEncoded last = LAST_ENCODED.get();
      byte[] bytes = last.encodingOf(value);
      if (bytes == null) {
        bytes = codec.encode(value, last);
        last.remember(value, bytes);
      }
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
