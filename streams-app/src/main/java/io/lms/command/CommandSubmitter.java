package io.lms.command;

import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends a command and yields its committed result, or fails with a TimeoutException. */
@FunctionalInterface
public interface CommandSubmitter {
  CompletableFuture<CommandResult> submit(LeadCommand command, Duration timeout);
}
