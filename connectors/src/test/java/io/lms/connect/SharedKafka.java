package io.lms.connect;

import io.lms.runtime.SaslKafka;
import java.util.Map;

/**
 * One broker for the integration tests of this module's JVM (streams-app's tests have their own):
 * started on first use, stopped when the JVM exits. It requires SASL (SCRAM-SHA-256), as a managed
 * Kafka does, so the Connect worker, its connectors and the LMS instance beside it must each be
 * given the settings: the worker config's SASL block, and LMS_KAFKA_*.
 */
public final class SharedKafka {
  private static SaslKafka broker;

  private SharedKafka() {}

  public static synchronized String bootstrapServers() throws Exception {
    if (broker == null) {
      broker = SaslKafka.start();
      Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "shared-kafka-stop"));
    }
    return broker.bootstrapServers();
  }

  /** How a client logs in: security.protocol, sasl.mechanism, sasl.jaas.config. */
  public static Map<String, String> clientSettings() {
    return SaslKafka.clientSettings(SaslKafka.PASSWORD);
  }

  private static synchronized void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
