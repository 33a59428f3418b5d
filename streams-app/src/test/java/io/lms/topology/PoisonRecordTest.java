package io.lms.topology;

import static io.lms.topology.LeadCommandTopologyTest.lead;
import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadCommand;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records that are no command (neither Avro nor a JSON command envelope, or Confluent-framed Avro
 * with no registry to resolve its schema id) are passed over and the
 * commands after them are applied. The dead-letter records they become are checked against a real
 * broker in {@code LeadCommandsIT}: TopologyTestDriver 4.4 does not produce them.
 */
class PoisonRecordTest {
  private final TopologyFixture lms = new TopologyFixture();
  private final Commands acme = new Commands("acme");

  @AfterEach
  void close() {
    lms.close();
  }

  private void thenNothingWasAppliedAndTheNextCommandIs() {
    assertThat(lms.results.isEmpty()).isTrue();
    assertThat(lms.events.isEmpty()).isTrue();
    LeadCommand next = acme.create(Commands.lead("after@example.com"));
    assertThat(lead(lms.send(next)).getId()).isEqualTo(1L);
  }

  private byte[] encoded(LeadCommand command) {
    return lms.topics.commands().valueSerde().serializer().serialize("lms.lead-commands", command);
  }

  @Test
  void bytesThatAreNeitherAvroNorJsonArePassedOver() {
    lms.rawCommands.pipeInput("acme", "not a command".getBytes(StandardCharsets.UTF_8));
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void jsonThatIsNoCommandEnvelopeIsPassedOver() {
    lms.rawCommands.pipeInput("acme", "{\"leadFor\":\"a request body without its envelope\"}".getBytes(StandardCharsets.UTF_8));
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void anEnvelopeCutShortIsPassedOver() {
    lms.rawCommands.pipeInput("acme", "{\"commandId\":\"c1\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\",\"body\":{"
        .getBytes(StandardCharsets.UTF_8));
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void aTruncatedCommandIsPassedOver() {
    byte[] whole = encoded(acme.create(Commands.lead("a@example.com")));
    lms.rawCommands.pipeInput("acme", Arrays.copyOf(whole, whole.length / 2));
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void aCommandWrittenWithAnUnknownSchemaIsPassedOver() {
    byte[] whole = encoded(acme.create(Commands.lead("a@example.com")));
    whole[2] ^= 0x5A; // a fingerprint no released schema has
    lms.rawCommands.pipeInput("acme", whole);
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void aConfluentFramedCommandWithoutARegistryIsPassedOver() {
    byte[] framed = io.lms.schema.codec.ConfluentCodec.of(LeadCommand.class, io.lms.schema.codec.ConfluentCodec.NO_REGISTRY)
        .encode(acme.create(Commands.lead("a@example.com")), 1);
    lms.rawCommands.pipeInput("acme", framed);
    thenNothingWasAppliedAndTheNextCommandIs();
  }

  @Test
  void aNullCommandIsPassedOver() {
    lms.rawCommands.pipeInput("acme", (byte[]) null);
    thenNothingWasAppliedAndTheNextCommandIs();
  }
}
