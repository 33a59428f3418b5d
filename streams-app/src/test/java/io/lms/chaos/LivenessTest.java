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

    assertThat(tally).isEqualTo(new Tally(4, 3, 3));
    assertThat(tally.share()).isEqualTo(0.75);
  }

  @Test
  void aRunWithoutRequestsOutsideTheWindowsIsNotALivenessFailure() {
    Tally tally = Liveness.tally(List.of(new Sample(150, false)), List.of(new Window(100, 200)));

    assertThat(tally.outside()).isZero();
    assertThat(tally.share()).isEqualTo(1.0);
  }
}
