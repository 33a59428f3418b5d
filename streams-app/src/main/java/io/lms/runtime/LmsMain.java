package io.lms.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code LmsMain [--config <file>]}. Reads the settings, starts an {@link
 * LmsApplication} and closes it on SIGTERM or Ctrl-C.
 *
 * <p>Exit codes: 0 after a shutdown by signal, 1 when the application failed, 2 for bad settings
 * or arguments.
 */
public final class LmsMain {
  private static final Logger log = LoggerFactory.getLogger(LmsMain.class);
  static final String CONFIG_FILE_ENV = "LMS_CONFIG_FILE";
  static final String CONFIG_FILE_ARG = "--config";

  private LmsMain() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Map<String, String> env) {
    LmsConfig config;
    try {
      config = LmsConfig.load(configFile(args, env), env);
    } catch (InvalidSettingException e) {
      System.err.println("lms-streams: " + e.getMessage());
      return 2;
    }

    var app = new LmsApplication(config);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "lms-shutdown"));
    try {
      app.start();
      KafkaStreams.State end = app.awaitStopped();
      return end == KafkaStreams.State.ERROR ? 1 : 0;
    } catch (InvalidSettingException e) {
      System.err.println("lms-streams: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      log.error("LMS Streams failed to start", e);
      return 1;
    }
  }

  /** The config file named by {@code --config <file>}, else by {@code LMS_CONFIG_FILE}, if any. */
  static Optional<Path> configFile(String[] args, Map<String, String> env) {
    Optional<Path> fromArgs = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals(CONFIG_FILE_ARG)) {
        if (i + 1 == args.length) {
          throw new InvalidSettingException(CONFIG_FILE_ARG + " needs a file name");
        }
        fromArgs = Optional.of(Path.of(args[++i]));
      } else if (arg.startsWith(CONFIG_FILE_ARG + "=")) {
        fromArgs = Optional.of(Path.of(arg.substring(CONFIG_FILE_ARG.length() + 1)));
      } else {
        throw new InvalidSettingException(
            "Unexpected argument \"" + arg + "\"; usage: LmsMain [" + CONFIG_FILE_ARG + " <file>]");
      }
    }
    if (fromArgs.isPresent()) {
      return fromArgs;
    }
    String fromEnv = env.get(CONFIG_FILE_ENV);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv.trim()));
  }
}
