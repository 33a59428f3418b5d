package io.lms.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one LMS record type: a two-byte marker, the 8-byte fingerprint of
 * the writer's schema, then the binary record. Data written with any released version of the
 * schema is read into the current class, so consumers never need a registry server.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {

  static {
    // Avro 1.12 refuses to instantiate generated classes outside trusted packages.
    TrustedPackages.trust("io.lms.schema");
    DecodeLimits.apply();
  }

  /** The marker of Avro's single-object encoding, version 1 (the Avro specification). */
  private static final byte[] SINGLE_OBJECT_MARKER = {(byte) 0xC3, 0x01};
  /** The marker and the 8-byte schema fingerprint that precede every record's binary body. */
  public static final int HEADER_LENGTH = SINGLE_OBJECT_MARKER.length + Long.BYTES;

  /**
   * Records encoded a moment ago, whose bytes an enclosing record may copy instead of encoding
   * them again: Avro's binary encoding of a record does not depend on what encloses it.
   */
  @FunctionalInterface
  public interface Encoded {
    /**
     * The single-object encoding of exactly this instance (identity, not equality), or null.
     * Sound only while the instance has not changed since it was encoded.
     */
    byte[] encodingOf(SpecificRecord record);
  }

  private final Class<T> type;
  private final byte[] header;
  /**
   * A reader into the current class per known writer schema, by the schema's fingerprint. Avro's
   * {@code BinaryMessageDecoder} reads the body through a {@code ByteArrayInputStream} one byte at
   * a time (a synchronized call per byte): a third of a lead's decoding. Read straight from the
   * array instead; the readers are thread-safe, as Avro's own decoder shares them.
   */
  private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
  // Avro's BinaryMessageEncoder writes through an unbuffered encoder, one small write per field:
  // it was the largest single cost of the command processor. Same bytes, written buffered.
  private final ThreadLocal<Buffers> buffers;

  private static final class Buffers {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    final CopyingWriter<?> writer;
    BinaryEncoder encoder;

    Buffers(Schema schema, SpecificData model) {
      writer = new CopyingWriter<>(schema, model);
    }
  }

  /** A writer that copies the bytes of nested records {@link Encoded} knows. One per thread. */
  private static final class CopyingWriter<T> extends SpecificDatumWriter<T> {
    Encoded encoded;

    CopyingWriter(Schema schema, SpecificData model) {
      super(schema, model);
    }

    @Override
    protected void write(Schema schema, Object datum, Encoder out) throws IOException {
      if (encoded != null && schema.getType() == Schema.Type.RECORD && datum instanceof SpecificRecord nested) {
        byte[] bytes = encoded.encodingOf(nested);
        // Within one build, a record type nested in another is the same definition as its own
        // class's (the schemas are compiled together), so its bytes are the same.
        if (bytes != null && nested.getSchema().getFullName().equals(schema.getFullName())) {
          out.writeFixed(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
          return;
        }
      }
      super.write(schema, datum, out);
    }
  }

  private SingleObjectCodec(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    Schema current = model.getSchema(type);
    this.header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .put(SINGLE_OBJECT_MARKER)
        .putLong(SchemaNormalization.parsingFingerprint64(current))
        .array();
    this.buffers = ThreadLocal.withInitial(() -> new Buffers(current, model));
    for (Schema released : ReleasedSchemas.versionsOf(current.getFullName())) {
      readers.put(SchemaNormalization.parsingFingerprint64(released), new SpecificDatumReader<>(released, current, model));
    }
    readers.put(SchemaNormalization.parsingFingerprint64(current), new SpecificDatumReader<>(current, current, model));
  }

  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
    return new SingleObjectCodec<>(type);
  }

  public Class<T> type() {
    return type;
  }

  public byte[] encode(T record) {
    return encode(record, null);
  }

  /**
   * Encodes one record, copying the bytes of the nested records that {@code encoded} knows.
   *
   * @param encoded nested records already encoded, or null to encode everything
   */
  public byte[] encode(T record, Encoded encoded) {
    Buffers local = buffers.get();
    try {
      local.out.reset();
      local.out.write(header);
      local.encoder = EncoderFactory.get().binaryEncoder(local.out, local.encoder);
      local.writer.encoded = encoded;
      @SuppressWarnings("unchecked")
      CopyingWriter<T> writer = (CopyingWriter<T>) local.writer;
      writer.write(record, local.encoder);
      local.encoder.flush();
      return local.out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new CodecException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    } finally {
      local.writer.encoded = null;
    }
  }

  /**
   * Decodes one record.
   *
   * @throws CodecException when the bytes are not a single-object encoded record of a known
   *     version of this type (wrong marker, unknown fingerprint, truncated or corrupt body)
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + ": no bytes (null value)");
    }
    if (bytes.length < HEADER_LENGTH || bytes[0] != SINGLE_OBJECT_MARKER[0] || bytes[1] != SINGLE_OBJECT_MARKER[1]) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + " from " + bytes.length
          + " bytes: not Avro's single-object encoding (no marker C3 01 and schema fingerprint)");
    }
    long fingerprint = ByteBuffer.wrap(bytes, SINGLE_OBJECT_MARKER.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      throw new CodecException("Cannot decode " + type.getSimpleName() + ": Cannot resolve schema for fingerprint "
          + fingerprint + ", which is no released version of " + type.getSimpleName());
    }
    try {
      return reader.read(null,
          DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null));
    } catch (IOException | RuntimeException e) {
      throw new CodecException(
          "Cannot decode " + type.getSimpleName() + " from " + bytes.length + " bytes: " + e, e);
    }
  }
}
