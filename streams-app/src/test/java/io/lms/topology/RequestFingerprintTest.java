package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
import io.lms.schema.codec.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {
  static {
    // Trusts LMS's generated classes, as every LMS process has done before it reads a command.
    SingleObjectCodec.of(LeadCommand.class);
  }

  private static final CreateLead CREATE = CreateLead.newBuilder()
      .setType("SKU").setLeadFor("item001").setIdType("EMAIL").setIdentifier("tom.sawyer@example.com")
      .setStatus("OPEN").setExtendedFields(Map.of("trial_status", "Not Done")).build();

  /**
   * Results remember the fingerprint of their request, so a retry after an upgrade must still
   * match: the fingerprint is pinned to its definition, computed here by Avro's generic writer
   * and the JDK alone.
   */
  @Test
  void isTheFirstSixteenBytesOfTheSha256OfTheTypeNameAndTheAvroEncoding() throws Exception {
    assertThat(RequestFingerprint.of(CREATE)).isEqualTo(byDefinition(CREATE));
    RecordFollowUp followUp = new RecordFollowUp(7L, "2026-12-04T10:00:00Z", 12L, 12L, null, "called", null);
    assertThat(RequestFingerprint.of(followUp)).isEqualTo(byDefinition(followUp));
  }

  @Test
  void tellsAnotherRequestFromARetry() {
    CreateLead other = CreateLead.newBuilder(CREATE).setLeadFor("item002").build();

    assertThat(RequestFingerprint.differ(RequestFingerprint.of(CREATE), RequestFingerprint.of(CreateLead.newBuilder(CREATE).build())))
        .isFalse();
    assertThat(RequestFingerprint.differ(RequestFingerprint.of(CREATE), RequestFingerprint.of(other))).isTrue();
    assertThat(RequestFingerprint.differ(null, RequestFingerprint.of(other))).as("unknown counts as the same").isFalse();
  }

  private static ByteBuffer byDefinition(SpecificRecord payload) throws Exception {
    GenericRecord generic = (GenericRecord) GenericData.get().deepCopy(payload.getSchema(), payload);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(payload.getSchema()).write(generic, encoder);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(payload.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(bytes.toByteArray());
    return ByteBuffer.wrap(Arrays.copyOf(sha256.digest(), 16));
  }
}
