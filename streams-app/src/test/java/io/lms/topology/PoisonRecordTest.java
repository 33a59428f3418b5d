package io.lms.topology;

import static io.lms.topology.LeadCommandTopologyTest.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadCommand;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that cannot be decoded go to the dead-letter topic, and the commands after them are applied. */
class PoisonRecordTest {
  private final TopologyFixture lms = new TopologyFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header %s", name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private void thenTheNextCommandIsApplied() {
    LeadCommand next = acme.create(Commands.lead("after@example.com"));
    assertThat(lead(lms.send(next)).getId()).isEqualTo(1L);
  }

  @Test
  void bytesThatAreNotAvroGoToTheDeadLetterTopicWithTheReason() {
    byte[] garbage = "{\"leadFor\":\"json is not what this topic carries\"}".getBytes(StandardCharsets.UTF_8);
    lms.rawCommands.pipeInput("acme", garbage);

    List<TestRecord<byte[], byte[]>> dead = lms.drainDeadLetters();
    assertThat(dead).singleElement().satisfies(record -> {
      assertThat(record.value()).isEqualTo(garbage);
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("acme");
      assertThat(header(record, "__streams.errors.exception")).contains("SerializationException");
      assertThat(header(record, "__streams.errors.message")).contains("Cannot decode LeadCommand");
      assertThat(header(record, "__streams.errors.topic")).isEqualTo("lms.lead-commands");
    });
    assertThat(lms.results.isEmpty()).isTrue();
    thenTheNextCommandIsApplied();
  }

  @Test
  void aTruncatedCommandGoesToTheDeadLetterTopic() {
    byte[] whole = lms.topics.commands().valueSerde().serializer()
        .serialize("lms.lead-commands", acme.create(Commands.lead("a@example.com")));
    lms.rawCommands.pipeInput("acme", Arrays.copyOf(whole, whole.length / 2));

    assertThat(lms.drainDeadLetters()).singleElement()
        .satisfies(record -> assertThat(header(record, "__streams.errors.message")).contains("Cannot decode"));
    thenTheNextCommandIsApplied();
  }

  @Test
  void aCommandWrittenWithAnUnknownSchemaGoesToTheDeadLetterTopic() {
    byte[] whole = lms.topics.commands().valueSerde().serializer()
        .serialize("lms.lead-commands", acme.create(Commands.lead("a@example.com")));
    whole[2] ^= 0x5A; // a fingerprint no released schema has

    lms.rawCommands.pipeInput("acme", whole);

    assertThat(lms.drainDeadLetters()).hasSize(1);
    thenTheNextCommandIsApplied();
  }

  @Test
  void aNullCommandGoesToTheDeadLetterTopic() {
    lms.rawCommands.pipeInput("acme", (byte[]) null);

    assertThat(lms.drainDeadLetters()).singleElement()
        .satisfies(record -> assertThat(header(record, "__streams.errors.message")).contains("cannot be null"));
    thenTheNextCommandIsApplied();
  }
}
