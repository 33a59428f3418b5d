package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmsMainTest {

  @Test
  void configArgumentWinsOverTheEnvironment() {
    var file = LmsMain.configFile(new String[] {"--config", "a.properties"}, Map.of("LMS_CONFIG_FILE", "b.properties"));

    assertThat(file).contains(Path.of("a.properties"));
  }

  @Test
  void acceptsTheEqualsForm() {
    assertThat(LmsMain.configFile(new String[] {"--config=a.properties"}, Map.of())).contains(Path.of("a.properties"));
  }

  @Test
  void fallsBackToTheEnvironmentThenToNothing() {
    assertThat(LmsMain.configFile(new String[0], Map.of("LMS_CONFIG_FILE", "b.properties")))
        .contains(Path.of("b.properties"));
    assertThat(LmsMain.configFile(new String[0], Map.of())).isEmpty();
  }

  @Test
  void rejectsUnknownArguments() {
    assertThatThrownBy(() -> LmsMain.configFile(new String[] {"--verbose"}, Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("--verbose");
    assertThatThrownBy(() -> LmsMain.configFile(new String[] {"--config"}, Map.of()))
        .isInstanceOf(InvalidSettingException.class);
  }

  @Test
  void badSettingsExitWithCodeTwoBeforeStartingAnything() {
    assertThat(LmsMain.run(new String[0], Map.of("LMS_PARTITIONS", "many"))).isEqualTo(2);
  }
}
