package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.http.PasswordHash;
import io.lms.runtime.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LmsCliTest {
  private static final Map<String, String> NO_ENV = Map.of();

  private static <T> T parsed(Class<T> type, String... args) {
    var cli = new LmsCli(NO_ENV, System.in, null);
    CommandLine.ParseResult result = new CommandLine(cli).parseArgs(args);
    Object command = result.hasSubcommand() ? result.subcommand().commandSpec().userObject() : cli;
    return type.cast(command);
  }

  // ---- the service: no command, or run

  @Test
  void noCommandRunsTheServiceWhichRefusesBadSettingsWithExitCodeTwo() {
    assertThat(Cli.run(Map.of("LMS_PARTITIONS", "many")).exitCode()).isEqualTo(2);
    assertThat(Cli.run(Map.of("LMS_PARTITIONS", "many"), "run").exitCode()).isEqualTo(2);
  }

  @Test
  void configArgumentWinsOverTheEnvironmentInBothForms() {
    var env = Map.of("LMS_CONFIG_FILE", "b.properties");
    var cli = new LmsCli(env, System.in, null);

    new CommandLine(cli).parseArgs("--config", "a.properties");
    assertThat(cli.configFile()).contains(Path.of("a.properties"));

    new CommandLine(cli).parseArgs("--config=c.properties");
    assertThat(cli.configFile()).contains(Path.of("c.properties"));

    assertThat(new LmsCli(env, System.in, null).configFile()).contains(Path.of("b.properties"));
    assertThat(parsed(RunCommand.class, "run", "--config", "d.properties").config).isEqualTo(Path.of("d.properties"));
  }

  @Test
  void unknownArgumentsAndAMissingValueExitWithCodeTwo() {
    Cli unknown = Cli.run(NO_ENV, "--verbose");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("--verbose");

    assertThat(Cli.run(NO_ENV, "--config").exitCode()).isEqualTo(2);
    assertThat(Cli.run(NO_ENV, "frobnicate").exitCode()).isEqualTo(2);
  }

  @Test
  void helpListsEveryCommand() {
    Cli help = Cli.run(NO_ENV, "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("run", "import", "tail", "topics", "schemas", "hash-password");
  }

  // ---- import

  @Test
  void importTakesTheFileOrgStaffAndKind() {
    ImportCommand command = parsed(ImportCommand.class,
        "import", "statuses.jsonl", "--org", "acme", "--staff-id", "7", "--kind", "change-status",
        "--timeout", "PT5S", "--max-in-flight", "50", "--rejects", "bad.jsonl");

    assertThat(command.file).isEqualTo(Path.of("statuses.jsonl"));
    assertThat(command.org).isEqualTo("acme");
    assertThat(command.staffId).isEqualTo(7L);
    assertThat(command.kind).isEqualTo(ImportKind.CHANGE_STATUS);
    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(5));
    assertThat(command.maxInFlight).isEqualTo(50);
    assertThat(command.rejectsFile).isEqualTo(Path.of("bad.jsonl"));
  }

  @Test
  void importDefaultsToCreateLeadsNamedAfterTheFile() {
    ImportCommand command = parsed(ImportCommand.class, "import", "leads.jsonl", "--org", "acme", "--staff-id", "7");

    assertThat(command.kind).isEqualTo(ImportKind.CREATE_LEAD);
    assertThat(command.idPrefix).isNull();
    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void importRefusesMissingFlagsAndUnknownKindsWithExitCodeTwo() {
    Cli noOrg = Cli.run(NO_ENV, "import", "leads.jsonl", "--staff-id", "7");
    assertThat(noOrg.exitCode()).isEqualTo(2);
    assertThat(noOrg.err()).contains("--org");

    Cli badKind = Cli.run(NO_ENV, "import", "leads.jsonl", "--org", "acme", "--staff-id", "7", "--kind", "delete");
    assertThat(badKind.exitCode()).isEqualTo(2);
    assertThat(badKind.err()).contains("change-status");

    Cli badOrg = Cli.run(NO_ENV, "import", "leads.jsonl", "--org", "a b", "--staff-id", "7");
    assertThat(badOrg.exitCode()).isEqualTo(2);
    assertThat(badOrg.err()).contains("--org");
  }

  @Test
  void importRefusesAFileItCannotReadBeforeTouchingKafka() {
    Cli missing = Cli.run(NO_ENV, "import", "no-such-file.jsonl", "--org", "acme", "--staff-id", "7");

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no-such-file.jsonl");
  }

  // ---- tail

  @Test
  void tailDefaultsToTheEventsFromTheBeginningUntilTheEnd() {
    TailCommand command = parsed(TailCommand.class, "tail");

    assertThat(command.topic).isEqualTo("lead-events");
    assertThat(command.follow).isFalse();
    assertThat(command.from).isNull();
  }

  @Test
  void tailTakesATopicFollowAndAStartTime() {
    TailCommand command = parsed(TailCommand.class, "tail", "leads", "-f", "--from", "2026-11-27T10:00:00+05:30");

    assertThat(command.topic).isEqualTo("leads");
    assertThat(command.follow).isTrue();
    assertThat(TailCommand.instantOf(command.from)).hasToString("2026-11-27T04:30:00Z");
  }

  @Test
  void tailRefusesATimeWithoutOffsetAndUnknownTopicsBeforeTouchingKafka() {
    Cli localTime = Cli.run(NO_ENV, "tail", "--from", "2026-11-27T10:00:00");
    assertThat(localTime.exitCode()).isEqualTo(2);
    assertThat(localTime.err()).contains("--from");

    Cli unknownTopic = Cli.run(NO_ENV, "tail", "orders");
    assertThat(unknownTopic.exitCode()).isEqualTo(2);
    assertThat(unknownTopic.err()).contains("lead-events", "command-results");
  }

  // ---- schemas (against a real registry in SchemasCommandIT)

  @Test
  void schemasWithoutARegistryIsABadUsageSayingWhatToGive() {
    Cli cli = Cli.run(Map.of(), "schemas");

    assertThat(cli.exitCode()).isEqualTo(LmsCli.BAD_USAGE);
    assertThat(cli.err()).contains("lms schemas: no schema registry: give --registry <url> or set LMS_SCHEMA_REGISTRY_URL");
  }

  // ---- topics

  @Test
  void topicsTakesPartitionsAndReplication() {
    TopicsCommand command = parsed(TopicsCommand.class, "topics", "--partitions", "12", "--replication-factor", "3");

    assertThat(command.partitions).isEqualTo(12);
    assertThat(command.replicationFactor).isEqualTo((short) 3);
    assertThat(command.timeout).isEqualTo(Duration.ofMinutes(2));
  }

  // ---- where the tools find Kafka

  @Test
  void toolsTakeKafkaAndPrefixFromFlagsElseTheEnvironmentElseTheEmbeddedDefault() {
    var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092", "LMS_TOPIC_PREFIX", "prod.lms.");
    var fromEnv = new ClusterOptions().resolve(new LmsCli(env, System.in, null));
    assertThat(fromEnv.bootstrapServers()).isEqualTo("kafka-1:9092");
    assertThat(fromEnv.topics().events().name()).isEqualTo("prod.lms.lead-events");

    var flags = parsed(TailCommand.class, "tail", "--bootstrap", "other:9093", "--prefix", "test.").cluster;
    var fromFlags = flags.resolve(new LmsCli(env, System.in, null));
    assertThat(fromFlags.bootstrapServers()).isEqualTo("other:9093");
    assertThat(fromFlags.topics().commands().name()).isEqualTo("test.lead-commands");

    var embedded = new ClusterOptions().resolve(new LmsCli(Map.of("LMS_EMBEDDED_PORT", "9999"), System.in, null));
    assertThat(embedded.bootstrapServers()).isEqualTo("127.0.0.1:9999");
    assertThat(embedded.topics().events().name()).isEqualTo("lms.lead-events");
  }

  @Test
  void toolsRefuseABadPrefixAndAnUnknowableEmbeddedPort() {
    var badPrefix = parsed(TailCommand.class, "tail", "--prefix", "a b").cluster;
    assertThatThrownBy(() -> badPrefix.resolve(new LmsCli(NO_ENV, System.in, null)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("LMS_TOPIC_PREFIX");

    assertThatThrownBy(() -> new ClusterOptions().resolve(new LmsCli(Map.of("LMS_EMBEDDED_PORT", "0"), System.in, null)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("--bootstrap");
  }

  @Test
  void toolsReachKafkaWithTheClientSettingsOfTheEnvironmentAndACommandConfigOverThem(@TempDir Path dir)
      throws Exception {
    var env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093", "LMS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "LMS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", "LMS_KAFKA_SASL_JAAS_CONFIG", "from the environment");
    Path commandConfig = Files.writeString(dir.resolve("client.properties"),
        "sasl.jaas.config=from the file\nssl.truststore.location=/etc/kafka/ca.p12\n");

    var fromEnv = new ClusterOptions().resolve(new LmsCli(env, System.in, null));
    var flags = parsed(TailCommand.class, "tail", "--command-config", commandConfig.toString()).cluster;
    var fromFile = flags.resolve(new LmsCli(env, System.in, null));

    assertThat(fromEnv.connection()).containsEntry("bootstrap.servers", "kafka-1:9093")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", "from the environment");
    assertThat(fromFile.connection()).containsEntry("bootstrap.servers", "kafka-1:9093")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("sasl.jaas.config", "from the file").containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12");
  }

  @Test
  void aCommandConfigWithASettingNotEveryClientTakesExitsWithCodeTwoNamingIt(@TempDir Path dir) throws Exception {
    Path commandConfig = Files.writeString(dir.resolve("client.properties"), "enable.idempotence=false\n");

    Cli refused = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093"), "topics", "--command-config",
        commandConfig.toString());

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("enable.idempotence in the command config " + commandConfig);
  }

  // ---- hash-password

  @Test
  void hashPasswordHashesStandardInputWithoutItsLineEnd() {
    Cli hashed = Cli.runWithInput(NO_ENV, "s3cret pass\n", "hash-password");

    assertThat(hashed.exitCode()).isZero();
    assertThat(PasswordHash.matches("s3cret pass".toCharArray(), hashed.out().strip())).isTrue();
  }

  @Test
  void hashPasswordRefusesAnEmptyPassword() {
    assertThat(Cli.runWithInput(NO_ENV, "\n", "hash-password").exitCode()).isEqualTo(2);
  }
}
