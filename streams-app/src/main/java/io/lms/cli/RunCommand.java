package io.lms.cli;

import io.lms.runtime.LmsMain;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lms run}: the service, also what {@code lms} with no command runs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the service: the Kafka Streams application and its HTTP API (the default command).",
      "",
      "With no Kafka configured (KAFKA_BOOTSTRAP_SERVERS) it starts an embedded broker first.",
      "",
      "Exit codes: 0 after SIGTERM or Ctrl-C, 1 when it failed, 2 for bad settings."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand LmsCli parent;

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = "Properties file of settings (default: $LMS_CONFIG_FILE); the environment overrides it.")
  Path config;

  @Override
  public Integer call() {
    Optional<Path> configArg = Optional.ofNullable(config).or(() -> Optional.ofNullable(parent.config));
    return LmsMain.run(configArg, parent.env());
  }
}
