package io.lms.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class ConfluentCodecTest {
  private static final int CURRENT_ID = 7;
  private static final Reason REASON = new Reason("acme", 3L, "Item not available in store");

  /** A writer that had one more field than the current Reason: its readers skip it. */
  private static final Schema WITH_NOTE = new Schema.Parser().parse("""
      {"type":"record","name":"Reason","namespace":"io.lms.schema","fields":[
        {"name":"orgId","type":"string"},{"name":"id","type":"long"},{"name":"reason","type":"string"},
        {"name":"note","type":"string"}]}""");
  private static final int WITH_NOTE_ID = 12;

  private final List<Integer> asked = new ArrayList<>();
  private final Map<Integer, Schema> registry = Map.of(CURRENT_ID, Reason.getClassSchema(), WITH_NOTE_ID, WITH_NOTE);
  private final ConfluentCodec<Reason> codec = ConfluentCodec.of(Reason.class, id -> {
    asked.add(id);
    Schema schema = registry.get(id);
    if (schema == null) {
      throw new CodecException("no schema has id " + id);
    }
    return schema;
  });

  @Test
  void writesZeroTheBigEndianIdAndTheAvroBinary() {
    byte[] bytes = codec.encode(REASON, 0x01020304);

    assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
    assertThat(ConfluentCodec.schemaIdOf(bytes)).isEqualTo(0x01020304);
    // The body is the binary record that single-object encoding carries behind its own header.
    byte[] singleObject = SingleObjectCodec.of(Reason.class).encode(REASON);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
        .isEqualTo(Arrays.copyOfRange(singleObject, SingleObjectCodec.HEADER_LENGTH, singleObject.length));
  }

  @Test
  void roundTripsThroughTheRegistryAskingOncePerId() {
    byte[] bytes = codec.encode(REASON, CURRENT_ID);

    assertThat(codec.decode(bytes)).isEqualTo(REASON);
    assertThat(codec.decode(bytes)).isEqualTo(REASON);
    assertThat(asked).containsExactly(CURRENT_ID);
  }

  @Test
  void readsItsOwnIdWithoutAskingTheRegistry() {
    ConfluentCodec<Reason> knowing = ConfluentCodec.of(Reason.class, CURRENT_ID, id -> {
      throw new AssertionError("asked for " + id);
    });

    assertThat(knowing.decode(codec.encode(REASON, CURRENT_ID))).isEqualTo(REASON);
  }

  @Test
  void reframesASingleObjectEncodingIntoTheSameBytesAsEncoding() {
    byte[] singleObject = SingleObjectCodec.of(Reason.class).encode(REASON);

    assertThat(ConfluentCodec.reframe(singleObject, CURRENT_ID)).isEqualTo(codec.encode(REASON, CURRENT_ID));
  }

  @Test
  void readsAnotherWritersSchemaByAvroSchemaResolution() throws IOException {
    GenericRecord written = new GenericData.Record(WITH_NOTE);
    written.put("orgId", "acme");
    written.put("id", 3L);
    written.put("reason", "Item not available in store");
    written.put("note", "dropped by the reader");

    assertThat(codec.decode(framed(WITH_NOTE_ID, WITH_NOTE, written))).isEqualTo(REASON);
  }

  @Test
  void refusesAWriterSchemaTheCurrentOneCannotRead() throws IOException {
    Schema other = new Schema.Parser().parse("""
        {"type":"record","name":"Reason","namespace":"io.lms.schema","fields":[{"name":"id","type":"long"}]}""");
    ConfluentCodec<Reason> codec = ConfluentCodec.of(Reason.class, id -> other);
    GenericRecord written = new GenericData.Record(other);
    written.put("id", 3L);

    assertThatThrownBy(() -> codec.decode(framed(40, other, written)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("schema id 40")
        .hasMessageContaining("orgId");
  }

  @Test
  void refusesShortBuffersAndOtherFirstBytesSayingWhy() {
    for (int length = 0; length < ConfluentCodec.HEADER_LENGTH; length++) {
      byte[] bytes = new byte[length];
      assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(CodecException.class)
          .hasMessageContaining("Cannot decode Reason").hasMessageContaining(length + " bytes");
    }
    assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(CodecException.class).hasMessageContaining("null");
    byte[] singleObject = SingleObjectCodec.of(Reason.class).encode(REASON);
    assertThatThrownBy(() -> codec.decode(singleObject)).isInstanceOf(CodecException.class)
        .hasMessageContaining("first byte is 0xC3");
    assertThat(asked).isEmpty();
  }

  @Test
  void refusesAnUnknownIdAndAsksAgainNextTime() {
    byte[] bytes = codec.encode(REASON, 99);

    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(CodecException.class).hasMessageContaining("99");
    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(CodecException.class);
    // Not remembered: an id registered a moment later is found then.
    assertThat(asked).containsExactly(99, 99);
  }

  @Test
  void withoutARegistryEveryIdIsUnknownAndTheMessageSaysWhy() {
    ConfluentCodec<Reason> alone = ConfluentCodec.of(Reason.class, ConfluentCodec.NO_REGISTRY);

    assertThatThrownBy(() -> alone.decode(codec.encode(REASON, 5))).isInstanceOf(CodecException.class)
        .hasMessageContaining("schema id 5").hasMessageContaining("no schema registry is configured");
  }

  @Test
  void passesOnARegistryThatCannotBeAskedNow() {
    var down = new SchemaUnavailableException("registry at http://127.0.0.1:1 did not answer", null);
    ConfluentCodec<Reason> codec = ConfluentCodec.of(Reason.class, id -> {
      throw down;
    });

    assertThatThrownBy(() -> codec.decode(this.codec.encode(REASON, 5))).isSameAs(down);
  }

  @Test
  void refusesTruncatedAndCorruptBodies() {
    byte[] valid = codec.encode(REASON, CURRENT_ID);

    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(valid, valid.length - 3)))
        .isInstanceOf(CodecException.class).hasMessageContaining("schema id " + CURRENT_ID);
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(valid, ConfluentCodec.HEADER_LENGTH)))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void refusesAHugeLengthBeforeAllocatingIt() throws IOException {
    // A known id and a string length of 2e9: without Avro's limits that is a 2 GB allocation.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(codec.encode(REASON, CURRENT_ID), ConfluentCodec.HEADER_LENGTH));
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    encoder.writeLong(2_000_000_000L);
    encoder.flush();

    assertThatThrownBy(() -> codec.decode(out.toByteArray()))
        .isInstanceOf(CodecException.class).hasRootCauseInstanceOf(SystemLimitException.class);
  }

  private static byte[] framed(int id, Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, 0, 0, 0, (byte) id});
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
