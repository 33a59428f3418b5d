package io.lms.topology;

import io.lms.command.json.CommandEnvelope;
import io.lms.domain.Rejection;
import io.lms.schema.LeadCommand;
import io.lms.schema.codec.SchemaUnavailableException;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A value of {@code lms.lead-commands} as it arrived: a {@link LeadCommand} in Avro (single-object
 * encoding or Confluent's framing), or the JSON {@link CommandEnvelope} of one. Either way it knows its org and commandId
 * before the command itself is read, so that a command whose JSON body the API would refuse still
 * gets its rejection, in its org's task, under its commandId.
 *
 * <p>Or a value that was not read ({@link Unread}), which fails the first processor that reads
 * it, so that undecodable bytes reach the dead-letter topic from inside processing (see
 * {@link CommandDeserializer}).
 */
sealed interface ReceivedCommand
    permits ReceivedCommand.Avro, ReceivedCommand.Json, ReceivedCommand.Unread {
  String orgId();

  String commandId();

  /** The value as it arrived: a command moved to its org's partition travels unchanged. */
  byte[] bytes();

  /**
   * The command.
   *
   * @param recordTime the record's timestamp: the command's time when JSON gives none, so that a
   *     replay stamps the same times
   * @throws Rejection with the API's code when JSON the API would refuse
   */
  LeadCommand command(Instant recordTime);

  /** A command in Avro, decoded whole on arrival. */
  record Avro(LeadCommand decoded, byte[] bytes) implements ReceivedCommand {
    @Override
    public String orgId() {
      return decoded.getOrgId();
    }

    @Override
    public String commandId() {
      return decoded.getCommandId();
    }

    @Override
    public LeadCommand command(Instant recordTime) {
      return decoded;
    }
  }

  /** A command as JSON: the envelope read on arrival, its body when the command is applied. */
  record Json(CommandEnvelope envelope, byte[] bytes) implements ReceivedCommand {
    @Override
    public String orgId() {
      return envelope.org();
    }

    @Override
    public String commandId() {
      return envelope.commandId();
    }

    @Override
    public LeadCommand command(Instant recordTime) {
      return envelope.toCommand(recordTime);
    }
  }

  /**
   * A value that was not read: bytes no reader of commands can read (a {@link SerializationException}),
   * or a Confluent-framed command whose writer's schema the registry could not be asked for (a
   * {@link SchemaUnavailableException}). Every accessor throws the reason, so that the first
   * processor that touches it fails before it writes anything; {@link LmsProcessingExceptionHandler}
   * then sends undecodable bytes, as they arrived, to the dead-letter topic, and fails the stream
   * thread for a schema it could not get, so that the replacing thread reads the command again
   * instead of dead-lettering it for a fault that is not its own.
   */
  record Unread(RuntimeException reason) implements ReceivedCommand {
    @Override
    public String orgId() {
      throw reason;
    }

    @Override
    public String commandId() {
      throw reason;
    }

    @Override
    public byte[] bytes() {
      throw reason;
    }

    @Override
    public LeadCommand command(Instant recordTime) {
      throw reason;
    }
  }
}
