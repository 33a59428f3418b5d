package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Reason;
import io.lms.schema.codec.CodecException;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What {@code lms tail} makes of a value: either Avro form, Confluent's through the registry the topics were given. */
class TopicRecordsTest {
  private static final Reason REASON = new Reason("acme", 1L, "Bought elsewhere");
  private static final ConfluentCodec.WriterSchemas REGISTRY = id -> {
    if (id != 5) {
      throw new CodecException("Schema registry http://sr has no schema with id " + id);
    }
    return Reason.getClassSchema();
  };

  private final TopicRecords records = new TopicRecords("lms.", LmsTopics.withPrefix("lms.").readingThrough(REGISTRY));

  @Test
  void decodesConfluentFramingThroughTheRegistryAndSingleObjectEncodingAlike() {
    byte[] confluent = ConfluentCodec.of(Reason.class, REGISTRY).encode(REASON, 5);
    byte[] singleObject = SingleObjectCodec.of(Reason.class).encode(REASON);

    assertThat(records.decode("lms.reasons", confluent)).isEqualTo(REASON);
    assertThat(records.decode("lms.reasons", singleObject)).isEqualTo(REASON);
  }

  @Test
  void showsAnUnknownIdAsUndecodableWithTheRegistrysAnswer() {
    byte[] unknown = ConfluentCodec.of(Reason.class, REGISTRY).encode(REASON, 6);

    String line = TailCommand.json(new ConsumerRecord<>("lms.reasons", 0, 0L, "acme:1".getBytes(), unknown), records);

    assertThat(line).contains("\"value\":null").contains("no schema with id 6").contains("valueBase64");
  }

  @Test
  void withoutARegistryConfluentFramingIsUndecodableSayingWhy() {
    var plain = new TopicRecords("lms.", LmsTopics.withPrefix("lms.").readingThrough(ConfluentCodec.NO_REGISTRY));
    byte[] confluent = ConfluentCodec.of(Reason.class, REGISTRY).encode(REASON, 5);

    String line = TailCommand.json(new ConsumerRecord<>("lms.reasons", 0, 0L, "acme:1".getBytes(), confluent), plain);

    assertThat(line).contains("schema id 5, and no schema registry is configured");
  }
}
