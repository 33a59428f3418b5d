package io.lms.topology;

import io.lms.command.json.CommandEnvelope;
import io.lms.command.json.InvalidCommandEnvelopeException;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.schema.codec.SchemaUnavailableException;
import io.lms.schema.codec.SingleObjectCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a value of {@code lms.lead-commands}, in any form a producer may send, told apart by its
 * first byte: Avro single-object encoding starts with {@code C3} (its marker is {@code C3 01}),
 * Confluent's framing with {@code 00} (then a schema id, resolved through the schema registry), a
 * JSON command envelope with <code>{</code> or the whitespace JSON allows before it. No JSON text
 * that is an object starts with {@code C3} or {@code 00}, and neither Avro form with <code>{</code>,
 * so the first byte decides without guessing, and JSON costs an Avro command nothing.
 *
 * <p>Bytes of neither form, or of either form that cannot be read (an unknown schema, a truncated
 * record, JSON that is no envelope), come out as {@link ReceivedCommand.Unread}, which throws
 * its {@link SerializationException} in the first processor: the processing exception handler then
 * sends the record to the dead-letter topic. Not the deserialization exception handler: Kafka
 * Streams 4.4 sends its dead letter when it reads the record, but counts the record consumed only
 * when it is processed, so a commit in between (a rebalance, a shutdown) commits the dead letter
 * without the input offset, and the record is dead-lettered again by the next owner. From inside
 * processing, the dead letter and the offset commit together.
 *
 * <p>A Confluent-framed command whose schema the registry could not be asked for now comes out as
 * {@link ReceivedCommand.Unread} too: not the command's fault, so it fails the stream thread
 * and is read again, rather than dead-lettered. Without a registry, such a command is undecodable.
 */
final class CommandDeserializer implements Deserializer<ReceivedCommand> {
  private static final byte AVRO_MARKER = (byte) 0xC3;

  private final SingleObjectCodec<LeadCommand> avro = SingleObjectCodec.of(LeadCommand.class);
  private final ConfluentCodec<LeadCommand> confluent;

  /** @param registry resolves the schema ids of Confluent-framed commands */
  CommandDeserializer(ConfluentCodec.WriterSchemas registry) {
    this.confluent = ConfluentCodec.of(LeadCommand.class, registry);
  }

  @Override
  public ReceivedCommand deserialize(String topic, byte[] bytes) {
    try {
      return read(bytes);
    } catch (SerializationException | SchemaUnavailableException e) {
      return new ReceivedCommand.Unread(e);
    }
  }

  private ReceivedCommand read(byte[] bytes) {
    if (bytes == null) {
      throw new SerializationException("A LeadCommand cannot be null");
    }
    if (bytes.length > 0 && bytes[0] == AVRO_MARKER) {
      try {
        return new ReceivedCommand.Avro(avro.decode(bytes), bytes);
      } catch (RuntimeException e) {
        throw new SerializationException(e.getMessage(), e);
      }
    }
    if (ConfluentCodec.isFramed(bytes)) {
      try {
        return new ReceivedCommand.Avro(confluent.decode(bytes), bytes);
      } catch (SchemaUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new SerializationException(e.getMessage(), e);
      }
    }
    if (startsAsJson(bytes)) {
      try {
        return new ReceivedCommand.Json(CommandEnvelope.parse(bytes), bytes);
      } catch (InvalidCommandEnvelopeException e) {
        throw new SerializationException("Cannot read a JSON command envelope: " + e.getMessage(), e);
      }
    }
    throw new SerializationException("Cannot decode LeadCommand: neither Avro single-object encoding (C3 01),"
        + " Confluent's framing (00) nor a JSON command envelope ({), " + bytes.length + " bytes");
  }

  private static boolean startsAsJson(byte[] bytes) {
    for (byte b : bytes) {
      switch (b) {
        case ' ', '\t', '\n', '\r' -> {
          // JSON allows whitespace before the value
        }
        case '{' -> {
          return true;
        }
        default -> {
          return false;
        }
      }
    }
    return false;
  }
}
