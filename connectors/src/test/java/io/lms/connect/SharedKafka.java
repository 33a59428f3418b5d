package io.lms.connect;

import io.lms.runtime.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded broker for the integration tests of this module's JVM (streams-app's tests have
 * their own): started on first use, stopped when the JVM exits. It is the app's own
 * {@link EmbeddedKafka}, a real single-node KRaft broker.
 */
public final class SharedKafka {
  private static EmbeddedKafka broker;
  private static Path dataDir;

  private SharedKafka() {}

  public static synchronized String bootstrapServers() throws InterruptedException {
    if (broker == null) {
      try {
        dataDir = Files.createTempDirectory("lms-connect-it-kafka");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      broker = EmbeddedKafka.start(dataDir, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(SharedKafka::stop, "shared-kafka-stop"));
    }
    return broker.bootstrapServers();
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
