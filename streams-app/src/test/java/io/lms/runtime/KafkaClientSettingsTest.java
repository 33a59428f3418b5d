package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"lms\" password=\"pa55-word\";";
  private static final Map<String, String> SASL_ENV = Map.of(
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
      "LMS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
      "LMS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
      "LMS_KAFKA_SASL_JAAS_CONFIG", JAAS,
      "LMS_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-me");

  @Test
  void comeFromTheEnvironmentAndTheConfigFileTheEnvironmentWinning() {
    LmsConfig config = LmsConfig.parse(
        Map.of("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN",
            "kafka.client.dns.lookup", "use_all_dns_ips"),
        Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "LMS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));

    assertThat(config.kafkaClientSettings().values()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "SCRAM-SHA-512",
        "client.dns.lookup", "use_all_dns_ips"));
  }

  @Test
  void kafkaBootstrapServersInTheFileStaysTheClusterAddressAndIsNoClientSetting() {
    LmsConfig config = LmsConfig.parse(Map.of("kafka.bootstrap.servers", "kafka:9092"), Map.of());

    assertThat(config.bootstrapServers()).contains("kafka:9092");
    assertThat(config.kafkaClientSettings()).isEqualTo(KafkaClientSettings.none());
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("set it with KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void everyClientStartsFromTheAddressAndTheSettings() {
    var settings = LmsConfig.parse(Map.of(), SASL_ENV).kafkaClientSettings();

    assertThat(settings.connection("kafka:9093"))
        .containsEntry("bootstrap.servers", "kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("sasl.jaas.config", JAAS);
  }

  @Test
  void kafkaStreamsHandsThemToEachOfItsClientsAndItsOwnPassThroughWinsForItAlone() {
    var env = new HashMap<>(SASL_ENV);
    env.put("LMS_STREAMS_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("LMS_STREAMS_PRODUCER_SSL_TRUSTSTORE_PASSWORD", "producer-trust");

    var streams = new StreamsConfig(LmsConfig.parse(Map.of(), env).streamsProperties("kafka:9093"));

    var consumer = streams.getMainConsumerConfigs("lms", "lms-1", 0);
    var producer = streams.getProducerConfigs("lms-1");
    var admin = streams.getAdminConfigs("lms-1");
    for (Map<String, Object> client : List.of(consumer, producer, admin)) {
      assertThat(client)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.jaas.config", JAAS)
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }
    assertThat(producer).containsEntry("ssl.truststore.password", "producer-trust");
    assertThat(consumer).containsEntry("ssl.truststore.password", "trust-me");
  }

  @Test
  void refusesSettingsOfOneKindOfClientSayingWhereTheyGo() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_ACKS", "1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_KAFKA_ACKS / kafka.acks")
        .hasMessageContaining("LMS_STREAMS_ACKS");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("kafka.isolation.level", "read_uncommitted"), Map.of()))
        .hasMessageContaining("kafka.isolation.level");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_CLIENT_ID", "lms")))
        .hasMessageContaining("LMS_KAFKA_CLIENT_ID")
        .hasMessageContaining("names itself");
  }

  @Test
  void refusesATypoRatherThanIgnoringIt() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_SASL_MECHANISIM", "PLAIN")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_KAFKA_SASL_MECHANISIM")
        .hasMessageContaining("typo");
  }

  @Test
  void checksValuesAsKafkaWouldNamingTheSetting() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093", "LMS_KAFKA_SECURITY_PROTOCOL", "SASL_TLS")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_KAFKA_SECURITY_PROTOCOL")
        .hasMessageContaining("SASL_TLS")
        .hasMessageContaining("SASL_SSL");
    assertThatThrownBy(() -> LmsConfig.parse(Map.of("kafka.request.timeout.ms", "soon"), Map.of()))
        .hasMessageContaining("kafka.request.timeout.ms")
        .hasMessageContaining("soon");
  }

  @Test
  void secretsAreNeverPrintedWhereverTheyCameFrom() {
    var env = new HashMap<>(SASL_ENV);
    env.put("LMS_STREAMS_PRODUCER_SASL_JAAS_CONFIG", JAAS.replace("pa55-word", "streams-only-pass"));
    env.put("LMS_STREAMS_MAIN_CONSUMER_SSL_KEY_PASSWORD", "key-pass");

    LmsConfig config = LmsConfig.parse(Map.of(), env);

    assertThat(config.toString())
        .doesNotContain("pa55-word", "trust-me", "streams-only-pass", "key-pass")
        .contains("sasl.jaas.config=*****", "ssl.truststore.password=*****", "sasl.mechanism=SCRAM-SHA-256")
        .contains("producer.sasl.jaas.config=*****", "main.consumer.ssl.key.password=*****");
    assertThat(config.streamsOverrides()).containsEntry("main.consumer.ssl.key.password", "key-pass");
  }

  @Test
  void aSecuredProtocolWithoutAClusterIsRefusedBeforeAnEmbeddedBrokerStarts() {
    assertThatThrownBy(() -> LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_KAFKA_SECURITY_PROTOCOL")
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    // Settings that do not change the protocol suit the embedded broker as well.
    assertThat(LmsConfig.parse(Map.of(), Map.of("LMS_KAFKA_SECURITY_PROTOCOL", "plaintext",
        "LMS_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips")).embedded()).isTrue();
  }

  @Test
  void aCommandConfigFileOverridesKeyByKey(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"),
        "security.protocol=SASL_SSL\nsasl.jaas.config=" + JAAS.replace("\"", "\\\"") + "\n");
    var fromEnv = LmsConfig.parse(Map.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9093",
        "LMS_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "LMS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
        "LMS_KAFKA_SASL_JAAS_CONFIG", "wrong")).kafkaClientSettings();

    var merged = fromEnv.overriddenBy(KafkaClientSettings.fromFile(file));

    assertThat(merged.values()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config", JAAS));
  }

  @Test
  void aCommandConfigFileIsCheckedNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\nacks=all\n");

    assertThatThrownBy(() -> KafkaClientSettings.fromFile(file))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("acks in the command config " + file);
    assertThatThrownBy(() -> KafkaClientSettings.fromFile(dir.resolve("missing.properties")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("missing.properties");
  }
}
