package io.lms.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.ConfigureReasons;
import io.lms.schema.LeadCommand;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each answered write is timed twice: until its committed result was read, and until it was visible. */
class TimedSubmitterTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong();
  private final LeadCommand command = new LeadCommand("c-1", "acme", 1L, NOW, new ConfigureReasons(List.of("r")));
  private final CommandResult result = new CommandResult("c-1", "acme", NOW, new Accepted(null, List.of(), null), null);

  @Test
  void timesTheWaitForTheResultAndThenForTheStores() throws Exception {
    CompletableFuture<CommandResult> committed = new CompletableFuture<>();
    CompletableFuture<CommandResult> visible = new CompletableFuture<>();
    var submitter = new TimedSubmitter((c, timeout) -> committed, r -> visible, metrics, nanos::get);

    CompletableFuture<CommandResult> answer = submitter.submit(command, Duration.ofSeconds(5));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(12));
    committed.complete(result);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(3));
    assertThat(answer).as("not answered before the stores show it").isNotDone();
    visible.complete(result);

    assertThat(answer.get(1, TimeUnit.SECONDS)).isSameAs(result);
    assertThat(timer("committed").count()).isEqualTo(1);
    assertThat(timer("committed").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12.0);
    assertThat(timer("visible").count()).isEqualTo(1);
    assertThat(timer("visible").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
  }

  @Test
  void aWriteWithoutAnAnswerIsNotTimed() {
    var submitter = new TimedSubmitter(
        (c, timeout) -> CompletableFuture.failedFuture(new TimeoutException()), CompletableFuture::completedFuture,
        metrics, nanos::get);

    assertThat(submitter.submit(command, Duration.ofSeconds(5))).isCompletedExceptionally();
    assertThat(timer("committed").count()).isZero();
    assertThat(timer("visible").count()).isZero();
  }

  private Timer timer(String until) {
    return metrics.get(TimedSubmitter.METER).tag("until", until).timer();
  }
}
