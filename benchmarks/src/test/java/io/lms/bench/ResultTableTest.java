package io.lms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.bench.BenchmarkOptions.App;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static final Map<String, String> EVERY_APP = Map.of("producer.compression.type", "lz4");
  private static final ProcessMemory MEMORY = new ProcessMemory(800 * 1024, 1_500 * 1024, 600 * 1024, 2_048 * 1024);

  @Test
  void passesWhenTheFullTopologyReachesBothTargets() {
    String table = ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(
        run(App.PASS_THROUGH, 250_000), run(App.MINIMAL, 40_000), run(App.FULL, 24_000)), MEMORY);

    assertThat(table)
        .containsPattern("full LMS topology\\s+24,000/s\\s+target >= 20,000/s\\s+PASS")
        .containsPattern("full / minimal\\s+60.0%\\s+target >= 50%\\s+PASS")
        .containsPattern("full / pass-through\\s+9.6%")
        .contains("every app, as LMS runs: producer.compression.type=lz4")
        .contains("VmRSS): 800 MB; peak (VmHWM): 1,500 MB; of it Java heap committed: 600 MB (-Xmx 2,048 MB)")
        .doesNotContain("FAIL")
        .doesNotContain("WARNING")
        .doesNotContain("DISTURBED");
  }

  @Test
  void failsEachTargetOnItsOwn() {
    String slow = ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(
        run(App.PASS_THROUGH, 250_000), run(App.MINIMAL, 30_000), run(App.FULL, 18_000)), MEMORY);
    String belowHalf = ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(
        run(App.PASS_THROUGH, 250_000), run(App.MINIMAL, 50_000), run(App.FULL, 21_000)), MEMORY);

    assertThat(slow).containsPattern("18,000/s.*FAIL").containsPattern("full / minimal\\s+60.0%.*PASS");
    assertThat(belowHalf).containsPattern("21,000/s.*PASS").containsPattern("full / minimal\\s+42.0%.*FAIL");
  }

  @Test
  void showsTheMedianOfTheRounds() {
    var options = BenchmarkOptions.parse("--rounds", "3", "--apps", "full");
    String table = ResultTable.render(options, EVERY_APP, List.of(
        run(App.FULL, 19_000), run(App.FULL, 25_000), run(App.FULL, 21_000)), MEMORY);

    assertThat(table).containsPattern("full LMS topology\\s+21,000/s").contains("19,000 / 25,000 / 21,000")
        .contains("n/a (minimal not run)");
  }

  @Test
  void showsWhatTheRouterCostsWhenItsPartnerRan() {
    var options = BenchmarkOptions.parse("--apps", "full,full-without-router");
    String table = ResultTable.render(options, EVERY_APP, List.of(
        run(App.FULL, 19_600), run(App.FULL_WITHOUT_ROUTER, 20_000)), MEMORY);

    assertThat(table).containsPattern("full / full without router\\s+98.0%");
    assertThat(ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(run(App.FULL, 19_600)), MEMORY))
        .doesNotContain("without router");
  }

  @Test
  void flagsARunThatOtherWorkDisturbed() {
    var disturbed = new RunResult(App.FULL, 2, 1_000_000, 40, 1.5, 0.45, 60, "3.10, 2.00, 1.00", List.of(), true);

    assertThat(ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(disturbed), MEMORY))
        .contains("DISTURBED: other work used 0.45 cores during full LMS topology, round 2");
  }

  @Test
  void warnsWhenAnOutputCountWasWrong() {
    var broken = new RunResult(App.FULL, 1, 1_000_000, 40, 1.9, 0.1, 76, "1.00, 1.00, 1.00", List.of(), false);

    assertThat(ResultTable.render(BenchmarkOptions.parse(), EVERY_APP, List.of(broken), MEMORY)).contains("WARNING");
  }

  private static RunResult run(App app, double recordsPerSecond) {
    return new RunResult(app, 1, 1_000_000, 1_000_000 / recordsPerSecond, 1.9, 0.05, 50, "1.00, 1.00, 1.00",
        List.of(), true);
  }
}
