package io.lms.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Confluent's wire format of one LMS record type, as its serializers and every tool of that
 * ecosystem (KafkaAvroDeserializer, ksqlDB, Flink's {@code avro-confluent}, ClickHouse's
 * {@code AvroConfluent}) read and write it: byte {@code 0x00}, the 4-byte big-endian id the schema
 * registry gave the writer's schema, then the Avro binary record. Unlike single-object encoding the
 * id says nothing without the registry: the writer's schema is asked of {@link WriterSchemas}, once
 * per id, and the record read into the current class by Avro's schema resolution.
 *
 * <p>Instances are immutable apart from their cache of readers, and thread-safe.
 */
public final class ConfluentCodec<T extends SpecificRecord> {

  static {
    TrustedPackages.trust("io.lms.schema");
    // A registered id and a huge length are a dozen bytes too: the same bounds as single-object.
    DecodeLimits.apply();
  }

  /** The first byte of Confluent's framing (its "magic byte"). */
  public static final byte MAGIC_BYTE = 0x00;
  /** The magic byte and the 4-byte schema id that precede the binary record. */
  public static final int HEADER_LENGTH = 1 + Integer.BYTES;

  /** The writer's schema of a registry id: the registry itself, or a stand-in when there is none. */
  @FunctionalInterface
  public interface WriterSchemas {
    /**
     * The schema the registry holds under {@code id}.
     *
     * @throws CodecException when no schema has this id (the bytes are at fault)
     * @throws SchemaUnavailableException when the registry could not be asked now (they may not be)
     */
    Schema byId(int id);
  }

  /** For a service without a registry: every id is unknown, and the message says why. */
  public static final WriterSchemas NO_REGISTRY = id -> {
    throw new CodecException("Confluent framing names schema id " + id
        + ", and no schema registry is configured to resolve it");
  };

  private final Class<T> type;
  private final SpecificData model;
  private final Schema current;
  private final WriterSchemas writerSchemas;
  /** A reader per writer id seen: bounded by what the registry holds, since unknown ids are not kept. */
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  private ConfluentCodec(Class<T> type, WriterSchemas writerSchemas) {
    this.type = type;
    this.model = SpecificData.getForClass(type);
    this.current = model.getSchema(type);
    this.writerSchemas = writerSchemas;
  }

  /** A codec that resolves the writer's schema of each id it reads through {@code writerSchemas}. */
  public static <T extends SpecificRecord> ConfluentCodec<T> of(Class<T> type, WriterSchemas writerSchemas) {
    return new ConfluentCodec<>(type, writerSchemas);
  }

  /**
   * As {@link #of(Class, WriterSchemas)}, knowing that {@code currentId} is the id of this type's
   * current schema: what LMS writes itself is read without asking the registry.
   */
  public static <T extends SpecificRecord> ConfluentCodec<T> of(Class<T> type, int currentId, WriterSchemas writerSchemas) {
    ConfluentCodec<T> codec = new ConfluentCodec<>(type, writerSchemas);
    codec.readers.put(currentId, new SpecificDatumReader<>(codec.current, codec.current, codec.model));
    return codec;
  }

  public Class<T> type() {
    return type;
  }

  /** The current schema of the type: the one to register for what {@link #encode} writes. */
  public Schema schema() {
    return current;
  }

  /** True when {@code bytes} start as Confluent framing does (byte {@code 0x00}). */
  public static boolean isFramed(byte[] bytes) {
    return bytes != null && bytes.length > 0 && bytes[0] == MAGIC_BYTE;
  }

  /**
   * The schema id of a Confluent-framed value.
   *
   * @throws CodecException when the bytes are shorter than the header or do not start with 0x00
   */
  public static int schemaIdOf(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_LENGTH) {
      throw new CodecException("Not Confluent framing: " + (bytes == null ? "no bytes (null value)" : bytes.length
          + " bytes, fewer than its " + HEADER_LENGTH + "-byte header (0x00 and a 4-byte schema id)"));
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new CodecException(String.format("Not Confluent framing: the first byte is 0x%02X, not 0x00", bytes[0]));
    }
    return ByteBuffer.wrap(bytes, 1, Integer.BYTES).getInt();
  }

  /** Writes {@code record} with the current schema, framed with {@code schemaId}, the id registered for it. */
  public byte[] encode(T record, int schemaId) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(header(schemaId));
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<T>(current, model).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new CodecException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Confluent framing of a record given in single-object encoding of the current schema: the
   * same binary record behind another header. Lets a record be encoded once for a state store
   * (single-object) and a topic (Confluent) alike.
   */
  public static byte[] reframe(byte[] singleObject, int schemaId) {
    int body = singleObject.length - SingleObjectCodec.HEADER_LENGTH;
    if (body < 0) {
      throw new CodecException("Not single-object encoding: " + singleObject.length + " bytes");
    }
    byte[] framed = new byte[HEADER_LENGTH + body];
    System.arraycopy(header(schemaId), 0, framed, 0, HEADER_LENGTH);
    System.arraycopy(singleObject, SingleObjectCodec.HEADER_LENGTH, framed, HEADER_LENGTH, body);
    return framed;
  }

  /**
   * Decodes one Confluent-framed record into the current class.
   *
   * @throws CodecException when the bytes are not a Confluent-framed record of this type: too short,
   *     another first byte, an id the registry does not know, a writer's schema the current one cannot
   *     read, a truncated or corrupt body
   * @throws SchemaUnavailableException when the registry could not be asked for the writer's schema
   */
  public T decode(byte[] bytes) {
    int id;
    try {
      id = schemaIdOf(bytes);
    } catch (CodecException e) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    SpecificDatumReader<T> reader = readerOf(id);
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null));
    } catch (IOException | RuntimeException e) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + " written with schema id " + id + " from "
          + bytes.length + " bytes: " + e, e);
    }
  }

  private SpecificDatumReader<T> readerOf(int id) {
    SpecificDatumReader<T> known = readers.get(id);
    if (known != null) {
      return known;
    }
    // Asked outside any lock: a slow registry must not hold up the readers of known ids.
    Schema writer = writerSchemas.byId(id);
    var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getResult();
    if (compatibility.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + ": schema id " + id + " ("
          + writer.getFullName() + ") cannot be read as " + current.getFullName() + ": " + compatibility.getIncompatibilities());
    }
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, current, model);
    readers.putIfAbsent(id, reader);
    return reader;
  }

  private static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
  }
}
