package io.lms.schema.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
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
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private SingleObjectCodec(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    Schema current = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, current);
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
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
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
