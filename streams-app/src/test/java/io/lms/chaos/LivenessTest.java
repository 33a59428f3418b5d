package io.lms.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.chaos.Liveness.Sample;
import io.lms.chaos.Liveness.Tally;
import io.lms.chaos.Liveness.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivenessTest {
  @Test
  void requestsInsideAWindowDoNotCountAgainstTheFloor() {
    List<Window> windows = List.of(new Window(100, 200), new Window(500, 600));
    List<Sample> samples = List.of(
        new Sample(50, true), new Sample(150, false), new Sample(200, false),
        new Sample(300, false), new Sample(400, true), new Sample(550, false), new Sample(700, true));

    Tally tally = Liveness.tally(samples, windows);

    assertThat(tally).isEqualTo(new Tally(4, 3, 3, List.of(300L)));
    assertThat(tally.share()).isEqualTo(0.75);
  }

  @Test
  void missedRequestsAreReportedAsRunsInSecondsAfterTheOrigin() {
    long origin = 1_000_000_000L;
    List<Sample> samples = List.of(
        new Sample(origin + 2_000_000_000L, false), new Sample(origin + 2_500_000_000L, false),
        new Sample(origin + 3_400_000_000L, false), new Sample(origin + 3_000_000_000L, true),
        new Sample(origin + 9_000_000_000L, false));

    Tally tally = Liveness.tally(samples, List.of());

    assertThat(Liveness.missedRuns(tally, origin)).isEqualTo("2.0-3.4 s (3), 9.0-9.0 s (1)");
    assertThat(Liveness.missedRuns(Liveness.tally(List.of(new Sample(5, true)), List.of()), 0)).isEqualTo("none");
  }

  @Test
  void aRunWithoutRequestsOutsideTheWindowsIsNotALivenessFailure() {
    Tally tally = Liveness.tally(List.of(new Sample(150, false)), List.of(new Window(100, 200)));

    assertThat(tally.outside()).isZero();
    assertThat(tally.share()).isEqualTo(1.0);
  }
}
