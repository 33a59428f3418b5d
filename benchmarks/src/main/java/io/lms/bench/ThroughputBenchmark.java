package io.lms.bench;

import io.lms.bench.BenchmarkOptions.App;
import io.lms.bench.CommittedProgress.Observation;
import io.lms.runtime.EmbeddedKafka;
import io.lms.runtime.LmsConfig;
import io.lms.runtime.MainConsumers;
import io.lms.runtime.TopicProvisioner;
import io.lms.schema.CommandResult;
import io.lms.schema.Rejected;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import io.lms.topology.LmsTopology;
import io.lms.topology.TopologySettings;
import io.lms.topology.WriteFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Command throughput of the LMS topology with exactly-once, beside a pass-through app and a
 * minimal lead processor, all on one embedded broker in this JVM (see BENCHMARKS.md).
 *
 * <p>Each app gets its own application id and its own topics, pre-filled with the same commands
 * ({@link CommandMix}, the same seed): first the warm-up commands, then the measured ones. The app
 * starts, processes the warm-up (JIT compilation, RocksDB and the page cache warming, the first
 * rebalance), and the clock runs from the moment its committed input offsets are seen to pass the
 * warm-up until they are seen at the end of the input. Under exactly-once those offsets commit in
 * the same transaction as the outputs, so at that moment the last output is committed.
 */
public final class ThroughputBenchmark {
  /** The first commit comes after startup and the first rebalance: allow for a slow machine. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final BenchmarkOptions options;
  private final String bootstrap;
  private final Admin admin;
  private final Path stateRoot;

  private ThroughputBenchmark(BenchmarkOptions options, String bootstrap, Admin admin, Path stateRoot) {
    this.options = options;
    this.bootstrap = bootstrap;
    this.admin = admin;
    this.stateRoot = stateRoot;
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(BenchmarkOptions.USAGE);
      System.exit(2);
      return;
    }
    Path workDir = Files.createTempDirectory("lms-bench");
    // Ctrl-C must not leave a gigabyte of logs and state behind either.
    Thread cleanup = new Thread(() -> deleteRecursively(workDir), "lms-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int exitCode;
    try {
      exitCode = run(options, workDir);
    } finally {
      deleteRecursively(workDir);
    }
    Runtime.getRuntime().removeShutdownHook(cleanup);
    // Kafka leaves non-daemon threads behind now and then; the work is done.
    System.exit(exitCode);
  }

  private static int run(BenchmarkOptions options, Path workDir) throws Exception {
    System.out.print(machine());
    try (EmbeddedKafka broker = EmbeddedKafka.start(workDir.resolve("kafka"), 0);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      var benchmark = new ThroughputBenchmark(options, broker.bootstrapServers(), admin, workDir.resolve("state"));
      if (options.jvmWarmup() > 0) {
        // The first app in a fresh JVM ran at half speed here, whatever its own warm-up: the JIT
        // compiles the broker's and the clients' paths too. One run of each app warms them all.
        long warmup = Math.max(1, options.jvmWarmup() / 5);
        for (App app : options.apps()) {
          RunResult result = benchmark.runOnce(app, 0, warmup, options.jvmWarmup() - warmup, false);
          System.out.print(describe(result));
        }
      }
      List<RunResult> results = new ArrayList<>();
      for (int round = 1; round <= options.rounds(); round++) {
        for (App app : options.apps()) {
          RunResult result = benchmark.runOnce(app, round, options.warmup(), options.commands(), options.verify());
          results.add(result);
          System.out.print(describe(result));
          System.out.flush();
        }
      }
      System.out.println();
      System.out.print(ResultTable.render(options, settingsOfEveryApp(), results, ProcessMemory.now()));
      System.out.flush();
      return results.stream().allMatch(RunResult::checksPassed) ? 0 : 1;
    }
  }

  /** One run of {@code app} on topics of its own; round 0 is the JVM warm-up run. */
  private RunResult runOnce(App app, int round, long warmupCommands, long measuredCommands, boolean verify)
      throws InterruptedException {
    String tag = app.id + "-" + (round == 0 ? "jvm-warmup" : round);
    String applicationId = "bench-" + tag;
    String prefix = "bench." + tag + ".";
    LmsTopics topics = LmsTopics.withPrefix(prefix);
    String input = topics.commands().name();
    long total = warmupCommands + measuredCommands;
    Path stateDir = stateRoot.resolve(tag);

    new TopicProvisioner(admin, options.partitions(), (short) 1, ADMIN_TIMEOUT).provision(topics);
    progress("%s: pre-filling %s with %,d commands", tag, input, total);
    long fillStart = System.nanoTime();
    InputFiller.Filled filled = InputFiller.fill(bootstrap, input, options.seed(), options.orgs(), total);
    progress("%s: pre-filled in %.1f s (%,d bytes of commands, %,d bytes each on average)", tag,
        (System.nanoTime() - fillStart) / 1e9, filled.valueBytes(), filled.valueBytes() / total);

    // The full topology commits as LMS does: at the interval, and when a partition is drained.
    var clients = new MainConsumers();
    Topology topology = switch (app) {
      case PASS_THROUGH -> PassThroughTopology.build(input, topics.events().name());
      case MINIMAL -> MinimalLeadTopology.build(input, topics.events().name());
      case FULL -> LmsTopology.build(
          topics, TopologySettings.defaults().withCommandPartitions(options.partitions()), WriteFault.NONE, clients,
          clients.transactions());
      case FULL_WITHOUT_ROUTER -> LmsTopology.buildWithoutRouter(
          topics, TopologySettings.defaults().withCommandPartitions(options.partitions()));
    };
    Properties props = app == App.FULL || app == App.FULL_WITHOUT_ROUTER
        ? fullProperties(applicationId, prefix, stateDir)
        : referenceProperties(applicationId, stateDir);
    if (options.boundedRocksDb()) {
      props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    }

    Observation warm;
    Observation end;
    MachineSample from;
    MachineSample to;
    ThreadTimes threadFrom;
    ThreadTimes threadTo;
    String load;
    var failure = new AtomicReference<Throwable>();
    var streams = new KafkaStreams(topology, props, clients);
    try {
      streams.setUncaughtExceptionHandler(e -> {
        failure.compareAndSet(null, e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      var committed = new CommittedProgress(admin, applicationId, input,
          () -> failure.get() != null || streams.state() == KafkaStreams.State.ERROR);
      streams.start();
      progress("%s: started, warming up on %,d commands", tag, warmupCommands);
      warm = committed.awaitAtLeast(warmupCommands, STALL_TIMEOUT, n -> progress("%s: %,d of %,d committed", tag, n, total));
      from = MachineSample.now();
      threadFrom = ThreadTimes.of(streams.metrics());
      load = MachineSample.loadAverage();
      progress("%s: warm (%,d committed), measuring", tag, warm.committed());
      end = committed.awaitAtLeast(total, STALL_TIMEOUT, n -> progress("%s: %,d of %,d committed", tag, n, total));
      to = MachineSample.now();
      threadTo = ThreadTimes.of(streams.metrics());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(tag + " failed: " + e.getMessage(), failure.get() != null ? failure.get() : e);
    } finally {
      streams.close(Duration.ofSeconds(60));
    }

    var checks = new ArrayList<String>();
    checks.add(threadTo.minus(threadFrom).describe(end.nanos() - warm.nanos(), options.threads()));
    boolean passed = !verify || verify(app, topics, applicationId, filled, checks);
    deleteTopics(prefix, applicationId);
    deleteRecursively(stateDir);
    return new RunResult(app, round, end.committed() - warm.committed(), (end.nanos() - warm.nanos()) / 1e9,
        MachineSample.processCores(from, to), MachineSample.otherCores(from, to),
        MachineSample.processSeconds(from, to), load, checks, passed);
  }

  /**
   * The producer and state store settings LMS runs with (lz4, 256 KB batches, {@code
   * LmsRocksDbConfig}, transactional state stores), which every app of a run gets: a reference on
   * Kafka's defaults would be measured with other client and store costs, and the ratio would mix
   * the settings in with the work per command.
   */
  static Map<String, String> settingsOfEveryApp() {
    Properties lms = LmsConfig.defaults().streamsProperties("unused:9092");
    Map<String, String> shared = new TreeMap<>();
    for (String name : lms.stringPropertyNames()) {
      if (name.startsWith(StreamsConfig.PRODUCER_PREFIX) || name.equals(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)
          || name.equals(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)) {
        shared.put(name, lms.getProperty(name));
      }
    }
    return shared;
  }

  /**
   * What the reference apps share with LMS: exactly-once, the commit interval, the threads, the
   * producer and RocksDB settings.
   */
  private Properties referenceProperties(String applicationId, Path stateDir) {
    var props = new Properties();
    props.putAll(settingsOfEveryApp());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(options.threads()));
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // No global stores here: this only silences Kafka's warning about the default changing in 5.0.
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    layOver(props, options.referenceOverrides());
    return props;
  }

  /** The properties LMS itself runs with (exactly-once, DLQ, handlers, lz4), for this run's names. */
  private Properties fullProperties(String applicationId, String prefix, Path stateDir) {
    LmsConfig config = LmsConfig.parse(Map.of(), Map.of(
        "LMS_APPLICATION_ID", applicationId,
        "LMS_TOPIC_PREFIX", prefix,
        "LMS_STATE_DIR", stateDir.toString(),
        "LMS_PARTITIONS", Integer.toString(options.partitions()),
        "LMS_COMMIT_INTERVAL_MS", "100",
        "LMS_NUM_STREAM_THREADS", Integer.toString(options.threads())));
    Properties props = config.streamsProperties(bootstrap);
    layOver(props, options.fullOverrides());
    return props;
  }

  /** Puts each override into {@code props}; one with an empty value removes its key, leaving Kafka's default. */
  static void layOver(Properties props, Map<String, String> overrides) {
    overrides.forEach((key, value) -> {
      if (value.isEmpty()) {
        props.remove(key);
      } else {
        props.put(key, value);
      }
    });
  }

  /** Counts the committed outputs (not timed) and says whether they are what the input implies. */
  private boolean verify(App app, LmsTopics topics, String applicationId, InputFiller.Filled filled, List<String> checks)
      throws InterruptedException {
    long total = filled.records();
    boolean passed = true;
    switch (app) {
      case PASS_THROUGH, MINIMAL -> {
        var out = OutputCounter.count(bootstrap, topics.events().name());
        passed = out.records() == total;
        checks.add(String.format("%,d records out for %,d in%s", out.records(), total, passed ? "" : "  MISMATCH"));
      }
      case FULL, FULL_WITHOUT_ROUTER -> {
        var codec = SingleObjectCodec.of(CommandResult.class);
        var rejections = new TreeMap<Integer, Long>();
        var results = OutputCounter.count(bootstrap, topics.results().name(), value -> {
          if (codec.decode(value).getOutcome() instanceof Rejected rejected) {
            rejections.merge(rejected.getErrors().get(0).getCode(), 1L, Long::sum);
          }
        });
        long rejected = rejections.values().stream().mapToLong(Long::longValue).sum();
        long expected = filled.mix().expectedRejections();
        boolean resultsMatch = results.records() == total;
        boolean rejectionsMatch = rejected == expected;
        checks.add(String.format("%,d results for %,d commands%s; %,d rejected %s, the mix expected %,d (92002: %,d,"
                + " 92024: %,d)%s", results.records(), total, resultsMatch ? "" : "  MISMATCH", rejected, rejections,
            expected, filled.mix().expectedDuplicateStatus, filled.mix().expectedClosedLead,
            rejectionsMatch ? "" : "  MISMATCH"));
        checks.add("commands by kind: " + filled.mix().asMap());
        var deadLetters = OutputCounter.count(bootstrap, topics.deadLetter());
        if (deadLetters.records() != 0) {
          checks.add(String.format("%,d commands in the dead-letter topic  MISMATCH", deadLetters.records()));
        }
        passed = resultsMatch && rejectionsMatch && deadLetters.records() == 0;
        checks.add(perCommand(results, total));
        for (String topic : List.of(topics.events().name(), topics.leads().name(), topics.reasons().name(),
            topics.subStatuses().name())) {
          checks.add(perCommand(OutputCounter.count(bootstrap, topic), total));
        }
      }
    }
    // Every store write that reaches a changelog: what the state costs per command.
    for (String changelog : topicsStartingWith(applicationId + "-")) {
      checks.add(perCommand(OutputCounter.count(bootstrap, changelog), total));
    }
    return passed;
  }

  private static String perCommand(OutputCounter.TopicCount count, long commands) {
    return String.format("%-62s %,10d records  %5.2f per command  %,6d B per value", count.topic(), count.records(),
        count.perCommand(commands), count.averageValueBytes());
  }

  private List<String> topicsStartingWith(String prefix) throws InterruptedException {
    try {
      return admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
          .filter(name -> name.startsWith(prefix))
          .sorted()
          .toList();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot list topics: " + e, e);
    }
  }

  /** A million-command run leaves gigabytes in the broker: drop each run's topics once counted. */
  private void deleteTopics(String prefix, String applicationId) throws InterruptedException {
    var names = new ArrayList<>(topicsStartingWith(prefix));
    names.addAll(topicsStartingWith(applicationId + "-"));
    try {
      admin.deleteTopics(names).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      progress("could not delete topics %s: %s", names, e);
    }
  }

  private static String describe(RunResult result) {
    var text = new StringBuilder();
    text.append(String.format("%n%s, %s: %,d records in %.2f s = %,.0f records/s; JVM %.2f cores,"
            + " others %.2f cores, %.1f CPU us/record; load average at start %s%n",
        result.app().label, result.round() == 0 ? "JVM warm-up run (not in the table)" : "round " + result.round(),
        result.records(), result.seconds(), result.recordsPerSecond(),
        result.processCores(), result.otherCores(), result.cpuMicrosPerRecord(), result.loadAverage()));
    result.checks().forEach(check -> text.append("  ").append(check).append('\n'));
    return text.toString();
  }

  private static String machine() {
    String memTotal = "?";
    try {
      memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(line -> line.startsWith("MemTotal:"))
          .map(line -> ProcessMemory.megabytes(Long.parseLong(line.replaceAll("[^0-9]", ""))))
          .findFirst().orElse("?");
    } catch (IOException e) {
      // not Linux
    }
    return String.format("machine: %d cores, %s RAM, Java %s (%s), max heap %,d MB, load average %s%n",
        Runtime.getRuntime().availableProcessors(), memTotal, System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() / (1024 * 1024),
        MachineSample.loadAverage());
  }

  private static void progress(String format, Object... args) {
    System.err.printf("%s %s%n", CLOCK.format(LocalTime.now()), String.format(format, args));
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      progress("could not delete all of %s: %s", dir, e);
    }
  }
}
