package io.lms.topology;

import io.lms.schema.codec.ConfluentCodec;
import java.util.OptionalInt;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of an LMS topic when a schema registry is configured: writes Confluent's framing with
 * the id the registry gave the type's schema, so that registry-based consumers read the topic;
 * reads that framing (resolving other ids through the registry) and single-object encoding, which
 * the topic may still hold from before. Without an id of its own (the tools, which register
 * nothing) it writes single-object encoding, which LMS reads as well.
 *
 * <p>The record is encoded by the single-object serde the topic has without a registry, and its
 * binary body put behind the other header: a lead or result written to a store and a topic alike
 * is still encoded once (see {@link AvroSerde#reusingLastEncoding}).
 */
final class ConfluentFramedSerde<T extends SpecificRecord> implements Serde<T> {
  private final Serializer<T> singleObjectSerializer;
  private final Deserializer<T> singleObjectDeserializer;
  private final ConfluentCodec<T> codec;
  private final OptionalInt schemaId;

  ConfluentFramedSerde(Serde<T> singleObject, Class<T> type, OptionalInt schemaId, ConfluentCodec.WriterSchemas registry) {
    this.singleObjectSerializer = singleObject.serializer();
    this.singleObjectDeserializer = singleObject.deserializer();
    this.codec = schemaId.isPresent() ? ConfluentCodec.of(type, schemaId.getAsInt(), registry) : ConfluentCodec.of(type, registry);
    this.schemaId = schemaId;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      byte[] singleObject = singleObjectSerializer.serialize(topic, value);
      return singleObject == null || schemaId.isEmpty() ? singleObject : ConfluentCodec.reframe(singleObject, schemaId.getAsInt());
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (!ConfluentCodec.isFramed(bytes)) {
        return singleObjectDeserializer.deserialize(topic, bytes);
      }
      try {
        return codec.decode(bytes);
      } catch (RuntimeException e) {
        throw new SerializationException(e.getMessage(), e);
      }
    };
  }
}
