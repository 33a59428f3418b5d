package io.lms.connect.outbox;

import io.lms.command.json.CommandEnvelope;
import io.lms.command.json.InvalidCommandEnvelopeException;
import io.lms.domain.Rejection;
import io.lms.schema.LeadCommand;
import java.time.Clock;

/**
 * Reads the payload of an outbox row into a {@link LeadCommand}: a {@link CommandEnvelope}, the
 * JSON form of a command that {@code lms.lead-commands} takes too, read by the same code.
 *
 * <pre>{@code
 * {"commandId": "crm-42:0001", "org": "demo", "actorId": 7, "kind": "ChangeStatus", "leadId": 1,
 *  "issuedAt": "2026-11-27T10:00:00Z", "body": {"status": "LOST", "reasonId": 2}}
 * }</pre>
 *
 * Unlike LMS, which answers a command it refuses with a rejection on {@code lms.command-results},
 * the converter must produce Avro, so a row it cannot turn into a command is refused here whole.
 * {@code issuedAt} is optional: the time of conversion when absent.
 */
public final class OutboxCommand {
  private OutboxCommand() {}

  /**
   * @throws InvalidOutboxCommandException when the envelope or its body cannot be a command
   */
  public static LeadCommand read(byte[] json, Clock clock) {
    CommandEnvelope envelope;
    try {
      envelope = CommandEnvelope.parse(json);
    } catch (InvalidCommandEnvelopeException e) {
      throw new InvalidOutboxCommandException(e.getMessage());
    }
    try {
      return envelope.toCommand(clock.instant());
    } catch (Rejection e) {
      var error = e.errors().get(0);
      throw new InvalidOutboxCommandException(
          "command " + envelope.commandId() + ": " + error.getCode() + " " + error.getMessage());
    }
  }
}
