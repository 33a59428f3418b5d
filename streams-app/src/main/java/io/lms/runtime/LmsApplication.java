package io.lms.runtime;

import io.lms.command.CommandGateway;
import io.lms.command.TimedSubmitter;
import io.lms.domain.RunAll;
import io.lms.http.CredentialStore;
import io.lms.http.HttpApi;
import io.lms.http.InstanceSignature;
import io.lms.http.OrgRateLimiter;
import io.lms.query.CommittedLeads;
import io.lms.query.LocalLeadReader;
import io.lms.query.OwnerLocator;
import io.lms.query.PauseGuard;
import io.lms.query.ReadYourWrites;
import io.lms.query.RoutedLeadReader;
import io.lms.query.StreamsStateChanges;
import io.lms.registry.SchemaRegistryClient;
import io.lms.registry.TopicSchemas;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.WriteFault;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetricsWithoutStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running LMS instance: the embedded broker when no cluster is configured, the LMS topics, the
 * Kafka Streams client and the HTTP API in front of it. Starts them in that order and closes them
 * in the reverse order, so that no request arrives at a closing client and the last transaction
 * commits while its broker is still there.
 *
 * <p>{@link #close()} may be called from another thread (a shutdown hook) at any time, also while
 * {@link #start()} is still running: it then waits for start to finish.
 */
public final class LmsApplication implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LmsApplication.class);
  private static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(30);

  private final LmsConfig config;
  private final WriteFault fault;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaStreams.State lastState = KafkaStreams.State.CREATED;

  /** The demo org's user on the embedded default, when no credentials file is configured. */
  public static final String DEMO_USER = "demo";
  public static final String DEMO_PASSWORD = "demo-password";
  public static final String DEMO_ORG = "demo";
  public static final long DEMO_STAFF_ID = 1L;

  private EmbeddedKafka broker;
  private KafkaStreams streams;
  private CommandGateway gateway;
  private InstanceSignature instanceSignature;
  private PauseGuard pauseGuard;
  private PeerWatch peerWatch;
  private HangingTransactionWatch hangingTransactionWatch;
  private ReadYourWrites readYourWrites;
  private CompletableFuture<CredentialStore> credentials;
  /** Lead ids seen committed on the results topic: a local "not found" must not contradict them. */
  private final CommittedLeads committedLeads = new CommittedLeads();
  private final StreamsStateChanges stateChanges = new StreamsStateChanges();
  private HttpApi http;
  private HostInfo self;
  private String bootstrapServers;
  private boolean started;
  private boolean closed;
  /** Set when close begins: readiness fails, so that load balancers stop sending requests here. */
  private volatile boolean closing;

  public LmsApplication(LmsConfig config) {
    this(config, WriteFault.NONE);
  }

  /** An application whose commands meet {@code fault} before each write (for tests). */
  LmsApplication(LmsConfig config, WriteFault fault) {
    this.config = config;
    this.fault = fault;
  }

  /** Starts everything and returns without waiting for RUNNING (see {@link #awaitRunning}). */
  public synchronized void start() throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("closed before it started");
    }
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    long startNanos = System.nanoTime();
    instanceSignature = new InstanceSignature(config.serviceInstanceSecret(), Clock.systemUTC());
    try {
      self = new HostInfo(config.advertisedHttpHost(), httpPort());
      // First: a registry that refuses LMS's schemas stops it before anything runs.
      LmsTopics topics = topicsInTheirFormat();
      // Deriving a password hash takes a second or more on a small machine, then more for every
      // user of a file: done while the broker starts, not after it.
      credentials = CompletableFuture.supplyAsync(this::credentials);
      if (config.embedded()) {
        broker = EmbeddedKafka.start(config.embeddedDataDir(), config.embeddedPort());
        bootstrapServers = broker.bootstrapServers();
      } else {
        bootstrapServers = config.bootstrapServers().orElseThrow();
      }
      int commandPartitions = provision(topics);
      if (broker != null) {
        abortHangingTransactions(topics);
      }
      var clients = new MainConsumers();
      Topology topology = LmsTopology.build(
          topics, config.toTopologySettings(commandPartitions), fault, clients, clients.transactions());
      Properties props = config.streamsProperties(bootstrapServers, self.port());
      // Interactive queries find the instance that owns an org by this address.
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
      streams = new KafkaStreams(topology, props, clients);
      streams.setUncaughtExceptionHandler(
          new StreamThreadFailures(topics.commands().name(), commandPartitions, () -> partitionsNow(topics.commands().name()),
              new ReplacedThreadMembers(this::newAdmin,
                  config.applicationId(), config.instanceId(self.port()))::removeWhenGone));
      streams.setStateListener((newState, oldState) -> {
        stateChanges.changed();
        onStateChange(newState, startNanos);
      });
      gateway = new CommandGateway(config.kafkaClientSettings().connection(bootstrapServers), topics,
          config.applicationId() + "-" + self.port(), committedLeads::observe);
      pauseGuard = PauseGuard.forStreams(streams, props).start();
      if (!config.peerGoneAfter().isZero()) {
        peerWatch = new PeerWatch(streams::metadataForAllStreamsClients, self, PeerWatch::connect,
            new GroupEviction(this::newAdmin, config.applicationId(), this::localConsumerClientIds),
            config.peerGoneAfter(), System::currentTimeMillis).start();
      }
      hangingTransactionWatch = HangingTransactionWatch.of(newAdmin(), lmsTopic(topics)).start();
      // No cleanUp(): local state is a cache of the changelogs worth keeping across restarts.
      // Started on a thread of its own while the HTTP server is built: start() opens every store
      // found on disk before it returns, and each of the two takes seconds on a small machine.
      // Readiness waits for both.
      CompletableFuture<Void> streamsStarted = startInBackground(streams);
      http = new HttpApi(httpDependencies()).start(config.httpHost(), self.port());
      awaitStarted(streamsStarted);
      log.info("Leads v2 API listening on http://{}:{}/v2/leads", config.httpHost(), self.port());
      log.info(
          "Kafka Streams {} starting on {} ({}), state in {}",
          config.applicationId(),
          bootstrapServers,
          broker != null ? "embedded broker" : "external cluster",
          config.stateDir().toAbsolutePath().normalize());
    } catch (RuntimeException | InterruptedException e) {
      try {
        stopAll();
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
  }

  /**
   * The topics, in Confluent's framing with the ids the registry gave their schemas when a schema
   * registry is configured, else in single-object encoding.
   *
   * @throws io.lms.registry.SchemaRegistryException when the registry refuses a schema or does not answer
   */
  private LmsTopics topicsInTheirFormat() {
    LmsTopics topics = config.topics();
    if (config.schemaRegistry().isEmpty()) {
      return topics;
    }
    SchemaRegistryClient registry = config.schemaRegistry().get().client();
    return topics.inConfluentFraming(TopicSchemas.register(registry, topics.valueSchemas()), registry);
  }

  private HttpApi.Dependencies httpDependencies() {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Not Micrometer's KafkaStreamsMetrics: its thread would read the stores' native buffers (see there).
    new KafkaStreamsMetricsWithoutStores(streams).bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    RoutedLeadReader reader = new RoutedLeadReader(new OwnerLocator(streams, self, pauseGuard, stateChanges),
        LocalLeadReader.forStreams(streams, committedLeads, stateChanges));
    readYourWrites = new ReadYourWrites(reader);
    return new HttpApi.Dependencies(
        awaitCredentials(),
        new OrgRateLimiter(config.rateLimitPerOrg(), config.rateLimitBurst()),
        reader,
        new TimedSubmitter(gateway, readYourWrites::visible, metrics),
        this::notReadyReason,
        metrics,
        self,
        instanceSignature,
        config.writeTimeout(),
        config.readWait(),
        Clock.system(config.serverZone()));
  }

  private static CompletableFuture<Void> startInBackground(KafkaStreams streams) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        streams.start();
        started.complete(null);
      } catch (RuntimeException | Error e) {
        started.completeExceptionally(e);
      }
    }, "lms-streams-start");
    starter.setDaemon(true);
    starter.start();
    return started;
  }

  private static void awaitStarted(CompletableFuture<Void> started) {
    try {
      started.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private CredentialStore awaitCredentials() {
    try {
      return credentials.join();
    } catch (CompletionException e) {
      // The reason the credentials could not be read, as if read here.
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private CredentialStore credentials() {
    if (config.credentialsFile().isPresent()) {
      try {
        return CredentialStore.load(config.credentialsFile().get());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the credentials file " + config.credentialsFile().get(), e);
      }
    }
    log.warn("{}", demoUserHint(self));
    return CredentialStore.of(DEMO_USER, DEMO_PASSWORD, DEMO_ORG, DEMO_STAFF_ID);
  }

  /**
   * The first requests to try with the demo user. Composed here and logged as an argument, not as a
   * logging pattern: SLF4J has no escape for braces, so a pattern's doubled brace was printed as it
   * stands, and the body shown was not JSON.
   */
  static String demoUserHint(HostInfo self) {
    String user = DEMO_USER + ":" + DEMO_PASSWORD;
    String reasons = "http://" + self.host() + ":" + self.port() + "/v2/leads/reasons";
    return "No LMS_CREDENTIALS_FILE: only the demo org's user exists. Try:\n"
        + "  curl -u " + user + " -X POST " + reasons + " -d '[{\"reason\":\"Item not available\"}]'\n"
        + "  curl -u " + user + " " + reasons;
  }

  /** The consumer client ids of this instance's stream threads: never evicted as a dead peer's. */
  private Set<String> localConsumerClientIds() {
    return streams.metadataForLocalThreads().stream().map(ThreadMetadata::consumerClientId)
        .collect(Collectors.toSet());
  }

  /** Why this instance cannot serve now, or empty when it can. */
  private Optional<String> notReadyReason() {
    if (closing) {
      return Optional.of("shutting down");
    }
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return Optional.of("Kafka Streams is " + state);
    }
    if (!gateway.isListening()) {
      return Optional.of("the command results consumer is not listening");
    }
    return Optional.empty();
  }

  private int httpPort() {
    if (config.httpPort() != 0) {
      return config.httpPort();
    }
    // application.server must name the port before Kafka Streams starts, so pick it now.
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(config.httpHost()))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free HTTP port on " + config.httpHost(), e);
    }
  }

  /** The HTTP API's address as other instances reach it. */
  public synchronized HostInfo httpAddress() {
    if (self == null) {
      throw new IllegalStateException("not started");
    }
    return self;
  }

  /** Waits until the command results consumer listens, so that writes can be answered. */
  public boolean awaitWritable(Duration timeout) throws InterruptedException {
    return gateway.awaitListening(timeout);
  }

  /** The Kafka Streams client, for interactive queries and tests. */
  public synchronized KafkaStreams streams() {
    if (streams == null) {
      throw new IllegalStateException("not started");
    }
    return streams;
  }

  /** The Kafka address in use: the embedded broker's or the configured cluster's. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("not started");
    }
    return bootstrapServers;
  }

  public LmsConfig config() {
    return config;
  }

  /** Waits until Kafka Streams has first reached RUNNING; false when the timeout passed first. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until Kafka Streams has stopped, by {@link #close()} or by a fatal error. */
  public KafkaStreams.State awaitStopped() throws InterruptedException {
    stopped.await();
    return lastState;
  }

  /** Closes Kafka Streams (up to 30 s), then the embedded broker. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      stopAll();
      log.info("LMS Streams stopped");
    }
  }

  /**
   * Creates the LMS topics that are missing.
   *
   * @return the partitions of the command topic as it is, which tell each org's partition
   */
  private int provision(LmsTopics topics) throws InterruptedException {
    try (Admin admin = newAdmin()) {
      return new TopicProvisioner(admin, config.partitions(), config.replicationFactor(), PROVISION_TIMEOUT)
          .ensure(topics).stream()
          .filter(topic -> topic.name().equals(topics.commands().name()))
          .findFirst().orElseThrow()
          .partitions();
    }
  }

  /**
   * The embedded broker is alone and no LMS producer runs yet: a transaction still open on an LMS
   * topic or changelog that its coordinator does not know would stall every read_committed reader
   * (see {@link HangingTransactions}).
   */
  private void abortHangingTransactions(LmsTopics topics) throws InterruptedException {
    try (Admin admin = newAdmin()) {
      HangingTransactions.abortAll(admin, lmsTopic(topics), PROVISION_TIMEOUT);
    }
  }

  /** The topics LMS's transactions write: its own, and its changelogs. */
  private Predicate<String> lmsTopic(LmsTopics topics) {
    String changelogs = config.applicationId() + "-";
    return topic -> topic.startsWith(config.topicPrefix()) || topic.startsWith(changelogs);
  }

  /** An Admin client of the cluster this instance runs on, with its client settings; the caller closes it. */
  private Admin newAdmin() {
    return Admin.create(config.kafkaClientSettings().connection(bootstrapServers));
  }

  /** The partitions {@code topic} has now; -1 when Kafka does not tell in time. */
  private int partitionsNow(String topic) {
    try (Admin admin = newAdmin()) {
      return admin.describeTopics(List.of(topic)).allTopicNames()
          .get(PROVISION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Could not tell the partitions of {}: {}", topic, e.toString());
      return -1;
    }
  }

  private void onStateChange(KafkaStreams.State newState, long startNanos) {
    lastState = newState;
    if (newState == KafkaStreams.State.RUNNING && running.getCount() > 0) {
      running.countDown();
      log.info(
          "LMS Streams ready: application {} RUNNING on Kafka at {}{} after {} ms",
          config.applicationId(),
          bootstrapServers,
          broker != null ? " (embedded)" : "",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    } else if (newState == KafkaStreams.State.ERROR) {
      log.error("Kafka Streams stopped on a fatal error: this instance processes nothing more");
    }
    if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
      stopped.countDown();
    }
  }

  /**
   * Leaves the consumer group on close, although every instance is a static member: the tasks of an
   * instance that stops on purpose move to the others (or their standbys) at once, instead of
   * waiting a session timeout for it to come back. A crash leaves nothing: the restarted instance
   * takes its tasks back under the same {@code group.instance.id} without waiting.
   */
  private static CloseOptions closeOptions() {
    return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(STREAMS_CLOSE_TIMEOUT);
  }

  /** Closes what was started, last started first, going on past a step that fails. */
  private void stopAll() {
    closing = true;
    RunAll.run(List.<Runnable>of(
        () -> {
          // Writes in flight get their outcome (or their 503 with the commandId) before the
          // server stops: Kafka Streams still runs, so most of them complete normally.
          if (http != null && gateway != null) {
            try {
              if (!gateway.awaitIdle(config.writeTimeout())) {
                log.warn("Some writes were still waiting for their result when the HTTP server stopped");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        },
        () -> {
          if (http != null) {
            http.close();
          }
        },
        () -> {
          if (gateway != null) {
            gateway.close();
          }
        },
        () -> {
          if (readYourWrites != null) {
            readYourWrites.close();
          }
        },
        () -> {
          if (pauseGuard != null) {
            pauseGuard.close();
          }
        },
        () -> {
          if (peerWatch != null) {
            peerWatch.close();
          }
        },
        () -> {
          if (hangingTransactionWatch != null) {
            hangingTransactionWatch.close();
          }
        },
        () -> {
          if (streams != null && !streams.close(closeOptions())) {
            log.warn("Kafka Streams did not close within {} s", STREAMS_CLOSE_TIMEOUT.toSeconds());
          }
        },
        // A start that failed before Kafka Streams existed leaves nobody else to release the latch.
        stopped::countDown,
        () -> {
          if (broker != null) {
            broker.close();
          }
        }));
  }
}
