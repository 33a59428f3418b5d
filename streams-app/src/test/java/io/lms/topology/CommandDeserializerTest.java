package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.LeadCommand;
import io.lms.schema.codec.CodecException;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SchemaUnavailableException;
import io.lms.schema.codec.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The forms of a command, told apart by the first byte. Confluent-framed commands are read through
 * the registry's lookup of writer schemas; against a real registry in {@code SchemaRegistryIT}.
 */
class CommandDeserializerTest {
  private static final int ID = 21;
  private final LeadCommand command = new Commands("acme").create(Commands.lead("a@example.com"));
  private final byte[] confluent = ConfluentCodec.of(LeadCommand.class, ConfluentCodec.NO_REGISTRY).encode(command, ID);

  @Test
  void readsConfluentFramingThroughTheRegistryAndKeepsTheBytesAsTheyCame() {
    var deserializer = new CommandDeserializer(id -> {
      assertThat(id).isEqualTo(ID);
      return LeadCommand.getClassSchema();
    });

    ReceivedCommand received = deserializer.deserialize("lms.lead-commands", confluent);

    assertThat(received).isEqualTo(new ReceivedCommand.Avro(command, confluent));
    assertThat(received.bytes()).isSameAs(confluent);
  }

  @Test
  void stillReadsSingleObjectEncodingAndJsonWithARegistry() {
    var deserializer = new CommandDeserializer(id -> {
      throw new AssertionError("asked the registry for " + id);
    });
    byte[] singleObject = SingleObjectCodec.of(LeadCommand.class).encode(command);
    byte[] json = "{\"commandId\":\"c1\",\"org\":\"acme\",\"actorId\":7,\"kind\":\"CreateLead\",\"body\":{}}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(deserializer.deserialize("t", singleObject)).isEqualTo(new ReceivedCommand.Avro(command, singleObject));
    assertThat(deserializer.deserialize("t", json)).isInstanceOf(ReceivedCommand.Json.class);
  }

  @Test
  void withoutARegistryAConfluentFramedCommandIsUndecodableAndSaysWhy() {
    ReceivedCommand received = new CommandDeserializer(ConfluentCodec.NO_REGISTRY).deserialize("t", confluent);

    assertThat(received).isInstanceOfSatisfying(ReceivedCommand.Unread.class, undecodable ->
        assertThat(undecodable.reason()).hasMessageContaining("schema id " + ID)
            .hasMessageContaining("no schema registry is configured"));
  }

  @Test
  void anIdTheRegistryDoesNotKnowOrAHeaderCutShortIsUndecodable() {
    var deserializer = new CommandDeserializer(id -> {
      throw new CodecException("Schema registry http://sr has no schema with id " + id);
    });

    assertThat(deserializer.deserialize("t", confluent)).isInstanceOfSatisfying(ReceivedCommand.Unread.class,
        undecodable -> assertThat(undecodable.reason()).hasMessageContaining("no schema with id " + ID));
    assertThat(deserializer.deserialize("t", Arrays.copyOf(confluent, 3))).isInstanceOfSatisfying(
        ReceivedCommand.Unread.class, undecodable -> assertThat(undecodable.reason()).hasMessageContaining("3 bytes"));
  }

  @Test
  void aRegistryThatCannotBeAskedLeavesTheCommandAwaitingItsSchema() {
    var down = new SchemaUnavailableException("Schema registry http://sr did not answer", null);

    ReceivedCommand received = new CommandDeserializer(id -> {
      throw down;
    }).deserialize("t", confluent);

    assertThat(received).isEqualTo(new ReceivedCommand.Unread(down));
    // The processing handler fails the thread on it rather than dead-lettering the command.
    assertThat(new LmsProcessingExceptionHandler().handleError(null, null, down).result())
        .isEqualTo(org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result.FAIL);
  }

  @Test
  void bytesOfNoFormAreUndecodableNamingTheForms() {
    ReceivedCommand received = new CommandDeserializer(ConfluentCodec.NO_REGISTRY).deserialize("t", new byte[] {5, 1, 2});

    assertThat(received).isInstanceOfSatisfying(ReceivedCommand.Unread.class, undecodable ->
        assertThat(undecodable.reason()).hasMessageContaining("C3 01").hasMessageContaining("Confluent's framing (00)"));
  }
}
