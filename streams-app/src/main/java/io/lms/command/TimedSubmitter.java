package io.lms.command;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Sends commands through {@code committed}, then waits for {@code visible}, and times both waits
 * of each write ({@code lms.writes.wait} on {@code /metrics}, by {@code until}):
 * <ul>
 *   <li>{@code committed}: from the send until this instance read the committed result: the
 *       command's produce, its wait for the stream thread, its processing, the transaction's commit
 *       and the result's way back;
 *   <li>{@code visible}: from then until this instance's stores show the write (read-your-writes).
 * </ul>
 * The first is where a write's time goes; Kafka Streams' own metrics split it further (the
 * stream threads' {@code commit-latency}, the producers' {@code txn-*-time-ns-total}).
 */
public final class TimedSubmitter implements CommandSubmitter {
  static final String METER = "lms.writes.wait";

  private final CommandSubmitter committed;
  private final Function<CommandResult, CompletionStage<CommandResult>> visible;
  private final Timer untilCommitted;
  private final Timer untilVisible;
  private final LongSupplier nanoClock;

  public TimedSubmitter(CommandSubmitter committed, Function<CommandResult, CompletionStage<CommandResult>> visible,
      MeterRegistry metrics) {
    this(committed, visible, metrics, System::nanoTime);
  }

  TimedSubmitter(CommandSubmitter committed, Function<CommandResult, CompletionStage<CommandResult>> visible,
      MeterRegistry metrics, LongSupplier nanoClock) {
    this.committed = committed;
    this.visible = visible;
    this.untilCommitted = timer(metrics, "committed", "From a write's send until its committed result was read here");
    this.untilVisible = timer(metrics, "visible", "From a write's committed result until this instance's stores show it");
    this.nanoClock = nanoClock;
  }

  private static Timer timer(MeterRegistry metrics, String until, String description) {
    return Timer.builder(METER).tag("until", until).description(description).publishPercentileHistogram()
        .register(metrics);
  }

  @Override
  public CompletableFuture<CommandResult> submit(LeadCommand command, Duration timeout) {
    long sent = nanoClock.getAsLong();
    // Only answered writes count: a timeout or a refusal says nothing of the path's speed.
    return committed.submit(command, timeout).thenCompose(result -> {
      long read = nanoClock.getAsLong();
      untilCommitted.record(read - sent, TimeUnit.NANOSECONDS);
      return visible.apply(result).thenApply(shown -> {
        untilVisible.record(nanoClock.getAsLong() - read, TimeUnit.NANOSECONDS);
        return shown;
      });
    });
  }
}
