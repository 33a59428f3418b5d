package io.lms.runtime;

import io.lms.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service: reads the settings, starts an {@link LmsApplication} and closes it on SIGTERM
 * or Ctrl-C. The command line that leads here ({@code lms [run] [--config <file>]}) is
 * {@code io.lms.cli.LmsCli}'s.
 *
 * <p>Exit codes: 0 after a shutdown by signal, 1 when the application failed (Kafka refusing its
 * credentials among them: one line says so), 2 for bad settings.
 */
public final class LmsMain {
  private static final Logger log = LoggerFactory.getLogger(LmsMain.class);
  public static final String CONFIG_FILE_ENV = "LMS_CONFIG_FILE";

  private LmsMain() {}

  /**
   * Runs the service until it stops and returns the process exit code.
   *
   * @param configArg the config file named on the command line, if any
   */
  public static int run(Optional<Path> configArg, Map<String, String> env) {
    LmsConfig config;
    try {
      config = LmsConfig.load(configFile(configArg, env), env);
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
    } catch (SchemaRegistryException e) {
      // The message says which registry, which subject and why: a stack trace would bury it.
      System.err.println("lms-streams: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      var refused = KafkaAuthenticationFailure.in(e);
      if (refused.isPresent()) {
        System.err.println("lms-streams: " + refused.get().getMessage());
      } else {
        log.error("LMS Streams failed to start", e);
      }
      return 1;
    }
  }

  /** The config file named on the command line, else by {@code LMS_CONFIG_FILE}, if any. */
  public static Optional<Path> configFile(Optional<Path> configArg, Map<String, String> env) {
    if (configArg.isPresent()) {
      return configArg;
    }
    String fromEnv = env.get(CONFIG_FILE_ENV);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv.trim()));
  }
}
