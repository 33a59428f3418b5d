package io.lms.cli;

import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.KafkaClientSettings;
import io.lms.runtime.LmsConfig;
import io.lms.schema.codec.ConfluentCodec;
import io.lms.topology.LmsTopics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/**
 * Where the tools find the LMS topics and how they reach Kafka: the service's own settings (so that a
 * tool run beside an instance, with its environment, needs no flags), with {@code --bootstrap},
 * {@code --prefix} and {@code --command-config} over them.
 */
final class ClusterOptions {
  private static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  private static final String PREFIX_ENV = "LMS_TOPIC_PREFIX";
  private static final String EMBEDDED_HOST = "127.0.0.1";
  /** Long enough for a cluster under load, short enough that a wrong address fails visibly. */
  static final int API_TIMEOUT_MS = 30_000;

  @Option(
      names = "--bootstrap",
      paramLabel = "<host:port,...>",
      description = "Kafka to talk to (default: $KAFKA_BOOTSTRAP_SERVERS, else the embedded broker of"
          + " `lms run` at 127.0.0.1:$LMS_EMBEDDED_PORT)")
  String bootstrap;

  @Option(
      names = "--prefix",
      paramLabel = "<prefix>",
      description = "Prefix of the LMS topics (default: $LMS_TOPIC_PREFIX, else lms.)")
  String prefix;

  @Option(
      names = "--command-config",
      paramLabel = "<file>",
      description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...), as Kafka's own tools"
          + " take them; over the LMS_KAFKA_* settings of the environment and --config")
  Path commandConfig;

  /** The resolved cluster address, how to reach it, and the topics. */
  record Cluster(String bootstrapServers, KafkaClientSettings clientSettings, LmsTopics topics, LmsConfig settings) {
    /** What every client of the tool starts from: the address and the client settings. */
    Map<String, Object> connection() {
      return clientSettings.connection(bootstrapServers);
    }

    Admin admin() {
      Map<String, Object> config = connection();
      config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
      // Only a default: an operator's request.timeout.ms (a slow link) applies to the tools too.
      config.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS / 2);
      return Admin.create(config);
    }
  }

  /**
   * The service's settings ({@code --config}/LMS_CONFIG_FILE, then the environment) with the flags
   * over them. Invalid values fail as they would for the service, naming the setting.
   */
  Cluster resolve(LmsCli cli) {
    Map<String, String> env = new HashMap<>(cli.env());
    if (bootstrap != null) {
      env.put(BOOTSTRAP_ENV, bootstrap);
    }
    if (prefix != null) {
      env.put(PREFIX_ENV, prefix);
    }
    LmsConfig settings = LmsConfig.load(cli.configFile(), env);
    KafkaClientSettings clientSettings = commandConfig == null
        ? settings.kafkaClientSettings()
        : settings.kafkaClientSettings().overriddenBy(KafkaClientSettings.fromFile(commandConfig));
    // The tools register nothing and write as without a registry; they read Confluent's framing
    // through the registry, and without one say that one is needed.
    LmsTopics topics = settings.topics().readingThrough(settings.schemaRegistry()
        .<ConfluentCodec.WriterSchemas>map(LmsConfig.SchemaRegistry::client).orElse(ConfluentCodec.NO_REGISTRY));
    return new Cluster(bootstrapServers(settings), clientSettings, topics, settings);
  }

  private static String bootstrapServers(LmsConfig settings) {
    if (settings.bootstrapServers().isPresent()) {
      return settings.bootstrapServers().get();
    }
    if (settings.embeddedPort() == 0) {
      throw new InvalidSettingException(
          "No Kafka to talk to: the embedded broker's port is picked at random (LMS_EMBEDDED_PORT=0);"
              + " give --bootstrap or set " + BOOTSTRAP_ENV);
    }
    return EMBEDDED_HOST + ":" + settings.embeddedPort();
  }
}
