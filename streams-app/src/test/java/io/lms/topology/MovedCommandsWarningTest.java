package io.lms.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MovedCommandsWarningTest {
  private final MovedCommandsWarning warning = new MovedCommandsWarning(3);

  @Test
  void warnsAtOnceThenAtMostOnceAMinuteCountingTheMovesBetween() {
    assertThat(warning.moved("acme", 1, 1_000)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Moved 1 command(s) that arrived on partition 3")
        .contains("of org acme, to partition 1")
        .contains("partitioner=murmur2_random"));
    assertThat(warning.moved("acme", 1, 2_000)).isEmpty();
    assertThat(warning.moved("globex", 5, 60_999)).isEmpty();

    assertThat(warning.moved("globex", 5, 61_000)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Moved 3 command(s)").contains("of org globex, to partition 5"));
    assertThat(warning.moved("acme", 1, 61_001)).isEmpty();
  }
}
