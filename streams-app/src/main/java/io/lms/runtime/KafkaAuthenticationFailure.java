package io.lms.runtime;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Kafka refused a client's credentials: a wrong password or SASL mechanism, a certificate it does
 * not trust, TLS spoken to a plain listener. Kafka's clients fail the call and then go on
 * reconnecting, so a wrong password otherwise shows as a timeout much later, or as a stack trace
 * far from its cause. The message is meant for the operator as it stands, printed without a stack
 * trace: Kafka's reason (which never holds the secret) and the settings to check.
 */
public final class KafkaAuthenticationFailure extends RuntimeException {
  private KafkaAuthenticationFailure(AuthenticationException cause) {
    super("Kafka refused the credentials: " + cause.getMessage() + " (check "
        + PassThrough.KAFKA_CLIENTS.envPrefix() + "SECURITY_PROTOCOL, " + PassThrough.KAFKA_CLIENTS.envPrefix()
        + "SASL_MECHANISM, " + PassThrough.KAFKA_CLIENTS.envPrefix() + "SASL_JAAS_CONFIG, "
        + PassThrough.KAFKA_CLIENTS.envPrefix() + "SSL_*, or a tool's --command-config)", cause);
  }

  /** The authentication failure behind {@code failure}, if that is what it was. */
  public static Optional<KafkaAuthenticationFailure> in(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KafkaAuthenticationFailure known) {
        return Optional.of(known);
      }
      if (cause instanceof AuthenticationException refused) {
        return Optional.of(new KafkaAuthenticationFailure(refused));
      }
    }
    return Optional.empty();
  }

  /** Throws the authentication failure behind {@code failure}, if that is what it was: no retry will help. */
  public static void throwIfIn(Throwable failure) {
    Optional<KafkaAuthenticationFailure> refused = in(failure);
    if (refused.isPresent()) {
      throw refused.get();
    }
  }
}
