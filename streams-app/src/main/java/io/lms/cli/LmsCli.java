package io.lms.cli;

import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.KafkaAuthenticationFailure;
import io.lms.runtime.LmsMain;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one entry point of {@code lms-streams.jar}: with no subcommand (or {@code run}) it runs the
 * service; the other subcommands are operator tools that talk to a running cluster.
 *
 * <p>Exit codes: 0 success, 1 failure (Kafka refusing the credentials among them), 2 bad arguments
 * or settings; {@code import} adds 3, as does {@code schemas} for a schema the registry would refuse.
 */
@Command(
    name = "lms",
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = LmsCli.ManifestVersion.class,
    description = {
      "LMS Streams: the lead-management service and its operator tools. With no command, runs the"
          + " service, as `run` does."
    },
    subcommands = {
      RunCommand.class,
      ImportCommand.class,
      TailCommand.class,
      TopicsCommand.class,
      SchemasCommand.class,
      HashPasswordCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "The tools find Kafka and the topics through the service's own settings (--config or"
          + " LMS_CONFIG_FILE, then KAFKA_BOOTSTRAP_SERVERS, the LMS_KAFKA_* client settings and"
          + " LMS_TOPIC_PREFIX); their --bootstrap, --command-config and --prefix override them."
          + " `lms help <command>` tells more."
    })
public final class LmsCli implements Callable<Integer> {
  static final int FAILED = 1;
  static final int BAD_USAGE = 2;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final Console console;

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = "Properties file of settings (default: $LMS_CONFIG_FILE); the environment overrides it.")
  Path config;

  /**
   * @param console the terminal, or {@code null} when there is none (output piped, in a container):
   *     decides between a progress bar and plain progress lines, and how a password is read
   */
  LmsCli(Map<String, String> env, InputStream stdin, Console console) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
    this.console = console;
  }

  public static void main(String[] args) {
    int code = execute(new LmsCli(System.getenv(), System.in, System.console()), args,
        new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    // Exit 0 by returning: after a signal the service's shutdown hook is still closing it.
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses {@code args}, runs the command and returns its exit code. */
  static int execute(LmsCli cli, String[] args, PrintWriter out, PrintWriter err) {
    var commandLine = new CommandLine(cli)
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, command, parseResult) -> {
          if (e instanceof InvalidSettingException || e instanceof CommandLine.ParameterException) {
            command.getErr().println("lms " + command.getCommandName() + ": " + e.getMessage());
            return BAD_USAGE;
          }
          if (e instanceof ToolFailure) {
            command.getErr().println("lms " + command.getCommandName() + ": " + e.getMessage());
            return FAILED;
          }
          var refused = KafkaAuthenticationFailure.in(e);
          if (refused.isPresent()) {
            command.getErr().println("lms " + command.getCommandName() + ": " + refused.get().getMessage());
            return FAILED;
          }
          command.getErr().println("lms " + command.getCommandName() + " failed:");
          e.printStackTrace(command.getErr());
          return FAILED;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Runs the service, as {@code java -jar lms-streams.jar} always has. */
  @Override
  public Integer call() {
    return LmsMain.run(Optional.ofNullable(config), env);
  }

  Map<String, String> env() {
    return env;
  }

  InputStream stdin() {
    return stdin;
  }

  Optional<Console> console() {
    return Optional.ofNullable(console);
  }

  Optional<Path> configFile() {
    return LmsMain.configFile(Optional.ofNullable(config), env);
  }

  /**
   * Keeps the tools' output to what they print themselves: the service's log lines (topic
   * provisioning, its warnings about existing topics, which `topics` prints as a table) would say
   * it twice and drown a progress bar. Errors still show. Must run before the first logger is made.
   */
  static void quietLogs() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // A client retrying an unreachable broker warns once a retry, and one refused its credentials
    // adds a stack trace: the tools say either in one line of their own.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    System.setProperty("org.slf4j.simpleLogger.log.io.lms", "error");
  }

  /** The version from the jar's manifest, when there is one. */
  static final class ManifestVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LmsCli.class.getPackage().getImplementationVersion();
      return new String[] {"lms-streams " + (version == null ? "(development build)" : version)};
    }
  }
}
