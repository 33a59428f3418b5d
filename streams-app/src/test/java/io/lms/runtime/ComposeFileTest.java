package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment in docker-compose.yml against what the app reads: every variable given to an LMS
 * container is a setting the app knows (a typo would be ignored in silence, and the default used),
 * every value parses as the app would parse it, and the shape the file promises holds.
 */
class ComposeFileTest {
  private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");
  /** Read by the JVM or the LMS entry point rather than by LmsConfig. */
  private static final Set<String> OTHER_KNOWN_VARIABLES = Set.of(LmsMain.CONFIG_FILE_ENV, "JAVA_TOOL_OPTIONS");
  /** Compose's {@code ${NAME:-default}}, {@code ${NAME-default}} and {@code ${NAME:?message}} (required). */
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?:(:?-)([^}]*)|:\\?([^}]*))?}");
  /** What the operator must export before {@code docker compose up}: the file gives no default on purpose. */
  private static final Map<String, String> OPERATOR_SUPPLIED = Map.of("LMS_INSTANCE_SECRET", "x".repeat(44));

  static Map<String, Object> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readComposeFile() throws IOException {
    assertThat(COMPOSE_FILE).as("docker-compose.yml at the repository root").isRegularFile();
    var options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try (Reader reader = Files.newBufferedReader(COMPOSE_FILE, StandardCharsets.UTF_8)) {
      // SnakeYAML resolves the anchors and merge keys (<<: *lms-env) as compose does.
      Map<String, Object> file = new Yaml(new SafeConstructor(options)).load(reader);
      services = (Map<String, Object>) file.get("services");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    return (Map<String, Object>) services.get(name);
  }

  /** The services that run the LMS image: the instances and the topics job. */
  private static Map<String, Map<String, Object>> lmsServices() {
    var lms = new LinkedHashMap<String, Map<String, Object>>();
    services.keySet().forEach(name -> {
      Object image = service(name).get("image");
      if (image != null && image.toString().startsWith("lms-streams")) {
        lms.put(name, service(name));
      }
    });
    return lms;
  }

  /** The long-running instances: the LMS services that run the default command. */
  private static Map<String, Map<String, Object>> instances() {
    var instances = new LinkedHashMap<>(lmsServices());
    instances.values().removeIf(s -> s.containsKey("command"));
    return instances;
  }

  /** A service's environment as the container sees it: strings, compose defaults substituted. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Object environment = service.get("environment");
    assertThat(environment).as("environment as a mapping").isInstanceOf(Map.class);
    var env = new TreeMap<String, String>();
    ((Map<String, Object>) environment).forEach((key, value) -> env.put(key, interpolated(String.valueOf(value))));
    return env;
  }

  private static String interpolated(String value) {
    Matcher m = INTERPOLATION.matcher(value);
    var result = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(4) != null) {
        assertThat(OPERATOR_SUPPLIED).as("a variable compose requires of the operator").containsKey(m.group(1));
        replacement = OPERATOR_SUPPLIED.get(m.group(1));
      } else {
        replacement = m.group(3) == null ? "" : m.group(3);
      }
      m.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(result);
    return result.toString().replace("$$", "$");
  }

  @Test
  void everyVariableGivenToTheAppIsOneItReads() {
    Set<String> settings = Arrays.stream(Setting.values()).map(Setting::env).collect(Collectors.toSet());
    var unknown = new TreeMap<String, List<String>>();

    lmsServices().forEach((name, service) -> environment(service).keySet().stream()
        .filter(variable -> !settings.contains(variable)
            && !variable.startsWith(PassThrough.STREAMS.envPrefix())
            && !variable.startsWith(PassThrough.KAFKA_CLIENTS.envPrefix())
            && !OTHER_KNOWN_VARIABLES.contains(variable))
        .forEach(variable -> unknown.computeIfAbsent(name, n -> new ArrayList<>()).add(variable)));

    assertThat(lmsServices()).isNotEmpty();
    assertThat(unknown).as("variables the app does not read, by service").isEmpty();
  }

  @Test
  void everyValueParsesAsTheAppParsesIt() {
    var invalid = new TreeMap<String, String>();

    lmsServices().forEach((name, service) -> {
      try {
        LmsConfig.parse(Map.of(), environment(service));
      } catch (InvalidSettingException e) {
        invalid.put(name, e.getMessage());
      }
    });

    assertThat(invalid).as("settings the app refuses, by service").isEmpty();
  }

  @Test
  void theTopicsJobAndEveryInstanceAgreeOnClusterTopicsAndApplication() {
    record Shared(Object bootstrap, String prefix, int partitions, short replication, String applicationId) {}

    var shared = lmsServices().values().stream()
        .map(s -> LmsConfig.parse(Map.of(), environment(s)))
        .map(c -> new Shared(c.bootstrapServers(), c.topicPrefix(), c.partitions(), c.replicationFactor(),
            c.applicationId()))
        .distinct()
        .toList();

    assertThat(shared).hasSize(1);
    assertThat(lmsServices()).containsKey("lms-topics");
    assertThat(lmsServices().get("lms-topics").get("command")).isEqualTo(List.of("topics"));
  }

  @Test
  void atLeastTwoInstancesWithStandbysEachAdvertisingItsOwnHostAndKeepingItsState() {
    Map<String, Map<String, Object>> instances = instances();
    assertThat(instances).hasSizeGreaterThanOrEqualTo(2);

    assertThat(instances).allSatisfy((name, service) -> {
      LmsConfig config = LmsConfig.parse(Map.of(), environment(service));
      assertThat(config.embedded()).as("%s joins the cluster", name).isFalse();
      assertThat(config.numStandbyReplicas()).as("%s standbys", name).isGreaterThanOrEqualTo(1);
      assertThat(config.httpAdvertisedHost()).as("%s advertises its hostname", name).contains(
          String.valueOf(service.get("hostname")));
      assertThat(config.httpHost()).as("%s listens beyond its loopback", name).isEqualTo("0.0.0.0");
      // The operator's secret, the same for all: a made-up one would fail every forwarded read.
      assertThat(config.serviceInstanceSecret()).as("%s signs forwarded reads", name)
          .isEqualTo(OPERATOR_SUPPLIED.get("LMS_INSTANCE_SECRET"));
      assertThat(stateVolumeOf(service)).as("%s keeps %s in a named volume", name, config.stateDir())
          .anySatisfy(target -> assertThat(config.stateDir()).startsWithRaw(Path.of(target)));
    });
    assertThat(instances.values().stream().map(s -> environment(s).get("LMS_HTTP_ADVERTISED_HOST")).distinct())
        .hasSize(instances.size());
  }

  @SuppressWarnings("unchecked")
  private static List<String> stateVolumeOf(Map<String, Object> service) {
    return ((List<String>) service.getOrDefault("volumes", List.of())).stream()
        .map(volume -> volume.split(":"))
        .filter(parts -> parts.length >= 2 && !parts[0].startsWith(".") && !parts[0].startsWith("/"))
        .map(parts -> parts[1])
        .toList();
  }

  @Test
  void theBootstrapNamesThreeBrokersThatReplicateThreeTimesAndNeedTwoInSync() {
    LmsConfig config = LmsConfig.parse(Map.of(), environment(instances().values().iterator().next()));
    List<String> brokers = Arrays.stream(config.bootstrapServers().orElseThrow().split(","))
        .map(address -> address.substring(0, address.indexOf(':'))).toList();

    assertThat(brokers).hasSize(3);
    assertThat(config.replicationFactor()).isEqualTo((short) 3);
    assertThat(brokers).allSatisfy(broker -> {
      assertThat(services).as("a service named %s", broker).containsKey(broker);
      Map<String, String> env = environment(service(broker));
      assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
          .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
          .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
          .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
          .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + broker + ":9092");
      assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(3);
    });
    assertThat(brokers.stream().map(b -> environment(service(b)).get("KAFKA_NODE_ID")).distinct()).hasSize(3);
  }
}
