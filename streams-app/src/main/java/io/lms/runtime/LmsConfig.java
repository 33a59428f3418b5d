package io.lms.runtime;

import io.lms.http.InstanceSignature;
import io.lms.registry.SchemaRegistryClient;
import io.lms.topology.LmsProcessingExceptionHandler;
import io.lms.topology.LmsRocksDbConfig;
import io.lms.topology.LmsTopics;
import io.lms.topology.TopologySettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Every setting of the application, as values. Built by {@link #parse}: defaults in code, then the
 * config file, then environment variables (see {@link Setting} for the names).
 *
 * @param bootstrapServers the Kafka cluster to join; empty means start the embedded broker
 * @param kafkaClientSettings how every Kafka client of LMS reaches the cluster (security and
 *     connection settings beside the address); Kafka Streams takes them too, under its pass-through
 * @param streamsOverrides Kafka Streams properties passed straight through by the operator
 * @param instanceSecret the secret the instances of one deployment sign their forwarded reads with;
 *     empty only on the embedded default, which is alone
 * @param schemaRegistry the schema registry LMS registers its schemas with and writes Confluent's
 *     framing for; empty: no registry, single-object encoding only
 */
public record LmsConfig(
    Optional<String> bootstrapServers,
    KafkaClientSettings kafkaClientSettings,
    String applicationId,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    Path stateDir,
    Path embeddedDataDir,
    int embeddedPort,
    int numStreamThreads,
    Duration commitInterval,
    int numStandbyReplicas,
    ZoneId serverZone,
    boolean autoRegisterCustomers,
    Optional<Duration> autoCloseAfter,
    Duration autoCloseInterval,
    Duration idempotencyRetention,
    String httpHost,
    int httpPort,
    Optional<String> httpAdvertisedHost,
    Optional<String> instanceId,
    Optional<Path> credentialsFile,
    int rateLimitPerOrg,
    int rateLimitBurst,
    Duration writeTimeout,
    Duration readWait,
    Duration peerGoneAfter,
    Optional<Secret> instanceSecret,
    Optional<SchemaRegistry> schemaRegistry,
    Map<String, String> streamsOverrides) {

  /** A value that is never printed: a record's toString would otherwise show it in any log of the config. */
  public record Secret(String value) {
    public Secret {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "*****";
    }
  }

  /** Where the schema registry is, and how to log in to it (the password is never printed). */
  public record SchemaRegistry(URI url, Optional<SchemaRegistryClient.Credentials> credentials) {
    public SchemaRegistry {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(credentials, "credentials");
    }

    public SchemaRegistryClient client() {
      return new SchemaRegistryClient(url, credentials);
    }
  }

  /**
   * Streams properties that LMS owns. Passing one through would either fight a dedicated LMS
   * setting (two names for one thing, and a surprise about which wins) or break a decision the
   * architecture rests on (exactly-once, explicit naming, the dead-letter topic).
   */
  private static final Map<String, String> OWNED_STREAMS_PROPERTIES =
      Map.ofEntries(
          Map.entry(StreamsConfig.APPLICATION_ID_CONFIG, "set it with " + Setting.APPLICATION_ID.env()),
          Map.entry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "set it with " + Setting.BOOTSTRAP_SERVERS.env()),
          Map.entry(StreamsConfig.STATE_DIR_CONFIG, "set it with " + Setting.STATE_DIR.env()),
          Map.entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "set it with " + Setting.NUM_STREAM_THREADS.env()),
          Map.entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "set it with " + Setting.COMMIT_INTERVAL_MS.env()),
          Map.entry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "set it with " + Setting.NUM_STANDBY_REPLICAS.env()),
          Map.entry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "set it with " + Setting.REPLICATION_FACTOR.env()),
          Map.entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "LMS always runs exactly_once_v2"),
          Map.entry(StreamsConfig.APPLICATION_SERVER_CONFIG, "set it with " + Setting.HTTP_ADVERTISED_HOST.env() + " and " + Setting.HTTP_PORT.env()),
          Map.entry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "LMS always names every internal resource"),
          Map.entry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "it follows " + Setting.TOPIC_PREFIX.env()),
          Map.entry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, "undecodable records always go to the dead-letter topic"),
          Map.entry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "commands that fail processing always go to the dead-letter topic"),
          Map.entry(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "LMS keeps committed state through a crash"),
          Map.entry(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "LMS reads only committed state"),
          Map.entry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "set it with " + Setting.INSTANCE_ID.env()),
          Map.entry(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "set it with " + Setting.INSTANCE_ID.env()),
          Map.entry(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "set it with " + Setting.INSTANCE_ID.env()));

  private static final boolean LZ4_AVAILABLE = classExists("net.jpountz.lz4.LZ4Factory");

  public LmsConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(kafkaClientSettings, "kafkaClientSettings");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(embeddedDataDir, "embeddedDataDir");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(serverZone, "serverZone");
    Objects.requireNonNull(autoCloseAfter, "autoCloseAfter");
    Objects.requireNonNull(autoCloseInterval, "autoCloseInterval");
    Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(httpAdvertisedHost, "httpAdvertisedHost");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(credentialsFile, "credentialsFile");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(readWait, "readWait");
    Objects.requireNonNull(peerGoneAfter, "peerGoneAfter");
    Objects.requireNonNull(instanceSecret, "instanceSecret");
    Objects.requireNonNull(schemaRegistry, "schemaRegistry");
    // Passwords may pass through too (producer.sasl.jaas.config): hidden from toString.
    streamsOverrides = MaskedProperties.copyOf(streamsOverrides);
  }

  /**
   * Reads the settings: code defaults, overridden by {@code fileProps} (the config file), overridden
   * by {@code env}. Pure: no file, environment or clock is read here.
   *
   * @throws InvalidSettingException naming the first setting with a bad value
   */
  public static LmsConfig parse(Map<String, String> fileProps, Map<String, String> env) {
    rejectUnknownProperties(fileProps);
    var sources = new SettingSources(fileProps, env);
    var overrides = sources.passThrough(PassThrough.STREAMS);
    rejectOwnedStreamsProperties(overrides);
    Optional<String> bootstrapServers = sources.optionalText(Setting.BOOTSTRAP_SERVERS);
    return new LmsConfig(
        bootstrapServers,
        kafkaClientSettings(sources, bootstrapServers),
        sources.name(Setting.APPLICATION_ID),
        sources.name(Setting.TOPIC_PREFIX),
        sources.integer(Setting.PARTITIONS, 1, 10_000),
        (short) sources.integer(Setting.REPLICATION_FACTOR, 1, Short.MAX_VALUE),
        sources.converted(Setting.STATE_DIR, Path::of, "is not a valid path"),
        sources.converted(Setting.EMBEDDED_DATA_DIR, Path::of, "is not a valid path"),
        sources.integer(Setting.EMBEDDED_PORT, 0, 65_535),
        sources.integer(Setting.NUM_STREAM_THREADS, 1, 1_000),
        Duration.ofMillis(sources.integer(Setting.COMMIT_INTERVAL_MS, 0, Integer.MAX_VALUE)),
        sources.integer(Setting.NUM_STANDBY_REPLICAS, 0, 100),
        sources.zone(Setting.SERVER_ZONE),
        sources.bool(Setting.AUTO_REGISTER_CUSTOMERS),
        sources.optionalDuration(Setting.AUTO_CLOSE_AFTER, Duration.ofMillis(1)),
        sources.duration(Setting.AUTO_CLOSE_INTERVAL, Duration.ofMillis(1)),
        // TopologySettings refuses less; say so here, where the setting's name is known.
        sources.duration(Setting.IDEMPOTENCY_RETENTION, Duration.ofMinutes(1)),
        sources.text(Setting.HTTP_HOST),
        sources.integer(Setting.HTTP_PORT, 0, 65_535),
        sources.optionalText(Setting.HTTP_ADVERTISED_HOST),
        sources.optionalName(Setting.INSTANCE_ID),
        sources.optionalText(Setting.CREDENTIALS_FILE).map(Path::of),
        sources.integer(Setting.RATE_LIMIT_PER_ORG, 1, 1_000_000),
        sources.integer(Setting.RATE_LIMIT_BURST, 1, 1_000_000),
        sources.duration(Setting.WRITE_TIMEOUT, Duration.ofMillis(100)),
        sources.duration(Setting.READ_WAIT, Duration.ZERO),
        sources.duration(Setting.PEER_GONE_AFTER, Duration.ZERO),
        instanceSecret(sources),
        schemaRegistry(sources),
        overrides);
  }

  /** {@link #parse} with the properties of {@code configFile}, when there is one. */
  public static LmsConfig load(Optional<Path> configFile, Map<String, String> env) {
    return parse(configFile.map(file -> PropertiesFile.read(file, "config file")).orElse(Map.of()), env);
  }

  /** The code defaults alone. */
  public static LmsConfig defaults() {
    return parse(Map.of(), Map.of());
  }

  /** True when no cluster is configured, so the application brings its own broker. */
  public boolean embedded() {
    return bootstrapServers.isEmpty();
  }

  /**
   * This instance's {@code group.instance.id}: the setting, else a name made of the advertised HTTP
   * address. Every instance is a static member of the consumer group, so that one restarted after a
   * crash takes its tasks back at once instead of after a session timeout of the dead member. The
   * advertised address is unique per instance already: interactive queries route by it.
   */
  public String instanceId(int httpPort) {
    return instanceId.orElseGet(() -> (advertisedHttpHost() + "-" + httpPort).replaceAll("[^a-zA-Z0-9._-]", "_"));
  }

  public LmsTopics topics() {
    return LmsTopics.withPrefix(topicPrefix);
  }

  /**
   * The host other instances reach this one's HTTP API at: the advertised host when set, else the
   * bind host (a wildcard bind address cannot be advertised: set LMS_HTTP_ADVERTISED_HOST then).
   */
  public String advertisedHttpHost() {
    return httpAdvertisedHost.orElse(httpHost);
  }

  /**
   * The topology's settings.
   *
   * @param commandPartitions the partitions the command topic has (found at startup, not set)
   */
  public TopologySettings toTopologySettings(int commandPartitions) {
    return new TopologySettings(
        serverZone, autoRegisterCustomers, autoCloseAfter, autoCloseInterval, idempotencyRetention, commandPartitions);
  }

  /** How often each stream thread's consumer tells the group coordinator it is alive. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);

  private static boolean isClassicGroupProtocol(Properties props) {
    return props.getProperty(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic").trim().equalsIgnoreCase("classic");
  }

  /** Whether the operator set the interval, for every consumer or for the main ones. */
  private static boolean anyHeartbeatInterval(Properties props) {
    String key = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG;
    return props.containsKey(key) || props.containsKey(StreamsConfig.consumerPrefix(key))
        || props.containsKey(StreamsConfig.mainConsumerPrefix(key));
  }

  /** {@link #streamsProperties(String, int)} at the configured HTTP port. */
  public Properties streamsProperties(String bootstrap) {
    return streamsProperties(bootstrap, httpPort);
  }

  /**
   * The Kafka Streams configuration for a cluster at {@code bootstrap}.
   *
   * @param httpPort the port this instance's HTTP API listens on (see {@link #instanceId})
   */
  public Properties streamsProperties(String bootstrap, int httpPort) {
    var props = new Properties();
    // Pays a little CPU for much less broker disk and network on the command/event/changelog
    // topics; an operator may pick another codec through the pass-through.
    if (LZ4_AVAILABLE) {
      props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    }
    // A commit sends a command's lead, result and events (about 3 KB) to each of ~8 topics and
    // changelogs on every partition: at 16 KB (the default) a batch filled after a handful of
    // commands, and starting each batch (its lz4 stream, its buffers) was 6% of the stream
    // thread. 256 KB batches: 143-159 -> 105 CPU us per command in the throughput benchmark.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(256 * 1024));
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LmsRocksDbConfig.class.getName());
    // The settings of every client (SASL, TLS, ...), then what the operator gave Streams alone.
    props.putAll(kafkaClientSettings.values());
    props.putAll(streamsOverrides);
    // A member learns of a rebalance at its next heartbeat: at the consumer's 3 s, a dead
    // instance's tasks waited up to 3 s more after its eviction before they moved (ClusterIT),
    // and a restarted instance as long to get its tasks back. Classic protocol only: under the
    // others the broker sets the interval, and the consumer refuses the setting.
    if (isClassicGroupProtocol(props) && !anyHeartbeatInterval(props)) {
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
          Long.toString(HEARTBEAT_INTERVAL.toMillis()));
    }
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().deadLetter());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class.getName());
    // A command that makes the processor throw before it writes (a bug, never a rule: rules
    // reject) goes to the dead-letter topic too, so that it cannot fail the thread for ever. One
    // that fails after its first write fails the thread instead, which aborts what it wrote; it is
    // applied again, and after a second such failure dead-lettered before it writes.
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LmsProcessingExceptionHandler.class.getName());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    // Kafka Streams 4.4 reads this setting again from the copy of the configuration that each
    // stream thread's partition assignor makes of the main consumer's settings, where it is
    // missing: without this line every start warns, once per thread, that it is off.
    props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numStreamThreads));
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(numStandbyReplicas));
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(replicationFactor));
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().normalize().toString());
    // Committed state survives a crash: each store stages a transaction's writes and applies them
    // when the Kafka transaction commits (KIP-892). Without it, exactly-once wipes every store
    // that was open at a crash and restores it from its changelog: a minute at a million leads.
    props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
    // Interactive queries read what committed, never a write that may still be aborted.
    props.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
    // Static membership (Kafka Streams adds the thread's index for each consumer).
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId(httpPort));
    return props;
  }

  private static final String HOW_TO_SET_SECRET = "give every instance of the deployment the same value of at least "
      + InstanceSignature.MIN_SECRET_LENGTH + " characters, e.g. the output of `openssl rand -base64 32`";

  private static Optional<Secret> instanceSecret(SettingSources sources) {
    Optional<String> secret = sources.optionalText(Setting.INSTANCE_SECRET);
    if (secret.isPresent() && secret.get().length() < InstanceSignature.MIN_SECRET_LENGTH) {
      // The value is not echoed: it is a secret, even a bad one.
      throw new InvalidSettingException(Setting.INSTANCE_SECRET.env() + " is too short (" + secret.get().length()
          + " characters): " + HOW_TO_SET_SECRET);
    }
    return secret.map(Secret::new);
  }

  private static Optional<SchemaRegistry> schemaRegistry(SettingSources sources) {
    Optional<String> user = sources.optionalText(Setting.SCHEMA_REGISTRY_USER);
    Optional<String> password = sources.optionalText(Setting.SCHEMA_REGISTRY_PASSWORD);
    String login = Setting.SCHEMA_REGISTRY_USER.env() + " and " + Setting.SCHEMA_REGISTRY_PASSWORD.env();
    if (user.isPresent() != password.isPresent()) {
      throw new InvalidSettingException((user.isPresent() ? Setting.SCHEMA_REGISTRY_USER : Setting.SCHEMA_REGISTRY_PASSWORD).env()
          + " is set without " + (user.isPresent() ? Setting.SCHEMA_REGISTRY_PASSWORD : Setting.SCHEMA_REGISTRY_USER).env()
          + ": the schema registry's basic-auth login needs both");
    }
    Optional<SchemaRegistryClient.Credentials> credentials =
        user.map(u -> new SchemaRegistryClient.Credentials(u, password.orElseThrow()));
    Optional<SettingSources.Raw> raw = sources.raw(Setting.SCHEMA_REGISTRY_URL);
    if (raw.isEmpty()) {
      if (credentials.isPresent()) {
        throw new InvalidSettingException(login + " are set without " + Setting.SCHEMA_REGISTRY_URL.env()
            + ": set the registry's URL too, or neither");
      }
      return Optional.empty();
    }
    URI url;
    try {
      url = new URI(raw.get().text());
    } catch (URISyntaxException e) {
      throw raw.get().invalid("is not a URL such as http://registry:8081");
    }
    if (url.getRawUserInfo() != null) {
      // Not echoed: it holds a password.
      throw new InvalidSettingException(Setting.SCHEMA_REGISTRY_URL.env() + " holds a login (user:password@): give it in "
          + login + " instead, which are never printed");
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
        || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw raw.get().invalid("is not an http:// or https:// URL with a host and no query, such as http://registry:8081"
          + " (Confluent) or http://registry:8080/apis/ccompat/v7 (Apicurio)");
    }
    return Optional.of(new SchemaRegistry(url, credentials));
  }

  /**
   * The secret this instance signs and checks forwarded reads with. Instances forward reads to each
   * other, and a forwarded read skips the rate limit, so they must prove to each other that they are
   * instances. In a cluster another instance may join at any time, so a missing secret is refused
   * at start rather than found out at the first forwarded read. The embedded default is alone: it
   * makes up a secret of its own.
   *
   * @throws InvalidSettingException when joining a cluster without one
   */
  public String serviceInstanceSecret() {
    if (instanceSecret.isPresent()) {
      return instanceSecret.get().value();
    }
    if (!embedded()) {
      throw new InvalidSettingException(Setting.INSTANCE_SECRET.env() + " (or " + Setting.INSTANCE_SECRET.property()
          + ") is required with " + Setting.BOOTSTRAP_SERVERS.env() + ": instances sign the reads they forward to "
          + "each other with it; " + HOW_TO_SET_SECRET);
    }
    return InstanceSignature.randomSecret();
  }

  private static KafkaClientSettings kafkaClientSettings(SettingSources sources, Optional<String> bootstrapServers) {
    var settings = KafkaClientSettings.of(sources.passThrough(PassThrough.KAFKA_CLIENTS), PassThrough.KAFKA_CLIENTS::names);
    Optional<String> secured = settings.securedBy();
    if (bootstrapServers.isEmpty() && secured.isPresent()) {
      // Else an embedded broker would start, and every client fail its handshake with it.
      throw new InvalidSettingException(PassThrough.KAFKA_CLIENTS.names("security.protocol") + " is " + secured.get()
          + ", but " + Setting.BOOTSTRAP_SERVERS.env() + " is not set: the embedded broker speaks PLAINTEXT only;"
          + " set " + Setting.BOOTSTRAP_SERVERS.env() + " to the secured cluster");
    }
    return settings;
  }

  private static void rejectUnknownProperties(Map<String, String> fileProps) {
    for (String key : fileProps.keySet()) {
      if (!Setting.isKnownProperty(key) && !key.startsWith(PassThrough.STREAMS.propertyPrefix())
          && !key.startsWith(PassThrough.KAFKA_CLIENTS.propertyPrefix())) {
        // A typo (lms.partiton=12) would otherwise be ignored and the default used in silence.
        throw new InvalidSettingException(
            "Unknown property " + key + " in the config file (Kafka Streams properties go under "
                + PassThrough.STREAMS.propertyPrefix() + ", settings of every Kafka client under "
                + PassThrough.KAFKA_CLIENTS.propertyPrefix() + ")");
      }
    }
  }

  private static void rejectOwnedStreamsProperties(Map<String, String> overrides) {
    for (String key : overrides.keySet()) {
      String why = OWNED_STREAMS_PROPERTIES.get(key);
      if (why != null) {
        throw new InvalidSettingException(
            "Kafka Streams property " + key + " cannot be passed through (" + PassThrough.STREAMS.names(key)
                + "): " + why);
      }
    }
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, LmsConfig.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
