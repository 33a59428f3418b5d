package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lms.runtime.LmsApplication;
import io.lms.runtime.LmsConfig;
import io.lms.runtime.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator tools against a running LMS on the real broker: import a file with good, rejected
 * and malformed lines, import it again, and read what happened with tail.
 */
class OperatorToolsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  static Map<String, String> env;
  static LmsApplication app;

  @BeforeAll
  static void start() throws Exception {
    env = SharedKafka.isolatedEnvironment("cli", dir.resolve("state"));
    app = new LmsApplication(LmsConfig.parse(Map.of(), env));
    app.start();
    assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static Path file(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** The tools as run beside an instance: its environment says where Kafka and the topics are. */
  private static Cli lms(String... args) {
    return Cli.run(env, args);
  }

  private static List<JsonNode> jsonLines(String text) throws Exception {
    var lines = new ArrayList<JsonNode>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static String payloadType(JsonNode record) {
    return record.get("value").get("payload").fieldNames().next();
  }

  @Test
  void importsAFileReportsItsRejectedAndMalformedLinesAndTailShowsWhatChanged() throws Exception {
    // given a file of create-lead bodies: two good, two the service rejects, two malformed, one blank
    Path leads = file("leads.jsonl",
        "{\"leadFor\":\"sku-1\",\"idType\":\"EMAIL\",\"identifier\":\"a@example.com\"}",
        "{\"leadFor\":\"sku-2\",\"idType\":\"EMAIL\",\"identifier\":\"b@example.com\",\"status\":\"MAYBE\"}",
        "",
        "{\"leadFor\":",
        "{\"idType\":\"EMAIL\",\"identifier\":\"c@example.com\"}",
        "{\"leadFor\":\"sku-3\",\"idType\":\"EMAIL\",\"identifier\":\"c@example.com\",\"colour\":\"red\"}",
        "{\"leadFor\":\"sku-4\",\"idType\":\"EMAIL\",\"identifier\":\"d@example.com\"}");
    Path rejects = dir.resolve("leads-rejects.jsonl");

    // when it is imported
    Cli first = lms("import", leads.toString(), "--org", "acme", "--staff-id", "7", "--rejects", rejects.toString());

    // then the summary counts every kind of line, with the lines of each error code
    assertThat(first.exitCode()).as(first.err()).isEqualTo(ImportCommand.SOME_NOT_ACCEPTED);
    assertThat(first.out())
        .containsPattern("lines read\\s+7\\s+\\(1 blank, skipped\\)")
        .containsPattern("sent\\s+4\n")
        .containsPattern("accepted\\s+2\n")
        .containsPattern("rejected\\s+2\n")
        .containsPattern("92003\\s+1\\s+Invalid Lead Status MAYBE\\s+line 2")
        .containsPattern("92006\\s+1\\s+leadFor cannot be null\\s+line 5")
        .containsPattern("malformed\\s+2\\s+\\(never sent\\)")
        .contains("line 4: 93001", "line 6: 93002 Unknown field colour")
        .containsPattern("no outcome\\s+0\n");
    assertThat(first.err()).contains("100%", "7/7 lines");
    assertThat(Files.readAllLines(rejects)).hasSize(4);

    // when the same file is imported again, then nothing changes and the first outcomes come back
    Cli again = lms("import", leads.toString(), "--org", "acme", "--staff-id", "7");
    assertThat(again.exitCode()).isEqualTo(ImportCommand.SOME_NOT_ACCEPTED);
    assertThat(again.out()).containsPattern("accepted\\s+2\n").containsPattern("rejected\\s+2\n");

    // and other kinds of writes go by their lead id
    Path reasons = file("reasons.jsonl", "[{\"reason\":\"Bought elsewhere\"}]");
    assertThat(lms("import", reasons.toString(), "--org", "acme", "--staff-id", "7", "--kind", "reasons").exitCode())
        .isZero();
    Path statuses = file("statuses.jsonl",
        "{\"leadId\":1,\"status\":\"LOST\",\"reasonId\":1}",
        "{\"leadId\":99,\"status\":\"LOST\",\"reasonId\":1}");
    Cli changed = lms("import", statuses.toString(), "--org", "acme", "--staff-id", "7", "--kind", "change-status");
    assertThat(changed.out()).containsPattern("accepted\\s+1\n").containsPattern("92001\\s+1\\s+Lead not found\\s+line 2");

    // then tail prints the events, each lead created once for all the re-run
    Instant afterAll = Instant.now();
    Cli tail = Cli.run(Map.of(), "tail", "--bootstrap", SharedKafka.bootstrapServers(),
        "--prefix", app.config().topicPrefix());
    assertThat(tail.exitCode()).as(tail.err()).isZero();
    List<JsonNode> events = jsonLines(tail.out());
    assertThat(events).allSatisfy(e -> {
      assertThat(e.get("topic").asText()).isEqualTo(app.config().topicPrefix() + "lead-events");
      assertThat(e.get("key").asText()).isEqualTo("acme");
    });
    assertThat(events).extracting(OperatorToolsIT::payloadType).containsExactly(
        "CustomerRegistered", "LeadCreated", "CustomerRegistered", "LeadCreated", "ReasonsConfigured",
        "StatusChanged");
    assertThat(events.get(1).get("value").get("payload").get("LeadCreated").get("lead").get("leadFor").asText())
        .isEqualTo("sku-1");
    assertThat(events.get(1).get("value").get("commandId").asText()).isEqualTo("leads.jsonl:1");
    assertThat(events.get(5).get("value").get("payload").get("StatusChanged").get("entry").get("status").asText())
        .isEqualTo("LOST");

    // and from a time after everything, there is nothing to print; other topics decode too
    assertThat(lms("tail", "--from", afterAll.toString()).out()).isBlank();
    List<JsonNode> results = jsonLines(lms("tail", "command-results", "--max", "1").out());
    assertThat(results).singleElement()
        .satisfies(r -> assertThat(r.get("value").get("outcome").has("Accepted")).isTrue());

    // and the topics the service made are all there, as the tool would have made them
    Cli topics = lms("topics");
    assertThat(topics.exitCode()).isZero();
    assertThat(topics.out().lines()).hasSize(7).allSatisfy(line -> assertThat(line).startsWith("exists"));
  }
}
