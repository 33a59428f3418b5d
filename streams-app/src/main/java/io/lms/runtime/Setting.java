package io.lms.runtime;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every named LMS setting: its environment variable, its property in the config file, and its
 * default in code ({@code null} when unset means something: no bootstrap starts the embedded
 * broker, no auto-close-after turns auto-close off). Beside them, whole families of Kafka settings
 * pass through ({@link PassThrough}).
 */
enum Setting {
  BOOTSTRAP_SERVERS("KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers", null),
  APPLICATION_ID("LMS_APPLICATION_ID", "lms.application.id", "lms-streams"),
  TOPIC_PREFIX("LMS_TOPIC_PREFIX", "lms.topic.prefix", "lms."),
  PARTITIONS("LMS_PARTITIONS", "lms.partitions", "6"),
  REPLICATION_FACTOR("LMS_REPLICATION_FACTOR", "lms.replication.factor", "1"),
  STATE_DIR("LMS_STATE_DIR", "lms.state.dir", "./data/state"),
  EMBEDDED_DATA_DIR("LMS_EMBEDDED_DATA_DIR", "lms.embedded.data.dir", "./data/kafka"),
  EMBEDDED_PORT("LMS_EMBEDDED_PORT", "lms.embedded.port", "9092"),
  // One per core: on 2 cores the full topology committed 18,225 commands/s with one thread and
  // 24,708/s with two (BENCHMARKS.md). Threads beyond the partitions of this instance stay idle.
  NUM_STREAM_THREADS("LMS_NUM_STREAM_THREADS", "lms.num.stream.threads",
      Integer.toString(Runtime.getRuntime().availableProcessors())),
  COMMIT_INTERVAL_MS("LMS_COMMIT_INTERVAL_MS", "lms.commit.interval.ms", "100"),
  NUM_STANDBY_REPLICAS("LMS_NUM_STANDBY_REPLICAS", "lms.num.standby.replicas", "0"),
  SERVER_ZONE("LMS_SERVER_ZONE", "lms.server.zone", "UTC"),
  AUTO_REGISTER_CUSTOMERS("LMS_AUTO_REGISTER_CUSTOMERS", "lms.customers.auto-register", "true"),
  AUTO_CLOSE_AFTER("LMS_AUTO_CLOSE_AFTER", "lms.auto-close.after", null),
  AUTO_CLOSE_INTERVAL("LMS_AUTO_CLOSE_INTERVAL", "lms.auto-close.interval", "PT1M"),
  IDEMPOTENCY_RETENTION("LMS_IDEMPOTENCY_RETENTION", "lms.idempotency.retention", "P7D"),
  HTTP_HOST("LMS_HTTP_HOST", "lms.http.host", "127.0.0.1"),
  HTTP_PORT("LMS_HTTP_PORT", "lms.http.port", "8080"),
  HTTP_ADVERTISED_HOST("LMS_HTTP_ADVERTISED_HOST", "lms.http.advertised.host", null),
  // This instance's stable name in the consumer group (static membership); by default made of the
  // advertised HTTP address, which is unique per instance anyway (see LmsConfig#instanceId).
  INSTANCE_ID("LMS_INSTANCE_ID", "lms.instance.id", null),
  CREDENTIALS_FILE("LMS_CREDENTIALS_FILE", "lms.credentials.file", null),
  RATE_LIMIT_PER_ORG("LMS_RATE_LIMIT_PER_ORG", "lms.rate-limit.per-org", "500"),
  RATE_LIMIT_BURST("LMS_RATE_LIMIT_BURST", "lms.rate-limit.burst", "1000"),
  WRITE_TIMEOUT("LMS_WRITE_TIMEOUT", "lms.write.timeout", "PT10S"),
  // How long a read whose org's data is unavailable (a rebalance, a restore) tries again before 503.
  READ_WAIT("LMS_READ_WAIT", "lms.read.wait", "PT3S"),
  // How long another instance's HTTP port must refuse connections before its tasks are taken over
  // without waiting for its session to time out (PeerWatch); zero turns that off.
  PEER_GONE_AFTER("LMS_PEER_GONE_AFTER", "lms.peer.gone-after", "PT1S"),
  // Signs the reads one instance forwards to another; required when joining a cluster, where
  // other instances may run (see LmsConfig#parse).
  INSTANCE_SECRET("LMS_INSTANCE_SECRET", "lms.instance.secret", null),
  // Unset: no registry, LMS writes single-object encoding. Set: it registers its schemas there and
  // writes its output topics in Confluent's framing (see LmsConfig#schemaRegistry).
  SCHEMA_REGISTRY_URL("LMS_SCHEMA_REGISTRY_URL", "lms.schema-registry.url", null),
  SCHEMA_REGISTRY_USER("LMS_SCHEMA_REGISTRY_USER", "lms.schema-registry.user", null),
  SCHEMA_REGISTRY_PASSWORD("LMS_SCHEMA_REGISTRY_PASSWORD", "lms.schema-registry.password", null);

  private final String env;
  private final String property;
  private final String defaultValue;

  Setting(String env, String property, String defaultValue) {
    this.env = env;
    this.property = property;
    this.defaultValue = defaultValue;
  }

  String env() {
    return env;
  }

  String property() {
    return property;
  }

  Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  static boolean isKnownProperty(String property) {
    return Arrays.stream(values()).anyMatch(s -> s.property.equals(property));
  }
}
