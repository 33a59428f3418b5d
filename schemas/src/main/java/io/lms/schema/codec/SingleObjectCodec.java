package io.lms.schema.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
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

  private final Class<T> type;
  private final byte[] header;
  private final DatumWriter<T> writer;
  private final BinaryMessageDecoder<T> decoder;
  // Avro's BinaryMessageEncoder writes through an unbuffered encoder, one small write per field:
  // it was the largest single cost of the command processor. Same bytes, written buffered.
  private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

  private static final class Buffers {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder;
  }

  private SingleObjectCodec(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    Schema current = model.getSchema(type);
    this.header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN)
        .put(SINGLE_OBJECT_MARKER)
        .putLong(SchemaNormalization.parsingFingerprint64(current))
        .array();
    @SuppressWarnings("unchecked")
    DatumWriter<T> datumWriter = (DatumWriter<T>) model.createDatumWriter(current);
    this.writer = datumWriter;
    this.decoder = new BinaryMessageDecoder<>(model, current);
    for (Schema released : ReleasedSchemas.versionsOf(current.getFullName())) {
      decoder.addSchema(released);
    }
  }

  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
    return new SingleObjectCodec<>(type);
  }

  public Class<T> type() {
    return type;
  }

  public byte[] encode(T record) {
    Buffers local = buffers.get();
    try {
      local.out.reset();
      local.out.write(header);
      local.encoder = EncoderFactory.get().binaryEncoder(local.out, local.encoder);
      writer.write(record, local.encoder);
      local.encoder.flush();
      return local.out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new CodecException("Cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
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
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new CodecException(
          "Cannot decode " + type.getSimpleName() + " from " + bytes.length + " bytes: " + e, e);
    }
  }
}
