package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

class DemoUserHintTest {
  private static final Pattern BODY = Pattern.compile("-d '([^']*)'");

  @Test
  void theRequestBodiesTheStartupLogSuggestsAreJson() throws Exception {
    String hint = LmsApplication.demoUserHint(new HostInfo("127.0.0.1", 8080));
    // what SLF4J prints for log.warn("{}", hint)
    String printed = MessageFormatter.format("{}", hint).getMessage();

    List<String> bodies = new ArrayList<>();
    for (Matcher m = BODY.matcher(printed); m.find(); ) {
      bodies.add(m.group(1));
    }
    assertThat(bodies).isNotEmpty();
    for (String body : bodies) {
      assertThat(new ObjectMapper().readTree(body).isContainerNode()).as(body).isTrue();
    }
    assertThat(printed).contains("curl -u demo:demo-password -X POST http://127.0.0.1:8080/v2/leads/reasons -d '[");
  }
}
