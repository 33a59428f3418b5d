package io.lms.cli;

import io.lms.command.CommandSubmitter;
import io.lms.domain.ErrorCode;
import io.lms.domain.CommandIds;
import io.lms.domain.Limits;
import io.lms.domain.Rejection;
import io.lms.schema.ApiError;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.Rejected;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns JSON lines into commands and sends them, each with a commandId made of the import's id
 * prefix and the line number, so that sending the same file again changes nothing and yields the
 * first outcomes. A line that is not a valid request body is counted as malformed and never sent.
 *
 * <p>At most {@code maxInFlight} commands wait for their results at once: that bounds memory
 * whatever the file's size and keeps an import from flooding the service. Once a result is overdue
 * no more lines are sent: with no service answering, every further line would only wait out its
 * own timeout too, and running the same file again later picks up where this run stopped.
 */
final class BulkImport {
  /** The HTTP API's body limit: a line is one request body. */
  static final int MAX_LINE_BYTES = 256 * 1024;

  private final CommandSubmitter commands;
  private final ImportKind kind;
  private final String orgId;
  private final long actorId;
  private final String idPrefix;
  private final Clock clock;
  private final Duration timeout;
  private final int maxInFlight;

  /** Where the lines that were not accepted go, verbatim, to be fixed and imported again. */
  @FunctionalInterface
  interface RejectedLines {
    RejectedLines NONE = (line, text) -> {};

    void add(long line, String text);
  }

  BulkImport(CommandSubmitter commands, ImportKind kind, String orgId, long actorId, String idPrefix, Clock clock,
      Duration timeout, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive");
    }
    this.commands = Objects.requireNonNull(commands);
    this.kind = Objects.requireNonNull(kind);
    this.orgId = Objects.requireNonNull(orgId);
    this.actorId = actorId;
    this.idPrefix = Objects.requireNonNull(idPrefix);
    this.clock = Objects.requireNonNull(clock);
    this.timeout = Objects.requireNonNull(timeout);
    this.maxInFlight = maxInFlight;
  }

  /** The commandId of a line: stable across runs of the same file. */
  static String commandId(String idPrefix, long line) {
    return idPrefix + ":" + line;
  }

  /**
   * An id prefix from a file name: the characters an Idempotency-Key allows, short enough to leave
   * room for any line number within the commandId limit.
   */
  static String idPrefixOf(String fileName) {
    String cleaned = fileName.replaceAll("[^A-Za-z0-9_.:-]", "_");
    int room = CommandIds.MAX_LENGTH - 20;
    return cleaned.length() > room ? cleaned.substring(cleaned.length() - room) : cleaned;
  }

  /** The command one line becomes, or a {@link Rejection} saying why it cannot be sent. */
  LeadCommand toCommand(long line, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (body.length > MAX_LINE_BYTES) {
      throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE, MAX_LINE_BYTES);
    }
    Object payload = kind.toPayload(body);
    return new LeadCommand(commandId(idPrefix, line), orgId, actorId, clock.instant(), payload);
  }

  /** Reads every line, sends the valid ones and returns once each has an outcome or timed out. */
  void run(BufferedReader lines, ImportTally tally, RejectedLines rejects) throws IOException, InterruptedException {
    var inFlight = new Semaphore(maxInFlight);
    var overdue = new AtomicBoolean();
    long number = 0;
    for (String text = lines.readLine(); text != null; text = lines.readLine()) {
      number++;
      if (overdue.get()) {
        tally.stopped(number);
        break;
      }
      tally.lineRead();
      if (number == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte-order mark some editors write
      }
      if (text.isBlank()) {
        tally.blank();
        continue;
      }
      LeadCommand command;
      try {
        command = toCommand(number, text);
      } catch (Rejection e) {
        ApiError error = e.errors().get(0);
        tally.malformed(number, error.getCode(), error.getMessage());
        rejects.add(number, text);
        continue;
      }
      inFlight.acquire();
      send(number, text, command, tally, rejects, overdue).whenComplete((ignored, failure) -> inFlight.release());
    }
    inFlight.acquire(maxInFlight);
  }

  private CompletableFuture<Void> send(long line, String text, LeadCommand command, ImportTally tally,
      RejectedLines rejects, AtomicBoolean overdue) {
    CompletableFuture<CommandResult> outcome;
    try {
      outcome = commands.submit(command, timeout);
    } catch (RuntimeException e) {
      tally.unknown(line, "not sent: " + e.getMessage());
      rejects.add(line, text);
      return CompletableFuture.completedFuture(null);
    }
    tally.sent();
    return outcome.handle((result, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
          overdue.set(true);
        }
        tally.unknown(line, cause instanceof TimeoutException
            ? "no result within " + timeout.toSeconds() + " s"
            : "not sent: " + cause.getMessage());
        rejects.add(line, text);
      } else if (result.getOutcome() instanceof Rejected rejected) {
        ApiError first = rejected.getErrors().isEmpty() ? new ApiError(0, "rejected") : rejected.getErrors().get(0);
        tally.rejected(line, first.getCode(), first.getMessage());
        rejects.add(line, text);
      } else {
        tally.accepted();
      }
      return null;
    });
  }
}
