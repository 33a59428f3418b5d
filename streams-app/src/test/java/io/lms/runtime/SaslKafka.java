package io.lms.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker in this JVM whose client listener requires SASL/SCRAM-SHA-256, as a
 * managed Kafka does (there over TLS). It is {@link EmbeddedKafka}'s broker with one more listener:
 * the PLAINTEXT one stays for the broker's own traffic and for creating the SCRAM user after start,
 * and is never given to the clients under test. Metadata names the listener a client came in on,
 * so a client given the SASL address stays on it: one without the SASL settings cannot get anywhere.
 */
public final class SaslKafka implements AutoCloseable {
  public static final String MECHANISM = "SCRAM-SHA-256";
  public static final String USER = "lms";
  public static final String PASSWORD = "lms-scram-pa55word";
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final String plainBootstrap;
  private final String saslBootstrap;

  private SaslKafka(KafkaRaftServer server, Path dataDir, String plainBootstrap, String saslBootstrap) {
    this.server = server;
    this.dataDir = dataDir;
    this.plainBootstrap = plainBootstrap;
    this.saslBootstrap = saslBootstrap;
  }

  /** Starts the broker in a new temporary directory, with the user {@link #USER} / {@link #PASSWORD}. */
  public static SaslKafka start() throws Exception {
    Path dir = Files.createTempDirectory("lms-sasl-kafka");
    List<Integer> ports = freePorts(3);
    int plainPort = ports.get(0);
    int saslPort = ports.get(1);
    Properties props = EmbeddedKafka.brokerProperties(dir, plainPort, ports.get(2));
    props.put("listeners", props.getProperty("listeners") + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
    props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + plainPort + ",SASL_PLAINTEXT://" + HOST + ":" + saslPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    props.put("sasl.enabled.mechanisms", MECHANISM);
    // The broker's side of SCRAM needs a login module but no options: users live in the metadata.
    props.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    EmbeddedKafka.format(props, Uuid.randomUuid().toString());

    var server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    var kafka = new SaslKafka(server, dir, HOST + ":" + plainPort, HOST + ":" + saslPort);
    try {
      EmbeddedKafka.awaitReady(kafka.plainBootstrap, READY_TIMEOUT);
      kafka.createUser();
      kafka.awaitSaslLogin();
    } catch (Exception | Error e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /** The SASL listener: the only address the clients under test get. */
  public String bootstrapServers() {
    return saslBootstrap;
  }

  /** The JAAS line a SCRAM client logs in with. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** The Kafka client settings of the user with {@code password}, by their Kafka keys. */
  public static Map<String, String> clientSettings(String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", jaasConfig(USER, password));
  }

  private void createUser() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainBootstrap))) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
          USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD)))
          .all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** The user reaches the broker through the metadata log: wait until the SASL listener knows it. */
  private void awaitSaslLogin() throws InterruptedException {
    Map<String, Object> config = new HashMap<>(clientSettings(PASSWORD));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrap);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      try (Admin admin = Admin.create(config)) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The SCRAM user cannot log in after " + READY_TIMEOUT, e);
        }
      }
      Thread.sleep(100);
    }
  }

  private static List<Integer> freePorts(int count) throws IOException {
    var sockets = new ArrayList<ServerSocket>();
    try {
      var ports = new ArrayList<Integer>();
      for (int i = 0; i < count; i++) {
        var socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        ports.add(socket.getLocalPort());
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
