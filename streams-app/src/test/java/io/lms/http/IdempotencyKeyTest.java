package io.lms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lms.domain.Rejection;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {
  @Test
  void aQuotedKeyAndTheSameKeyBareAreOneKey() {
    assertThat(IdempotencyKey.commandId("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""))
        .isEqualTo(IdempotencyKey.commandId("8e03978e-40d5-43e8-bc93-6894a57f9324"));
    assertThat(IdempotencyKey.commandId("\"a\\\"b\\\\c\"")).isEqualTo("a\"b\\c");
    assertThat(IdempotencyKey.commandId("crm/tom@example.com")).isEqualTo("crm/tom@example.com");
    assertThat(IdempotencyKey.commandId("x".repeat(255))).hasSize(255);
  }

  @Test
  void anythingElseIsRefusedWithTheRule() {
    for (String header : new String[] {"", "x".repeat(256), "with space", "caf\u00e9", "tab\there", "\u0000",
        "\"", "\"\"", "\"unclosed", "\"a\"b\"", "\"bad\\x\"", "\"trailing\\\"", "\"with space\"", "\"caf\u00e9\""}) {
      assertThatThrownBy(() -> IdempotencyKey.commandId(header)).as(header).isInstanceOf(Rejection.class)
          .hasMessageContaining("visible ASCII");
    }
  }
}
