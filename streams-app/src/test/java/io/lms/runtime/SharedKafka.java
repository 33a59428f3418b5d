package io.lms.runtime;

import io.lms.topology.WriteFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One embedded broker for all integration tests of a JVM: started on first use, stopped when the
 * JVM exits. Tests keep out of each other's way with their own application id and topic prefix.
 * Public for the integration tests of other packages (the operator CLI's).
 */
public final class SharedKafka {
  private static final AtomicInteger TENANTS = new AtomicInteger();
  private static EmbeddedKafka broker;
  private static Path dataDir;

  private SharedKafka() {}

  public static synchronized String bootstrapServers() throws InterruptedException {
    if (broker == null) {
      try {
        dataDir = Files.createTempDirectory("lms-it-kafka");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      broker = EmbeddedKafka.start(dataDir, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "shared-kafka-stop"));
    }
    return broker.bootstrapServers();
  }

  /** The instance secret of every test deployment on the shared broker. */
  public static final String INSTANCE_SECRET = "it-instance-secret-0123456789abcdef";

  /**
   * The environment of an LMS instance on the shared broker, in a namespace of its own: its own
   * application id and topic prefix, and state under {@code stateDir}.
   */
  public static Map<String, String> isolatedEnvironment(String name, Path stateDir) throws InterruptedException {
    String tenant = name + "-" + TENANTS.incrementAndGet();
    return Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
        "LMS_APPLICATION_ID", "lms-it-" + tenant,
        "LMS_TOPIC_PREFIX", "it." + tenant + ".",
        "LMS_STATE_DIR", stateDir.toString(),
        "LMS_INSTANCE_SECRET", INSTANCE_SECRET,
        "LMS_PARTITIONS", "2",
        "LMS_HTTP_PORT", "0");
  }

  /** Starts {@code config}'s application and returns it once Kafka Streams runs. */
  public static LmsApplication startRunning(LmsConfig config) throws InterruptedException {
    return startRunning(config, WriteFault.NONE);
  }

  /** {@link #startRunning(LmsConfig)} with {@code fault} before each write of a command. */
  static LmsApplication startRunning(LmsConfig config, WriteFault fault) throws InterruptedException {
    LmsApplication app = new LmsApplication(config, fault);
    try {
      app.start();
      if (!app.awaitRunning(Duration.ofSeconds(60))) {
        throw new AssertionError(config.applicationId() + " was not running within 60 s");
      }
      return app;
    } catch (InterruptedException | RuntimeException | AssertionError e) {
      app.close();
      throw e;
    }
  }

  /** A producer of raw command records, set up as an upstream system's should be: idempotent, acks=all. */
  static KafkaProducer<String, byte[]> upstreamProducer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
  }

  private static synchronized void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temp directory left behind is not worth failing a test run for
      }
    }
  }
}
