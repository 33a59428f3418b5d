package io.lms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of the application, kept by the build as Apache Kafka keeps its own with
 * {@code checkstyle/import-control.xml}: which packages of LMS each package may import, and which
 * outside packages it must not. The domain is plain Java on the schema's values; the topology
 * knows no HTTP and no running application; the HTTP layer reaches state only through the query
 * and command sides, never a store.
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/io/lms");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

  /** For each package, the LMS packages it may import (its own and the schema are always allowed). */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "domain", Set.of(),
      // Requests as JSON (the HTTP bodies, the JSON command envelope): read into the schema's values.
      "command.json", Set.of("domain"),
      "topology", Set.of("domain", "command.json"),
      "query", Set.of("domain", "topology"),
      "command", Set.of("domain", "topology", "command.json"),
      "http", Set.of("domain", "query", "command", "command.json"),
      // A client of a schema registry's REST API: knows the schemas, not where LMS uses them.
      "registry", Set.of(),
      "runtime", Set.of("domain", "command.json", "topology", "query", "command", "http", "registry"),
      "cli", Set.of("domain", "command.json", "topology", "command", "runtime", "http", "registry"));

  /** Outside packages a layer must not use, whatever it imports of LMS. */
  private static final Map<String, List<String>> FORBIDDEN = Map.of(
      "domain", List.of("org.apache.kafka", "io.javalin", "com.fasterxml.jackson"),
      "registry", List.of("org.apache.kafka", "io.javalin"),
      "topology", List.of("io.javalin", "org.apache.kafka.streams.KafkaStreams", "org.apache.kafka.clients"),
      "query", List.of("io.javalin"),
      // HostInfo is an address, not state: the one class of the Streams state package allowed here.
      "http", List.of("org.apache.kafka.streams.state.KeyValueStore", "org.apache.kafka.streams.state.ReadOnly",
          "org.apache.kafka.streams.state.QueryableStoreTypes", "org.apache.kafka.streams.KafkaStreams",
          "org.apache.kafka.streams.StoreQueryParameters", "org.apache.kafka.clients"));

  @Test
  void everyPackageImportsOnlyTheLayersBelowIt() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String layer = layerOf(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
        assertThat(ALLOWED).as("the layer of %s has rules", file).containsKey(layer);
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          if (imported.startsWith("io.lms.")) {
            String target = layerOf(imported.substring("io.lms.".length(), imported.lastIndexOf('.')));
            if (!target.equals(layer) && !target.equals("schema") && !ALLOWED.get(layer).contains(target)) {
              violations.add(file + " imports " + imported);
            }
          }
          for (String forbidden : FORBIDDEN.getOrDefault(layer, List.of())) {
            if (imported.startsWith(forbidden)) {
              violations.add(file + " imports " + imported + " (" + layer + " must not use " + forbidden + ")");
            }
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** A package's layer: {@code command.json} is one of its own, any other sub-package is its parent's. */
  private static String layerOf(String pkg) {
    return pkg.startsWith("command.json") ? "command.json" : pkg.split("\\.")[0];
  }
}
