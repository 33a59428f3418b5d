package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The topology as {@code Topology#describe()} prints it, against the copy kept in
 * {@code src/test/resources/golden/topology.txt}. A renamed processor, store or topic renames a
 * changelog or loses state in production, so such a change must be made on purpose: rerun with
 * {@code -Dlms.golden.update=true} and commit the new file with the change.
 */
class TopologyDescriptionTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/topology.txt");

  @Test
  void shouldNotChangeTheTopologyUnintentionally() throws IOException {
    String actual = LmsTopology.build(LmsTopics.defaults(), TopologySettings.defaults()).describe().toString();
    if (Boolean.getBoolean("lms.golden.update")) {
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(GOLDEN).as("golden topology description (regenerate with -Dlms.golden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void theBenchmarksTopologyWithoutRouterDiffersOnlyByTheRouter() {
    TopologyDescription routed = LmsTopology.build(LmsTopics.defaults(), TopologySettings.defaults()).describe();
    TopologyDescription unrouted =
        LmsTopology.buildWithoutRouter(LmsTopics.defaults(), TopologySettings.defaults()).describe();

    assertThat(nodeNames(routed)).containsAll(nodeNames(unrouted))
        .containsOnlyOnceElementsOf(Set.of(TopologyNames.COMMAND_ROUTER, TopologyNames.COMMANDS_REROUTE_SINK));
    assertThat(nodeNames(unrouted))
        .doesNotContain(TopologyNames.COMMAND_ROUTER, TopologyNames.COMMANDS_REROUTE_SINK)
        .hasSize(nodeNames(routed).size() - 2);
    assertThat(stores(unrouted)).isEqualTo(stores(routed));
  }

  private static Set<String> nodeNames(TopologyDescription description) {
    return description.subtopologies().stream().flatMap(s -> s.nodes().stream())
        .map(TopologyDescription.Node::name).collect(Collectors.toSet());
  }

  private static Set<String> stores(TopologyDescription description) {
    return description.subtopologies().stream().flatMap(s -> s.nodes().stream())
        .filter(TopologyDescription.Processor.class::isInstance)
        .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream()).collect(Collectors.toSet());
  }

  @Test
  void settingsDoNotChangeTheShapeOfTheTopology() {
    TopologySettings autoClosing = new TopologySettings(
        ZoneId.of("Asia/Kolkata"), false, Optional.of(Duration.ofDays(30)), Duration.ofSeconds(10), Duration.ofDays(1), 12);
    assertThat(LmsTopology.build(LmsTopics.defaults(), autoClosing).describe())
        .isEqualTo(LmsTopology.build(LmsTopics.defaults(), TopologySettings.defaults()).describe());
  }
}
