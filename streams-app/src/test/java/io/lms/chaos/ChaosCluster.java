package io.lms.chaos;

import io.lms.topology.LmsTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Kafka node (broker and controller in one process) and the LMS instances of one application on
 * it, each a process of its own. The instance list changes while faults add and remove instances;
 * readers take snapshots.
 */
final class ChaosCluster implements AutoCloseable {
  static final String TOPIC_PREFIX = "lms.";
  static final int PARTITIONS = 6;
  /** The session timeout the instances run with: a frozen instance is out of the group after it. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
  /** How often the clients' load balancer asks an instance not yet serving whether it is ready. */
  static final Duration HEALTH_CHECK_INTERVAL = Duration.ofMillis(250);

  private final Path dir;
  private final Path jar;
  private final BrokerProcess broker;
  private final Map<String, String> environment;
  private final List<LmsProcess> instances = new CopyOnWriteArrayList<>();
  private int nextInstance = 1;
  private final ScheduledExecutorService healthChecks;

  ChaosCluster(Path dir, Path buildDir, List<ChaosOrg> orgs) throws IOException {
    this.dir = dir;
    this.jar = buildDir.resolve("lms-streams.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the chaos run needs the packaged jar (mvn package)");
    }
    Files.createDirectories(dir.resolve("broker"));
    this.broker = BrokerProcess.prepare(dir.resolve("broker"), buildDir.resolve("lib"));
    Path credentials = dir.resolve("credentials.properties");
    Files.write(credentials, orgs.stream().map(ChaosOrg::credentialsLine).toList(), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>(instanceEnvironment(broker.bootstrapServers(), credentials, 1));
    env.put("LMS_APPLICATION_ID", "lms-chaos");
    env.put("LMS_STREAMS_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
    // Move tasks to an added instance within a minute, not ten.
    env.put("LMS_STREAMS_PROBING_REBALANCE_INTERVAL_MS", "60000");
    this.environment = Map.copyOf(env);
    this.healthChecks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "chaos-health-checks");
      thread.setDaemon(true);
      return thread;
    });
    healthChecks.scheduleWithFixedDelay(
        () -> instances.forEach(LmsProcess::admitIfReady), 0, HEALTH_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    // Maven may end the test JVM (Ctrl-C, a fork timeout) without running @AfterEach.
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "chaos-cluster-kill"));
  }

  /**
   * What every LMS instance of a test cluster is started with: the cluster's address, one standby
   * of every task, the orgs' credentials and no rate limit (a test checks correctness, and a
   * lead-by-lead read-back must not see 429).
   */
  static Map<String, String> instanceEnvironment(String bootstrapServers, Path credentials, int replicationFactor) {
    return Map.ofEntries(
        Map.entry("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers),
        Map.entry("LMS_INSTANCE_SECRET", "chaos-instance-secret-0123456789abcdef"),
        Map.entry("LMS_TOPIC_PREFIX", TOPIC_PREFIX),
        Map.entry("LMS_PARTITIONS", Integer.toString(PARTITIONS)),
        Map.entry("LMS_REPLICATION_FACTOR", Integer.toString(replicationFactor)),
        Map.entry("LMS_NUM_STANDBY_REPLICAS", "1"),
        Map.entry("LMS_COMMIT_INTERVAL_MS", "100"),
        Map.entry("LMS_HTTP_ADVERTISED_HOST", "127.0.0.1"),
        Map.entry("LMS_CREDENTIALS_FILE", credentials.toString()),
        Map.entry("LMS_RATE_LIMIT_PER_ORG", "1000000"),
        Map.entry("LMS_RATE_LIMIT_BURST", "1000000"));
  }

  LmsTopics topics() {
    return LmsTopics.withPrefix(TOPIC_PREFIX);
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  BrokerProcess broker() {
    return broker;
  }

  /** Starts the broker, then {@code count} instances, and waits until every one is ready. */
  void start(int count, Duration timeout) throws InterruptedException {
    broker.startAndAwait(Duration.ofSeconds(60));
    for (int i = 0; i < count; i++) {
      addInstance();
    }
    awaitAllReady(timeout);
  }

  synchronized LmsProcess addInstance() {
    LmsProcess instance = new LmsProcess(nextInstance++, jar, dir, environment);
    instance.start();
    instances.add(instance);
    return instance;
  }

  /** Stops an instance with SIGTERM and forgets it. */
  void removeInstance(LmsProcess instance) throws InterruptedException {
    instances.remove(instance);
    instance.stop();
  }

  List<LmsProcess> instances() {
    return List.copyOf(instances);
  }

  /** The instances a client may call now: running, not frozen, and ready since their last (re)start. */
  List<LmsProcess> serving() {
    return instances.stream().filter(LmsProcess::isServing).toList();
  }

  void awaitAllReady(Duration timeout) throws InterruptedException {
    await("every instance ready", timeout, () -> instances.stream().allMatch(LmsProcess::isReady));
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(250);
    }
  }

  List<Path> logs() {
    List<Path> logs = new ArrayList<>();
    logs.add(broker.process().log());
    try (var files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().startsWith("lms-")).sorted().forEach(logs::add);
    } catch (IOException e) {
      // no logs to show
    }
    return logs;
  }

  /** Kills every process it started, also when a test failed half-way; never throws. */
  @Override
  public void close() {
    healthChecks.shutdownNow();
    Killable.killEach(instances);
    Killable.killEach(List.of(broker.process()));
  }
}
