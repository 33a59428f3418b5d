package io.lms.connect.converter;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.SchemaAndValue;

/**
 * One LMS record type between its Avro bytes and Connect data: single-object encoding, or
 * Confluent's framing whose schema ids are resolved through a schema registry.
 *
 * <p>The bytes are read and written only by the schemas module's codecs, so every released version
 * (or registered one) is understood and only the current one is written. Avro and Connect data are mapped by
 * Apicurio's {@link AvroData}, which works on generic Avro data: the generated classes hold
 * {@code timestamp-millis} as {@link java.time.Instant}, which it does not take, so a record
 * crosses between its generic and specific forms as plain Avro binary, resolved by schema.
 */
final class RecordMapping<T extends SpecificRecord> {
  private final SingleObjectCodec<T> codec;
  private final ConfluentCodec<T> confluent;
  private final Schema schema;
  private final SpecificData model;
  private final AvroData avroData;
  private final org.apache.kafka.connect.data.Schema connectSchema;
  private final Map<Schema, SpecificDatumReader<T>> readersByWriterSchema = new HashMap<>();

  RecordMapping(Class<T> type, AvroData avroData, ConfluentCodec.WriterSchemas registry) {
    this.codec = SingleObjectCodec.of(type);
    this.confluent = ConfluentCodec.of(type, registry);
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.avroData = avroData;
    this.connectSchema = avroData.toConnectSchema(schema);
  }

  Class<T> type() {
    return codec.type();
  }

  org.apache.kafka.connect.data.Schema connectSchema() {
    return connectSchema;
  }

  SchemaAndValue toConnectData(byte[] bytes) {
    T record = ConfluentCodec.isFramed(bytes) ? confluent.decode(bytes) : codec.decode(bytes);
    byte[] binary = write(new SpecificDatumWriter<>(schema, model), record);
    Object generic = read(new GenericDatumReader<>(schema, schema, GenericData.get()), binary);
    return avroData.toConnectData(schema, generic);
  }

  /** Connect data in any schema that resolves to this record's (a field's name decides) to its bytes. */
  byte[] fromConnectData(org.apache.kafka.connect.data.Schema valueSchema, Object value) {
    Object generic = avroData.fromConnectData(valueSchema, value);
    Schema writerSchema = ((GenericContainer) generic).getSchema();
    byte[] binary = write(new GenericDatumWriter<>(writerSchema, GenericData.get()), generic);
    SpecificDatumReader<T> reader = readersByWriterSchema.computeIfAbsent(
        writerSchema, writer -> new SpecificDatumReader<>(writer, schema, model));
    return encode(read(reader, binary));
  }

  /** The record in single-object encoding of the current schema. */
  byte[] encode(T record) {
    return codec.encode(record);
  }

  /** The current schema of the type, which {@link #encode} writes. */
  Schema schema() {
    return schema;
  }

  private static <D> byte[] write(org.apache.avro.io.DatumWriter<D> writer, D datum) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(datum, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <D> D read(org.apache.avro.io.DatumReader<D> reader, byte[] binary) {
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(binary, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
