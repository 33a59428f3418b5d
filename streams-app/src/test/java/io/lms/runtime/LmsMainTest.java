package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LmsMainTest {

  @Test
  void configArgumentWinsOverTheEnvironment() {
    var file = LmsMain.configFile(Optional.of(Path.of("a.properties")), Map.of("LMS_CONFIG_FILE", "b.properties"));

    assertThat(file).contains(Path.of("a.properties"));
  }

  @Test
  void fallsBackToTheEnvironmentThenToNothing() {
    assertThat(LmsMain.configFile(Optional.empty(), Map.of("LMS_CONFIG_FILE", "b.properties")))
        .contains(Path.of("b.properties"));
    assertThat(LmsMain.configFile(Optional.empty(), Map.of("LMS_CONFIG_FILE", "  "))).isEmpty();
    assertThat(LmsMain.configFile(Optional.empty(), Map.of())).isEmpty();
  }

  @Test
  void badSettingsExitWithCodeTwoBeforeStartingAnything() {
    assertThat(LmsMain.run(Optional.empty(), Map.of("LMS_PARTITIONS", "many"))).isEqualTo(2);
  }

  @Test
  void anUnreadableConfigFileExitsWithCodeTwo() {
    assertThat(LmsMain.run(Optional.of(Path.of("no-such-lms.properties")), Map.of())).isEqualTo(2);
  }
}
