package io.lms.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class KafkaAuthenticationFailureTest {
  private static final String SCRAM_REFUSED =
      "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256";

  @Test
  void isFoundBehindTheWrappersOfAdminCallsAndStreamThreadsAndSaysWhatToCheck() {
    var failure = KafkaAuthenticationFailure.in(
        new IllegalStateException("could not describe", new ExecutionException(new SaslAuthenticationException(SCRAM_REFUSED))));

    assertThat(failure).hasValueSatisfying(f -> assertThat(f.getMessage())
        .contains(SCRAM_REFUSED, "LMS_KAFKA_SASL_JAAS_CONFIG", "LMS_KAFKA_SECURITY_PROTOCOL", "--command-config"));
    assertThat(KafkaAuthenticationFailure.in(new StreamsException(new SslAuthenticationException("SSL handshake failed"))))
        .hasValueSatisfying(f -> assertThat(f.getMessage()).contains("SSL handshake failed"));
  }

  @Test
  void otherFailuresAreNotOne() {
    assertThat(KafkaAuthenticationFailure.in(new ExecutionException(new TimeoutException("no answer")))).isEmpty();
    assertThat(KafkaAuthenticationFailure.in(new IllegalStateException())).isEmpty();
  }

  @Test
  void aStreamThreadRefusedItsCredentialsStopsTheClientInsteadOfBeingReplacedForever() {
    assertThat(new StreamThreadFailures("lms.lead-commands", 6, () -> 6, thread -> {}).handle(new StreamsException(new SaslAuthenticationException(SCRAM_REFUSED))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(new StreamThreadFailures("lms.lead-commands", 6, () -> 6, thread -> {}).handle(new StreamsException("a bug")))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }
}
