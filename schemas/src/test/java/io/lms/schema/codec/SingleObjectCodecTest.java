package io.lms.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadState;
import io.lms.schema.LeadStatus;
import io.lms.schema.LeadType;
import io.lms.schema.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
  private final SingleObjectCodec<Reason> codec = SingleObjectCodec.of(Reason.class);

  @Test
  void roundTripsARecordInSingleObjectEncoding() {
    Reason reason = new Reason("acme", 3L, "Item not available in store");

    byte[] bytes = codec.encode(reason);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(codec.decode(bytes)).isEqualTo(reason);
  }

  @Test
  void writesExactlyTheBytesOfAvrosOwnSingleObjectEncoder() throws IOException {
    Reason reason = new Reason("acme", 42L, "Best price available at another store");
    java.nio.ByteBuffer avros = Reason.getEncoder().encode(reason);
    byte[] expected = new byte[avros.remaining()];
    avros.get(expected);

    assertThat(codec.encode(reason)).isEqualTo(expected);
    assertThat(codec.encode(new Reason("b", 1L, ""))).isEqualTo(Reason.getEncoder().encode(new Reason("b", 1L, "")).array());
  }

  @Test
  void readsDataWrittenWithAnOlderSchemaVersionKnownToTheCodec() throws IOException {
    // An older Reason without the orgId field: only a codec that knows it can read its data.
    Schema older = new Schema.Parser().parse("""
        {"type":"record","name":"Reason","namespace":"io.lms.schema","fields":[
          {"name":"id","type":"long"},{"name":"reason","type":"string"}]}""");
    GenericRecord old = new GenericData.Record(older);
    old.put("id", 7L);
    old.put("reason", "Bought elsewhere");
    byte[] bytes = singleObject(older, old);

    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(CodecException.class)
        .hasMessageContaining("Cannot resolve schema for fingerprint");
    // A reader that gives the added field a default can read it once it knows the older schema.
    Schema readerWithDefault = new Schema.Parser().parse("""
        {"type":"record","name":"Reason","namespace":"io.lms.schema","fields":[
          {"name":"orgId","type":"string","default":""},
          {"name":"id","type":"long"},{"name":"reason","type":"string"}]}""");
    org.apache.avro.message.BinaryMessageDecoder<GenericRecord> decoder =
        new org.apache.avro.message.BinaryMessageDecoder<>(GenericData.get(), readerWithDefault);
    decoder.addSchema(older);
    GenericRecord read = decoder.decode(bytes);
    assertThat(read.get("id")).isEqualTo(7L);
    assertThat(read.get("orgId").toString()).isEmpty();
  }

  @Test
  void refusesBytesThatAreNotASingleObjectRecord() {
    assertThatThrownBy(() -> codec.decode("not avro".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class).hasMessageContaining("Cannot decode Reason");
    byte[] valid = codec.encode(new Reason("acme", 1L, "r"));
    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(valid, valid.length - 2))).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(CodecException.class);
  }

  @Test
  void refusesAHugeLengthBeforeAllocatingIt() throws IOException {
    // Found by CommandFuzzTest: a known header and a string length of 2e9 made Avro allocate 2 GB.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Arrays.copyOf(codec.encode(new Reason("acme", 1L, "r")), 10));
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    encoder.writeLong(2_000_000_000L);
    encoder.flush();

    assertThatThrownBy(() -> codec.decode(out.toByteArray()))
        .isInstanceOf(CodecException.class).hasRootCauseInstanceOf(SystemLimitException.class);
  }

  private static byte[] singleObject(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xC3, 0x01});
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    for (int i = 0; i < 8; i++) {
      out.write((int) (fingerprint >>> (8 * i)));
    }
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void copiesTheBytesOfANestedRecordItWasGivenAndWritesTheSameEncoding() {
    SingleObjectCodec<LeadState> leads = SingleObjectCodec.of(LeadState.class);
    SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
    LeadState lead = lead(7L, "Mobile");
    byte[] leadBytes = leads.encode(lead);
    CommandResult result = new CommandResult("c-1", "acme", Instant.ofEpochMilli(1_000L),
        new Accepted(lead, List.of(new Reason("acme", 1L, "r")), null), null);

    byte[] copied = results.encode(result, nested -> nested == lead ? leadBytes : null);

    assertThat(copied).isEqualTo(results.encode(result));
    assertThat(results.decode(copied)).isEqualTo(result);
  }

  @Test
  void copiesWhatItWasGivenWithoutLookingAtTheRecord() {
    // Identity is the caller's promise: given another lead's bytes, the codec writes those. This
    // shows the copy is taken (and why a record must not change once its bytes are handed out).
    SingleObjectCodec<LeadState> leads = SingleObjectCodec.of(LeadState.class);
    SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
    LeadState lead = lead(7L, "Mobile");
    byte[] otherBytes = leads.encode(lead(8L, "Laptop"));
    CommandResult result = new CommandResult("c-1", "acme", Instant.ofEpochMilli(1_000L),
        new Accepted(lead, List.of(), null), null);

    byte[] copied = results.encode(result, nested -> nested == lead ? otherBytes : null);

    Accepted decoded = (Accepted) results.decode(copied).getOutcome();
    assertThat(decoded.getLead()).isEqualTo(lead(8L, "Laptop"));
    assertThat(results.decode(results.encode(result))).isEqualTo(result);
  }

  private static LeadState lead(long id, String leadFor) {
    return new LeadState("acme", id, 5L, LeadType.SKU, leadFor, LeadStatus.OPEN, null,
        "2026-11-27 10:00:00", null, "2026-11-27 09:00:00", 2L, "2026-11-27 09:00:00", 2L, 1_000L,
        null, -1L, Map.of("color", "red"), new ArrayList<>(), new ArrayList<>());
  }
}
