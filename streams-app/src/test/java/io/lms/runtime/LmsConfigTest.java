package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmsConfigTest {

  @Test
  void defaultsStartTheEmbeddedBrokerWithTheDocumentedValues() {
    LmsConfig config = LmsConfig.parse(Map.of(), Map.of());

    assertThat(config.embedded()).isTrue();
    assertThat(config.bootstrapServers()).isEmpty();
    assertThat(config.applicationId()).isEqualTo("lms-streams");
    assertThat(config.topicPrefix()).isEqualTo("lms.");
    assertThat(config.partitions()).isEqualTo(6);
    assertThat(config.replicationFactor()).isEqualTo((short) 1);
    assertThat(config.stateDir()).isEqualTo(Path.of("./data/state"));
    assertThat(config.embeddedDataDir()).isEqualTo(Path.of("./data/kafka"));
    assertThat(config.embeddedPort()).isEqualTo(9092);
    assertThat(config.numStreamThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.numStandbyReplicas()).isZero();
    assertThat(config.serverZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.autoRegisterCustomers()).isTrue();
    assertThat(config.autoCloseAfter()).isEmpty();
    assertThat(config.autoCloseInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.idempotencyRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.streamsOverrides()).isEmpty();
    assertThat(config.schemaRegistry()).isEmpty();
  }

  @Test
  void fileOverridesDefaults() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of(
                "kafka.bootstrap.servers", "kafka-1:9092,kafka-2:9092",
                "lms.partitions", "12",
                "lms.auto-close.after", "P30D",
                "lms.customers.auto-register", "false",
                "lms.server.zone", "Asia/Kolkata"),
            Map.of());

    assertThat(config.embedded()).isFalse();
    assertThat(config.bootstrapServers()).contains("kafka-1:9092,kafka-2:9092");
    assertThat(config.partitions()).isEqualTo(12);
    assertThat(config.autoCloseAfter()).contains(Duration.ofDays(30));
    assertThat(config.autoRegisterCustomers()).isFalse();
    assertThat(config.serverZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
    assertThat(config.applicationId()).isEqualTo("lms-streams");
  }

  @Test
  void environmentOverridesFile() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of("lms.partitions", "12", "lms.application.id", "from-file"),
            Map.of("LMS_PARTITIONS", "24", "KAFKA_BOOTSTRAP_SERVERS", "broker:9092"));

    assertThat(config.partitions()).isEqualTo(24);
    assertThat(config.applicationId()).isEqualTo("from-file");
    assertThat(config.bootstrapServers()).contains("broker:9092");
  }

  @Test
  void blankValuesCountAsUnset() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of("lms.partitions", "12", "lms.auto-close.after", " "),
            Map.of("LMS_PARTITIONS", "", "KAFKA_BOOTSTRAP_SERVERS", "  "));

    assertThat(config.partitions()).isEqualTo(12);
    assertThat(config.autoCloseAfter()).isEmpty();
    assertThat(config.embedded()).isTrue();
  }

  @Test
  void valuesAreTrimmed() {
    LmsConfig config = LmsConfig.parse(Map.of("lms.partitions", "12  "), Map.of("LMS_HTTP_PORT", " 9000"));

    assertThat(config.partitions()).isEqualTo(12);
    assertThat(config.httpPort()).isEqualTo(9000);
  }

  @Test
  void streamsPropertiesPassThroughWithEnvironmentWinning() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of(
                "streams.cache.max.bytes.buffering", "1000",
                "streams.rocksdb.config.setter", "com.example.Bounded"),
            Map.of(
                "LMS_STREAMS_CACHE_MAX_BYTES_BUFFERING", "2000",
                "LMS_STREAMS_PRODUCER_LINGER_MS", "5"));

    assertThat(config.streamsOverrides())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cache.max.bytes.buffering", "2000",
                "rocksdb.config.setter", "com.example.Bounded",
                "producer.linger.ms", "5"));
    assertThat(config.streamsProperties("b:9092"))
        .containsEntry("cache.max.bytes.buffering", "2000")
        .containsEntry("producer.linger.ms", "5");
  }

  @Test
  void passThroughMayReplaceTheCompressionCodec() {
    LmsConfig config = LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_PRODUCER_COMPRESSION_TYPE", "zstd"));

    assertThat(config.streamsProperties("b:9092")).containsEntry("producer.compression.type", "zstd");
  }

  @Test
  void streamsPropertiesCarryTheArchitectureDecisionsAndSettings() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of("lms.topic.prefix", "test.", "lms.state.dir", "/var/lib/lms/state"),
            Map.of(
                "LMS_APPLICATION_ID", "lms-a",
                "LMS_NUM_STREAM_THREADS", "2",
                "LMS_COMMIT_INTERVAL_MS", "250",
                "LMS_NUM_STANDBY_REPLICAS", "1",
                "LMS_REPLICATION_FACTOR", "3"));

    var props = config.streamsProperties("kafka:9092");

    assertThat(props)
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "lms-a")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
        .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true")
        .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "test.lead-commands-dlq")
        .containsEntry(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler")
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250")
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2")
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1")
        .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "3")
        .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/lms/state")
        // lz4-java comes with kafka-clients, so it is always there in this build.
        .containsEntry("producer.compression.type", "lz4")
        .containsEntry("producer.batch.size", "262144");
    // Kafka Streams itself accepts the result.
    assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo("exactly_once_v2");
    // Where each stream thread's partition assignor reads it (else a warning at every start).
    assertThat(new StreamsConfig(props).getMainConsumerConfigs("lms-a", "lms-a-consumer", 0))
        .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
  }

  @Test
  void streamThreadsHeartbeatOftenEnoughToHearOfARebalanceWithinHalfASecond() {
    Properties props = LmsConfig.defaults().streamsProperties("b:9092", 8080);
    assertThat(new StreamsConfig(props).getMainConsumerConfigs("lms", "lms-consumer", 0))
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");

    Properties operators = LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_CONSUMER_HEARTBEAT_INTERVAL_MS", "2000"))
        .streamsProperties("b:9092", 8080);
    assertThat(new StreamsConfig(operators).getMainConsumerConfigs("lms", "lms-consumer", 0))
        .as("the operator's interval, given for every consumer, is kept")
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");

    assertThat(LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_GROUP_PROTOCOL", "streams")).streamsProperties("b:9092", 8080))
        .as("the streams protocol takes its interval from the broker")
        .doesNotContainKey(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
  }

  @Test
  void everyInstanceIsAStaticMemberNamedBySettingOrByItsAddress() {
    assertThat(LmsConfig.defaults().streamsProperties("b:9092", 8080))
        .containsEntry("consumer.group.instance.id", "127.0.0.1-8080")
        .containsEntry("enable.transactional.statestores", "true")
        .containsEntry("default.interactive.query.isolation.level", "READ_COMMITTED");
    assertThat(LmsConfig.parse(Map.of(), Map.of("LMS_HTTP_ADVERTISED_HOST", "lms-2.lms.svc")).streamsProperties("b:9092", 8080))
        .containsEntry("consumer.group.instance.id", "lms-2.lms.svc-8080");
    assertThat(LmsConfig.parse(Map.of(), Map.of("LMS_INSTANCE_ID", "store-7")).streamsProperties("b:9092", 8080))
        .containsEntry("consumer.group.instance.id", "store-7");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_INSTANCE_ID", "store 7")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_INSTANCE_ID");
    // One name per thing: the pass-through cannot set it apart from LMS_INSTANCE_ID.
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_GROUP_INSTANCE_ID", "lms-1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_INSTANCE_ID");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("streams.main.consumer.group.instance.id", "lms-1"), Map.of()))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_ENABLE_TRANSACTIONAL_STATESTORES", "false")))
        .isInstanceOf(InvalidSettingException.class);
  }

  @Test
  void topologySettingsComeFromTheConfig() {
    LmsConfig config =
        LmsConfig.parse(
            Map.of(),
            Map.of(
                "LMS_SERVER_ZONE", "Europe/Paris",
                "LMS_AUTO_REGISTER_CUSTOMERS", "FALSE",
                "LMS_AUTO_CLOSE_AFTER", "P30D",
                "LMS_AUTO_CLOSE_INTERVAL", "PT5M",
                "LMS_IDEMPOTENCY_RETENTION", "P1D"));

    var settings = config.toTopologySettings(12);

    assertThat(settings.serverZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(settings.autoRegisterCustomers()).isFalse();
    assertThat(settings.autoCloseAfter()).contains(Duration.ofDays(30));
    assertThat(settings.autoCloseInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.idempotencyRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(settings.commandPartitions()).isEqualTo(12);
  }

  @Test
  void topicsFollowThePrefix() {
    var topics = LmsConfig.parse(Map.of(), Map.of("LMS_TOPIC_PREFIX", "qa.")).topics();

    assertThat(topics.commands().name()).isEqualTo("qa.lead-commands");
    assertThat(topics.deadLetter()).isEqualTo("qa.lead-commands-dlq");
  }

  @Test
  void rejectsANonNumberNamingTheSettingAndValue() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_PARTITIONS", "six")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_PARTITIONS")
        .hasMessageContaining("\"six\"")
        .hasMessageContaining("not a whole number");
  }

  @Test
  void rejectsABadValueInTheFileNamingTheProperty() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("lms.commit.interval.ms", "1s"), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("lms.commit.interval.ms in the config file")
        .hasMessageContaining("\"1s\"");
  }

  @Test
  void rejectsOutOfRangeNumbers() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_PARTITIONS", "0")))
        .hasMessageContaining("LMS_PARTITIONS")
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_EMBEDDED_PORT", "70000")))
        .hasMessageContaining("LMS_EMBEDDED_PORT")
        .hasMessageContaining("\"70000\"");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_REPLICATION_FACTOR", "40000")))
        .hasMessageContaining("LMS_REPLICATION_FACTOR");
  }

  @Test
  void rejectsABadDuration() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_AUTO_CLOSE_AFTER", "30 days")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_AUTO_CLOSE_AFTER")
        .hasMessageContaining("\"30 days\"")
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void rejectsDurationsTheTopologyCannotUse() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_IDEMPOTENCY_RETENTION", "PT30S")))
        .hasMessageContaining("LMS_IDEMPOTENCY_RETENTION")
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_AUTO_CLOSE_INTERVAL", "PT0S")))
        .hasMessageContaining("LMS_AUTO_CLOSE_INTERVAL");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_AUTO_CLOSE_AFTER", "-P1D")))
        .hasMessageContaining("LMS_AUTO_CLOSE_AFTER");
  }

  @Test
  void rejectsABadZone() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_SERVER_ZONE", "Mars/Olympus")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_SERVER_ZONE")
        .hasMessageContaining("\"Mars/Olympus\"");
  }

  @Test
  void rejectsABooleanTypo() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_AUTO_REGISTER_CUSTOMERS", "ture")))
        .hasMessageContaining("LMS_AUTO_REGISTER_CUSTOMERS")
        .hasMessageContaining("\"ture\"");
  }

  @Test
  void rejectsCharactersTopicNamesCannotHold() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_TOPIC_PREFIX", "lms/")))
        .hasMessageContaining("LMS_TOPIC_PREFIX");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_APPLICATION_ID", "lms streams")))
        .hasMessageContaining("LMS_APPLICATION_ID");
  }

  @Test
  void rejectsAnUnknownPropertyInTheFile() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("lms.partiton", "12"), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("lms.partiton");
  }

  @Test
  void ignoresUnrelatedEnvironmentVariables() {
    LmsConfig config = LmsConfig.parse(Map.of(), Map.of("LMS_HOME", "/opt/lms", "PATH", "/usr/bin"));

    assertThat(config).isEqualTo(LmsConfig.defaults());
  }

  @Test
  void refusesToPassThroughWhatLmsOwns() {
    assertThatThrownBy(
            () -> LmsConfig.parse(Map.of(), Map.of("LMS_STREAMS_PROCESSING_GUARANTEE", "at_least_once")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("processing.guarantee")
        .hasMessageContaining("exactly_once_v2");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("streams.num.stream.threads", "4"), Map.of()))
        .hasMessageContaining("LMS_NUM_STREAM_THREADS");
  }

  @Test
  void loadsTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lms.properties");
    Files.writeString(file, "lms.partitions=3\nstreams.cache.max.bytes.buffering=0\n");

    LmsConfig config = LmsConfig.load(Optional.of(file), Map.of("LMS_HTTP_PORT", "9000"));

    assertThat(config.partitions()).isEqualTo(3);
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.streamsOverrides()).containsEntry("cache.max.bytes.buffering", "0");
  }

  @Test
  void aMissingConfigFileIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> LmsConfig.load(Optional.of(missing), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("nope.properties");
  }

  @Test
  void joiningAClusterWithoutAnInstanceSecretIsAStartUpErrorThatSaysWhatToSet() {
    LmsConfig cluster = LmsConfig.parse(Map.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

    assertThatThrownBy(cluster::serviceInstanceSecret)
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_INSTANCE_SECRET")
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    // The embedded default is alone: it makes up its own.
    assertThat(LmsConfig.defaults().serviceInstanceSecret()).hasSizeGreaterThanOrEqualTo(32)
        .isNotEqualTo(LmsConfig.defaults().serviceInstanceSecret());
  }

  @Test
  void theInstanceSecretIsCheckedForLengthAndNeverPrinted() {
    String secret = "s3cr3t-".repeat(6);
    LmsConfig config = LmsConfig.parse(Map.of("lms.instance.secret", secret), Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092"));

    assertThat(config.serviceInstanceSecret()).isEqualTo(secret);
    assertThat(config.toString()).doesNotContain(secret);
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_INSTANCE_SECRET", "short-one")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("too short")
        .hasMessageNotContaining("short-one");
  }

  @Test
  void theSchemaRegistryTakesAUrlAndALoginWhosePasswordIsNeverPrinted() {
    String password = "registry-pa55word";
    LmsConfig config = LmsConfig.parse(Map.of("lms.schema-registry.url", "http://registry:8080/apis/ccompat/v7/"),
        Map.of("LMS_SCHEMA_REGISTRY_USER", "lms", "LMS_SCHEMA_REGISTRY_PASSWORD", password));

    var registry = config.schemaRegistry().orElseThrow();
    assertThat(registry.url()).hasToString("http://registry:8080/apis/ccompat/v7/");
    assertThat(registry.credentials()).hasValueSatisfying(login -> {
      assertThat(login.user()).isEqualTo("lms");
      assertThat(login.password()).isEqualTo(password);
    });
    assertThat(registry.client().url()).isEqualTo("http://registry:8080/apis/ccompat/v7");
    assertThat(config.toString()).contains("http://registry:8080").doesNotContain(password);
    assertThat(LmsConfig.parse(Map.of(), Map.of("LMS_SCHEMA_REGISTRY_URL", "https://sr.example.com")).schemaRegistry())
        .hasValueSatisfying(r -> assertThat(r.credentials()).isEmpty());
  }

  @Test
  void aHalfLoginOrALoginWithoutARegistryIsRefused() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(),
        Map.of("LMS_SCHEMA_REGISTRY_URL", "http://sr:8081", "LMS_SCHEMA_REGISTRY_PASSWORD", "secret-1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_SCHEMA_REGISTRY_PASSWORD is set without LMS_SCHEMA_REGISTRY_USER")
        .hasMessageNotContaining("secret-1");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_SCHEMA_REGISTRY_URL", "http://sr:8081", "LMS_SCHEMA_REGISTRY_USER", "lms")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_SCHEMA_REGISTRY_USER is set without LMS_SCHEMA_REGISTRY_PASSWORD");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_SCHEMA_REGISTRY_USER", "lms", "LMS_SCHEMA_REGISTRY_PASSWORD", "secret-1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("without LMS_SCHEMA_REGISTRY_URL")
        .hasMessageNotContaining("secret-1");
  }

  @Test
  void aRegistryUrlMustBeHttpWithAHostAndNoLoginInIt() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_SCHEMA_REGISTRY_URL", "registry:8081")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("environment variable LMS_SCHEMA_REGISTRY_URL")
        .hasMessageContaining("\"registry:8081\"")
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("lms.schema-registry.url", "http://sr:8081/ x"), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("lms.schema-registry.url in the config file");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_SCHEMA_REGISTRY_URL", "http://lms:secret-2@sr:8081")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_SCHEMA_REGISTRY_USER")
        .hasMessageNotContaining("secret-2");
  }
}
