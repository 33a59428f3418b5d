package io.lms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.runtime.LmsApplication;
import io.lms.runtime.LmsConfig;
import io.lms.runtime.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two imports at once, into two orgs, of files with the same name: their commandIds
 * ({@code <file>:<line>}) are the same, and each import must still get exactly its own outcomes.
 */
class ConcurrentImportsIT {
  private static final int LINES = 40;

  @TempDir static Path dir;
  static Map<String, String> env;
  static LmsApplication app;

  @BeforeAll
  static void start() throws Exception {
    env = SharedKafka.isolatedEnvironment("imports", dir.resolve("state"));
    app = SharedKafka.startRunning(LmsConfig.parse(Map.of(), env));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** A file of create-lead lines: those whose number {@code rejected} picks have a status no lead may have. */
  private static Path till(String folder, String org, java.util.function.IntPredicate rejected) throws Exception {
    var lines = new ArrayList<String>();
    for (int line = 1; line <= LINES; line++) {
      lines.add("{\"leadFor\":\"" + org + "-item-" + line + "\",\"idType\":\"EMAIL\",\"identifier\":\"c" + line
          + "@example.com\"" + (rejected.test(line) ? ",\"status\":\"MAYBE\"" : "") + "}");
    }
    Path folderPath = Files.createDirectories(dir.resolve(folder));
    return Files.writeString(folderPath.resolve("till.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void twoOrgsImportingSameNamedFilesAtOnceEachGetTheirOwnOutcomes() throws Exception {
    // given north's file, with every line good but 3 and 7, and south's, with every line bad but 5
    Path north = till("north", "north", line -> line == 3 || line == 7);
    Path south = till("south", "south", line -> line != 5);
    Path northRejects = dir.resolve("north-rejects.jsonl");
    Path southRejects = dir.resolve("south-rejects.jsonl");

    // when both are imported at the same moment
    var start = new CyclicBarrier(2);
    CompletableFuture<Cli> northImport = CompletableFuture.supplyAsync(() -> importAt(start, north, "north", northRejects));
    CompletableFuture<Cli> southImport = CompletableFuture.supplyAsync(() -> importAt(start, south, "south", southRejects));
    Cli northRun = northImport.get(2, TimeUnit.MINUTES);
    Cli southRun = southImport.get(2, TimeUnit.MINUTES);

    // then each summary counts its own file's outcomes, and each rejects file holds its own lines
    assertThat(northRun.err()).contains("commandIds till.jsonl:<line>");
    assertThat(southRun.err()).contains("commandIds till.jsonl:<line>");
    assertThat(northRun.out()).as(northRun.out()).containsPattern("accepted\\s+38\n").containsPattern("rejected\\s+2\n")
        .containsPattern("92003\\s+2\\s+Invalid Lead Status MAYBE\\s+lines 3, 7");
    assertThat(southRun.out()).as(southRun.out()).containsPattern("accepted\\s+1\n").containsPattern("rejected\\s+39\n");
    assertThat(Files.readAllLines(northRejects)).hasSize(2).allSatisfy(line -> assertThat(line).contains("north-item-"));
    assertThat(Files.readAllLines(southRejects)).hasSize(39).allSatisfy(line -> assertThat(line).contains("south-item-"));

    // and a second run of each, again at once, gets the first outcomes back, each its own
    var again = new CyclicBarrier(2);
    CompletableFuture<Cli> northAgain = CompletableFuture.supplyAsync(() -> importAt(again, north, "north", null));
    CompletableFuture<Cli> southAgain = CompletableFuture.supplyAsync(() -> importAt(again, south, "south", null));
    assertThat(northAgain.get(2, TimeUnit.MINUTES).out()).containsPattern("accepted\\s+38\n");
    assertThat(southAgain.get(2, TimeUnit.MINUTES).out()).containsPattern("accepted\\s+1\n");
  }

  private static Cli importAt(CyclicBarrier start, Path file, String org, Path rejects) {
    try {
      start.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<String> args = new ArrayList<>(List.of("import", file.toString(), "--org", org, "--staff-id", "7"));
    if (rejects != null) {
      args.addAll(List.of("--rejects", rejects.toString()));
    }
    return Cli.run(env, args.toArray(String[]::new));
  }
}
