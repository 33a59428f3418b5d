package io.lms.runtime;

import io.lms.schema.codec.SchemaUnavailableException;
import io.lms.topology.CommandPartitionsChangedException;
import io.lms.topology.HalfAppliedCommandException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed stream thread leads to. Most failures pass (a broker gone for a while, a fenced
 * producer): the thread is replaced. One does not: partitions added to the command topic. Every
 * org would move to another partition, away from its state, so Kafka Streams refuses the new layout
 * at each rebalance (the changelogs keep the old count) and a replaced thread would fail again for
 * ever, while the instance still reported itself ready. Then every instance of the application
 * stops instead, saying why. A cluster that refuses this instance's credentials stops it too. A
 * command that failed part-way ({@link HalfAppliedCommandException}) fails its thread on purpose:
 * that is how its writes are aborted; so does a command whose schema the registry could not give
 * ({@link SchemaUnavailableException}): the replacing thread reads it again.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);

  private final String commandTopic;
  private final int startedWith;
  private final IntSupplier currentPartitions;
  private final Consumer<Thread> replaced;

  /**
   * @param startedWith the partitions the command topic had when this instance started
   * @param currentPartitions the partitions it has now (asked only when a thread failed); a
   *     negative number when they cannot be told
   * @param replaced told of each stream thread that is to be replaced, on that thread
   */
  StreamThreadFailures(String commandTopic, int startedWith, IntSupplier currentPartitions, Consumer<Thread> replaced) {
    this.commandTopic = commandTopic;
    this.startedWith = startedWith;
    this.currentPartitions = currentPartitions;
    this.replaced = replaced;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable failure) {
    var refused = KafkaAuthenticationFailure.in(failure);
    if (refused.isPresent()) {
      // A replaced thread would be refused again: the credentials must change first.
      log.error("Kafka Streams stops: {}", refused.get().getMessage());
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    int now = grownTo(failure);
    if (now > startedWith) {
      log.error("The command topic {} has {} partitions, and the state of LMS was built for {}: orgs would move away"
              + " from their state. Kafka Streams refuses such a change, and LMS stops every instance of the application"
              + " rather than apply commands to the wrong state. Partitions of {} cannot be added: see the README,"
              + " \"For upstream producers\".",
          commandTopic, now, startedWith, commandTopic, failure);
      return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
    }
    Optional<HalfAppliedCommandException> halfApplied = causeOf(failure, HalfAppliedCommandException.class);
    Optional<SchemaUnavailableException> noSchema = causeOf(failure, SchemaUnavailableException.class);
    if (noSchema.isPresent()) {
      log.warn("A command's schema could not be read from the schema registry: {} The stream thread is replaced and"
          + " reads the command again", noSchema.get().getMessage());
    } else if (halfApplied.isPresent()) {
      // Not a fault of the thread: the way to abort a command's writes. No stack trace: the cause says it.
      log.warn("{} The stream thread is replaced and the command applied again from the last commit; a command that"
          + " fails part-way twice goes to the dead-letter topic", halfApplied.get().getMessage());
    } else {
      log.error("A stream thread failed; replacing it", failure);
    }
    replaced.accept(Thread.currentThread());
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** The first {@code type} among the failure and its causes. */
  private static <T extends Throwable> Optional<T> causeOf(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return Optional.of(type.cast(cause));
      }
    }
    return Optional.empty();
  }

  /** The partitions the topic has grown to, or 0 when it has not grown (or cannot be told). */
  private int grownTo(Throwable failure) {
    if (causeOf(failure, CommandPartitionsChangedException.class).isPresent()) {
      return Math.max(startedWith + 1, currentPartitions.getAsInt());
    }
    // Kafka Streams' own refusal (an internal topic with "invalid partitions") comes as a plain
    // StreamsException: the topic itself tells, whatever the message.
    int now = currentPartitions.getAsInt();
    return now > startedWith ? now : 0;
  }
}
