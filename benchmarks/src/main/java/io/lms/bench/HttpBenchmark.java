package io.lms.bench;

import io.lms.bench.PeerTable.Page;
import io.lms.http.CredentialStore;
import io.lms.query.LeadSearch.SortBy;
import io.lms.query.LeadSearch.SortOrder;
import io.lms.runtime.LmsApplication;
import io.lms.runtime.LmsConfig;
import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
import io.lms.schema.LeadState;
import io.lms.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The HTTP figures of the Leads v2 API, each beside its reference measured in the same run. The
 * service (the real jar, started as its own process on its embedded broker) is loaded with one org
 * of N leads ({@link LeadLoad}); the leads exactly as LMS then holds them (read back from {@code
 * lms.leads}) are copied into PostgreSQL, where {@link PostgresPeer} serves the same read
 * endpoints. {@code wrk} then measures each read on LMS and on the peer in turn, and the lookup
 * beside LMS's trivial endpoint; pgbench runs the peer's SQL alone, the database's share; a
 * fixed-rate client measures LMS's writes answered after commit. Start-to-ready time and resident
 * memory of the service come first.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -Xmx1g -cp "benchmarks/target/lms-benchmarks.jar:benchmarks/target/lib/*" io.lms.bench.HttpBenchmark --leads 1000000
 * </pre>
 */
public final class HttpBenchmark {
  private static final String ORG = LeadLoad.ORG;
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
      (LmsApplication.DEMO_USER + ":" + LmsApplication.DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8));
  private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String PG_USER = "postgres";
  private static final String PG_SCHEMA = "bench_lms";
  /** The service's heap; without it the JVM would take a quarter of the machine's memory. */
  private static final String SERVICE_HEAP = "-Xmx1g";
  /** The fixed-rate writer's HTTP client threads. */
  private static final int WRITE_CLIENT_THREADS = 8;
  /** How long after its intended send a write may take to be answered (LMS answers 503 after 10 s). */
  private static final long ANSWER_GRACE_SECONDS = 120;
  /** The search every row measures, page 1; the offset row adds {@code &offset=10000}. */
  private static final String SEARCH = "/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20";
  private static final int DEEP = 10_000;
  private static final double WRITE_P99_TARGET_MS = 30;

  private final Options options;
  private final Path work;
  private final PeerTable table = new PeerTable(PG_SCHEMA);
  private final List<String[]> rows = new ArrayList<>();

  /** The command line; unknown options fail at once, not after minutes of loading. */
  record Options(int leads, int seconds, int rounds, int jvmWarmup, int connections, boolean postgres, boolean pgbench, long seed,
      Path jar, boolean reads, List<Integer> writeRates, String javaOptions) {
    static final String USAGE = """
        Usage: HttpBenchmark [options]
          --leads N          leads in the one org (default 1000000)
          --seconds N        each measurement, after a 5 s warm-up (default 15)
          --rounds N         measurements of each read, LMS and peer alternating; the table
                             shows the medians (default 3)
          --jvm-warmup N     seconds of untimed reads per server before the first read
                             measurement, and of untimed writes at the first rate before the
                             first write measurement (default 60)
          --connections N    wrk connections and pgbench clients (default 8)
          --seed N           seed of the generated leads (default 42)
          --skip-postgres    LMS alone: no peer, no pgbench
          --skip-pgbench     the peer, but not its SQL alone
          --writes-only      no reads (and no pgbench): start, load, then the writes, LMS's
                             and the peer's
          --write-rates A,B  writes a second of each fixed-rate run (default 200)
          --jar PATH         the service (default streams-app/target/lms-streams.jar)
          --java-options S   more options for the service's JVM, given to it as JDK_JAVA_OPTIONS
                             (say "-XX:+UseParallelGC")
        """;

    static Options parse(String... args) {
      Map<String, String> given = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        switch (name) {
          case "--skip-postgres", "--skip-pgbench", "--writes-only" -> given.put(name, "true");
          case "--leads", "--seconds", "--rounds", "--jvm-warmup", "--connections", "--seed", "--jar", "--write-rates",
              "--java-options" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            given.put(name, args[++i]);
          }
          default -> throw new IllegalArgumentException("unknown option '" + name + "'");
        }
      }
      boolean reads = !given.containsKey("--writes-only");
      boolean postgres = !given.containsKey("--skip-postgres");
      List<Integer> writeRates = new ArrayList<>();
      for (String rate : given.getOrDefault("--write-rates", "200").split(",")) {
        writeRates.add(number(Map.of("--write-rates", rate.trim()), "--write-rates", 200));
      }
      return new Options(number(given, "--leads", 1_000_000), number(given, "--seconds", 15),
          number(given, "--rounds", 3), number(given, "--jvm-warmup", 60), number(given, "--connections", 8), postgres, reads && postgres && !given.containsKey("--skip-pgbench"),
          number(given, "--seed", 42), Path.of(given.getOrDefault("--jar", "streams-app/target/lms-streams.jar")), reads,
          List.copyOf(writeRates), given.getOrDefault("--java-options", "").trim());
    }

    private static int number(Map<String, String> given, String name, int fallback) {
      String text = given.get(name);
      try {
        int value = text == null ? fallback : Integer.parseInt(text.replace(",", "").replace("_", ""));
        if (value < 1) {
          throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " wants a number, not '" + text + "'");
      }
    }
  }

  private HttpBenchmark(Options options) throws IOException {
    this.options = options;
    this.work = Files.createTempDirectory("lms-http-bench");
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    HttpBenchmark benchmark = new HttpBenchmark(options);
    try {
      benchmark.run();
    } finally {
      benchmark.deleteWork();
    }
    // Kafka and Jetty leave non-daemon threads behind now and then; the work is done.
    System.exit(0);
  }

  private void run() throws Exception {
    int brokerPort = freePort();
    int httpPort = freePort();
    String base = "http://127.0.0.1:" + httpPort;
    Map<String, String> serviceEnv = serviceEnvironment(brokerPort, httpPort);
    if (!options.javaOptions().isEmpty()) {
      serviceEnv.put("JDK_JAVA_OPTIONS", options.javaOptions());
    }
    printSettings(serviceEnv);

    long start = System.nanoTime();
    ProcessBuilder service = new ProcessBuilder("java", SERVICE_HEAP, "-jar", options.jar().toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("app.log").toFile())
        .directory(work.toFile());
    service.environment().putAll(serviceEnv);
    Process app = service.start();
    // A benchmark stopped by a signal must not leave the service running into the next one.
    Thread stopService = new Thread(app::destroyForcibly, "stop-service");
    Runtime.getRuntime().addShutdownHook(stopService);
    try {
      // Long enough for a shared machine: the time is measured, and judged, all the same.
      awaitReady(app, base, Duration.ofMinutes(5));
      double readySeconds = (System.nanoTime() - start) / 1e9;
      long rssAtReady = residentKb(app.pid());
      row("service: start to ready", "%.1f s".formatted(readySeconds), "", "", "< 15 s", verdict(readySeconds < 15));
      row("service: resident memory when ready", "%d MiB".formatted(rssAtReady / 1024), "", "", "< 1024 MiB",
          verdict(rssAtReady < 1024 * 1024));

      load("127.0.0.1:" + brokerPort);
      long rssLoaded = residentKb(app.pid());
      row("service: resident memory with " + options.leads() + " leads", "%d MiB".formatted(rssLoaded / 1024), "", "",
          "", "");

      PostgresPeer peer = null;
      try {
        if (options.postgres()) {
          copyToPostgres("127.0.0.1:" + brokerPort);
          peer = new PostgresPeer(PG_URL, PG_USER, table, CredentialStore.of(
              LmsApplication.DEMO_USER, LmsApplication.DEMO_PASSWORD, LmsApplication.DEMO_ORG, LmsApplication.DEMO_STAFF_ID)).start(freePort());
        }
        Server lms = new Server(base, () -> MachineSample.processTicks(Long.toString(app.pid())));
        Server peerServer = peer == null ? null : new Server("http://127.0.0.1:" + peer.port(), HttpBenchmark::peerTicks);
        if (options.reads()) {
          reads(lms, peerServer);
        }
        if (!options.writeRates().isEmpty()) {
          // The write path (HTTP, the gateway, one commit per burst) is code the load did not run:
          // until the JIT has compiled it, a write at 200/s waited several times longer. The
          // peer's writes get as long.
          fixedRateWrites(lms, options.writeRates().get(0), options.jvmWarmup());
          if (peerServer != null) {
            fixedRateWrites(peerServer, options.writeRates().get(0), options.jvmWarmup());
          }
        }
        for (int rate : options.writeRates()) {
          writes(lms, peerServer, rate);
        }
      } finally {
        if (peer != null) {
          peer.close();
        }
      }
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
      Runtime.getRuntime().removeShutdownHook(stopService);
      if (options.postgres()) {
        try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, "")) {
          table.drop(connection);
        }
      }
    }
    print();
  }

  /**
   * What the service runs with beyond {@code java -jar lms-streams.jar} on its embedded broker:
   * free ports, and a rate limit the benchmark cannot reach (at the default of 500 requests a second
   * per org, wrk would measure 429s).
   */
  private static Map<String, String> serviceEnvironment(int brokerPort, int httpPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LMS_EMBEDDED_PORT", Integer.toString(brokerPort));
    env.put("LMS_HTTP_PORT", Integer.toString(httpPort));
    env.put("LMS_RATE_LIMIT_PER_ORG", "1000000");
    env.put("LMS_RATE_LIMIT_BURST", "1000000");
    return env;
  }

  private void printSettings(Map<String, String> serviceEnv) throws Exception {
    LmsConfig defaults = LmsConfig.defaults();
    System.out.printf("machine: %d cores, %s, %s RAM, load average %s (other work on the machine shows in it)%n",
        Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(), loadAverage());
    System.out.printf("LMS: java %s -jar %s, embedded broker, working directory %s; differs from the defaults in:%n",
        SERVICE_HEAP, options.jar(), work);
    System.out.printf("  %s (the JVM's default here: a quarter of the RAM)%n", SERVICE_HEAP);
    if (serviceEnv.containsKey("JDK_JAVA_OPTIONS")) {
      System.out.printf("  JDK_JAVA_OPTIONS=%s (--java-options)%n", serviceEnv.get("JDK_JAVA_OPTIONS"));
    }
    System.out.printf("  LMS_EMBEDDED_PORT=%s, LMS_HTTP_PORT=%s (defaults %d, %d: free ports instead)%n",
        serviceEnv.get("LMS_EMBEDDED_PORT"), serviceEnv.get("LMS_HTTP_PORT"), defaults.embeddedPort(),
        defaults.httpPort());
    System.out.printf("  LMS_RATE_LIMIT_PER_ORG=%s, LMS_RATE_LIMIT_BURST=%s (defaults %d, %d: wrk would measure 429s)%n",
        serviceEnv.get("LMS_RATE_LIMIT_PER_ORG"), serviceEnv.get("LMS_RATE_LIMIT_BURST"), defaults.rateLimitPerOrg(),
        defaults.rateLimitBurst());
    if (options.postgres()) {
      System.out.printf("peer: Javalin (its defaults, as LMS) + HikariCP, pool of %d + PostgreSQL, in this JVM"
          + " (max heap %,d MB); PostgreSQL %s%n", PostgresPeer.POOL_SIZE,
          Runtime.getRuntime().maxMemory() / (1024 * 1024), postgresSettings());
    }
    System.out.println("both: Basic auth checked on every request by LMS's CredentialStore (a SHA-256 of the header,"
        + " a map lookup); LMS also takes a rate-limit token and times each request, the peer does neither");
    System.out.println("CPU us/req: CPU time of the server per request, from /proc: LMS's process (its broker and"
        + " stream threads included), the peer's JVM (this one) and its PostgreSQL connections' server processes");
    if (options.reads()) {
      System.out.printf("wrk -t2 -c%d -d%ds --latency after a 5 s warm-up of the same request, LMS and the peer"
          + " alternating, %d rounds (the table: medians), after %d s of untimed reads per server; pgbench -c%d -j2,"
          + " the same SQL as the peer%n", options.connections(), options.seconds(), options.rounds(),
          options.jvmWarmup(), options.connections());
    }
    if (!options.writeRates().isEmpty()) {
      System.out.printf("writes: POST /v2/leads/{random lead}/followup at a fixed rate from %d client threads, latency"
          + " from each write's intended send time; per server %d s of untimed writes at the first rate, then per"
          + " rate a 5 s warm-up and %d s measured, LMS then the peer%n", WRITE_CLIENT_THREADS, options.jvmWarmup(),
          Math.max(10, options.seconds()));
    }
  }

  private static String postgresSettings() throws SQLException {
    var settings = new ArrayList<String>();
    try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, "");
        Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT name, current_setting(name) FROM pg_settings WHERE name IN"
            + " ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit',"
            + " 'max_connections', 'autovacuum', 'wal_level', 'fsync', 'synchronous_commit') ORDER BY name")) {
      while (rows.next()) {
        settings.add(rows.getString(1) + "=" + rows.getString(2));
      }
    }
    return "as installed: " + String.join(", ", settings);
  }

  // ---- loading

  private void load(String bootstrap) throws Exception {
    SingleObjectCodec<LeadCommand> codec = SingleObjectCodec.of(LeadCommand.class);
    long started = System.nanoTime();
    int commands;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
      commands = new LeadLoad(options.leads(), options.seed(), Instant.now()).forEach(command -> producer.send(
          new ProducerRecord<>("lms.lead-commands", null, command.getIssuedAt().toEpochMilli(), command.getOrgId(),
              codec.encode(command))));
      producer.flush();
    }
    awaitResults(bootstrap, commands);
    double secondsTaken = (System.nanoTime() - started) / 1e9;
    row("load: " + commands + " commands into one org (one partition)",
        "%,.0f commands/s".formatted(commands / secondsTaken), "", "", "end to end, read_committed results", "");
  }

  private static void awaitResults(String bootstrap, int expected) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = assignAll(consumer, "lms.command-results");
      consumer.seekToBeginning(partitions);
      SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
      int seen = 0;
      int rejected = 0;
      while (seen < expected) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          if (!(results.decode(record.value()).getOutcome() instanceof Accepted)) {
            rejected++;
          }
        }
      }
      if (rejected > 0) {
        System.out.println("warning: " + rejected + " load commands were rejected");
      }
    }
  }

  /**
   * Copies every lead, in the state LMS holds it, from {@code lms.leads} into the peer's table. The
   * topic has every version of a lead (a follow-up writes it again), so a first pass notes the
   * offset of each lead's last version and a second copies only those: one long per lead in
   * memory, not a million leads.
   */
  private void copyToPostgres(String bootstrap) throws Exception {
    long started = System.nanoTime();
    SingleObjectCodec<LeadState> codec = SingleObjectCodec.of(LeadState.class);
    long[] lastOffset = new long[options.leads() + 1];
    Arrays.fill(lastOffset, -1);
    long copied;
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap);
        Connection connection = DriverManager.getConnection(PG_URL, PG_USER, "")) {
      List<TopicPartition> partitions = assignAll(consumer, "lms.leads");
      readAll(consumer, partitions, record -> lastOffset[leadIdOf(record.key())] = record.offset());
      table.create(connection);
      try (PeerTable.Loader loader = table.loader(connection)) {
        readAll(consumer, partitions, record -> {
          if (lastOffset[leadIdOf(record.key())] == record.offset()) {
            loader.add(codec.decode(record.value()), record.value());
          }
        });
        copied = loader.finish();
      }
      double copySeconds = (System.nanoTime() - started) / 1e9;
      table.index(connection);
      if (copied != options.leads()) {
        throw new IllegalStateException("lms.leads held " + copied + " leads, not " + options.leads());
      }
      row("PostgreSQL: the " + copied + " leads of lms.leads copied", "", "%.0f s, indexes and VACUUM ANALYZE %.0f s, %s"
          .formatted(copySeconds, (System.nanoTime() - started) / 1e9 - copySeconds, sizes(connection)), "", "", "");
    }
  }

  private String sizes(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement(); ResultSet size = sql.executeQuery(
        "SELECT pg_size_pretty(pg_table_size('" + PG_SCHEMA + ".leads')), pg_size_pretty(pg_indexes_size('"
            + PG_SCHEMA + ".leads'))")) {
      size.next();
      return "table " + size.getString(1) + ", indexes " + size.getString(2);
    }
  }

  @FunctionalInterface
  private interface RecordSink {
    void accept(ConsumerRecord<String, byte[]> record) throws Exception;
  }

  private static void readAll(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, RecordSink sink)
      throws Exception {
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        sink.accept(record);
      }
    }
  }

  /** The lead id of a {@code org:id} key of lms.leads; every lead is of the one org. */
  private static int leadIdOf(String key) {
    if (!key.startsWith(ORG + ":")) {
      throw new IllegalStateException("a lead of another org on lms.leads: " + key);
    }
    return Integer.parseInt(key, ORG.length() + 1, key.length(), 10);
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> consumer, String topic) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    return partitions;
  }

  // ---- reads

  /**
   * One wrk run: the rate and latency a client saw, and the CPU time the server spent per request
   * (LMS's process; the peer's JVM and its PostgreSQL server processes), which other work on a
   * shared machine disturbs far less than it disturbs the rate.
   */
  private record Wrk(double rate, double p50Ms, double p99Ms, double cpuMicros) {
    String describe() {
      return "%,.0f req/s, p50 %.2f ms, p99 %.2f ms, %,.0f CPU us/req".formatted(rate, p50Ms, p99Ms, cpuMicros);
    }
  }

  /** The CPU time, in clock ticks, of the processes that serve one server's requests. */
  @FunctionalInterface
  private interface ServerCpu {
    long ticks() throws Exception;
  }

  /** The runs of one request on one server, one per round; described by the median of each figure. */
  private record Series(List<Wrk> runs) {
    Wrk median() {
      return new Wrk(median(Wrk::rate), median(Wrk::p50Ms), median(Wrk::p99Ms), median(Wrk::cpuMicros));
    }

    private double median(ToDoubleFunction<Wrk> figure) {
      double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
      int middle = values.length / 2;
      return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** This series' rate over the other's, round by round, in per cent. */
    String ratesOver(Series other) {
      List<String> ratios = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        ratios.add("%.0f".formatted(runs.get(i).rate() / other.runs().get(i).rate() * 100));
      }
      return String.join(" / ", ratios);
    }
  }

  /** A GET for wrk on one server: a fixed path, or (lua) a path expression evaluated per request. */
  private record Get(Server server, String path, boolean lua) {
    static Get of(Server server, String path) {
      return new Get(server, path, false);
    }
  }

  /** Where a server listens, and whose CPU time its requests cost. */
  private record Server(String base, ServerCpu cpu) {}

  /**
   * Runs each request in turn, then again, {@code --rounds} times: on a shared machine, runs that
   * are compared with each other are best measured close together.
   */
  private List<Series> alternating(Get... gets) throws Exception {
    List<List<Wrk>> runs = new ArrayList<>();
    for (Get get : gets) {
      runs.add(new ArrayList<>());
    }
    for (int round = 0; round < options.rounds(); round++) {
      for (int i = 0; i < gets.length; i++) {
        Get get = gets[i];
        runs.get(i).add(wrk(gets[i]));
      }
    }
    return runs.stream().map(Series::new).toList();
  }

  private void reads(Server lms, Server peer) throws Exception {
    String lookup = "/v2/leads/\" .. math.random(1, " + options.leads() + ") .. \"";
    String offsetPage = SEARCH + "&offset=" + DEEP;
    String due = "/v2/leads/followups/due?limit=20";
    if (peer != null) {
      sameAnswers(lms.base(), peer.base(), List.of("/v2/leads/1", "/v2/leads/" + options.leads() / 2, SEARCH, offsetPage,
          "/v2/leads/followups/due?limit=20&to=" + Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)));
    }
    List<Get> warm = new ArrayList<>();
    for (Server server : peer == null ? List.of(lms) : List.of(lms, peer)) {
      warm.addAll(List.of(new Get(server, lookup, true), Get.of(server, SEARCH), Get.of(server, offsetPage),
          Get.of(server, due)));
    }
    if (peer != null) {
      String key = keyOfRow(DEEP);
      warm.addAll(List.of(Get.of(peer, SEARCH + "&skip=" + DEEP), Get.of(peer, SEARCH + "&after=" + key)));
    }
    warmUp(warm, peer == null ? 1 : 2);
    List<Series> lookups = peer == null
        ? alternating(Get.of(lms, "/health/live"), new Get(lms, lookup, true))
        : alternating(Get.of(lms, "/health/live"), new Get(lms, lookup, true), new Get(peer, lookup, true));
    Series trivial = lookups.get(0);
    row("trivial endpoint GET /health/live", trivial.median().describe(), "", "", "", "");
    double ofTrivial = lookups.get(1).median().rate() / trivial.median().rate();
    compare("lookup GET /v2/leads/{random id}", lookups.get(1), peer == null ? null : lookups.get(2),
        "%.1f %% of trivial (%s)".formatted(ofTrivial * 100, lookups.get(1).ratesOver(trivial)), ">= 60 % of trivial",
        ofTrivial >= 0.6);
    compare("search status=OPEN, sortBy=lastUpdatedOn, limit=20: page 1", lms, peer, SEARCH);
    compare("the same with offset=" + DEEP + " (API: leads created after the " + DEEP + "th)", lms, peer, offsetPage);
    if (peer != null) {
      List<Series> deep = alternating(Get.of(peer, SEARCH + "&skip=" + DEEP), Get.of(peer, SEARCH + "&after=" + keyOfRow(DEEP)));
      rows.add(new String[] {"the same order, " + DEEP + " rows deep: SQL OFFSET " + DEEP, "(no such page in the API)",
          deep.get(0).median().describe(), "", "", ""});
      rows.add(new String[] {"the same page by keyset: (last_updated_on, id) < the last seen", "(no such page in the API)",
          deep.get(1).median().describe(), "", "", ""});
    }
    compare("due follow-ups, limit=20 (to: a day from now)", lms, peer, due);
    if (options.pgbench()) {
      databaseAlone(keyOfRow(DEEP));
    }
  }

  private void compare(String what, Server lms, Server peer, String path) throws Exception {
    if (peer == null) {
      compare(what, alternating(Get.of(lms, path)).get(0), null, "", "", true);
    } else {
      List<Series> both = alternating(Get.of(lms, path), Get.of(peer, path));
      compare(what, both.get(0), both.get(1), "", "", true);
    }
  }

  /** One read on both servers: the target is the peer's rate or more, at a p99 no worse. */
  private void compare(String what, Series lms, Series peer, String note, String extraTarget, boolean extraPass) {
    List<String> targets = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Wrk ours = lms.median();
    boolean pass = extraPass;
    if (peer != null) {
      Wrk theirs = peer.median();
      targets.add("rate >= peer, p99 <= peer");
      notes.add("rate %.0f %% (%s), p99 %.2fx, CPU %.2fx".formatted(ours.rate() / theirs.rate() * 100,
          lms.ratesOver(peer), ours.p99Ms() / theirs.p99Ms(), ours.cpuMicros() / theirs.cpuMicros()));
      pass &= ours.rate() >= theirs.rate() && ours.p99Ms() <= theirs.p99Ms();
    }
    if (!extraTarget.isEmpty()) {
      targets.add(extraTarget);
      notes.add(note);
    }
    row(what, ours.describe(), peer == null ? "" : peer.median().describe(), String.join("; ", notes),
        String.join("; ", targets), targets.isEmpty() ? "" : verdict(pass));
  }

  /** Fails the run unless both servers answer each path with the same status and the same JSON. */
  private static void sameAnswers(String lms, String peer, List<String> paths) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String path : paths) {
      HttpResponse<String> a = get(client, lms + path);
      HttpResponse<String> b = get(client, peer + path);
      if (a.statusCode() != 200 || a.statusCode() != b.statusCode() || !a.body().equals(b.body())) {
        throw new IllegalStateException("LMS and the peer answer " + path + " differently:\nLMS " + a.statusCode() + " "
            + abbreviated(a.body()) + "\npeer " + b.statusCode() + " " + abbreviated(b.body()));
      }
    }
    System.out.println("LMS and the peer answer the same JSON to " + String.join(", ", paths));
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", AUTH).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String abbreviated(String text) {
    return text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }

  /** The keyset of the page after the first {@code rows} rows of the search: {@code lastUpdatedOn ms:id}. */
  private String keyOfRow(int rows) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, "");
        PreparedStatement sql = connection.prepareStatement(
            table.search(true, SortBy.LAST_UPDATED_ON, SortOrder.DESC, Page.ROWS_SKIPPED))) {
      sql.setString(1, ORG);
      sql.setString(2, "OPEN");
      sql.setLong(3, 1);
      sql.setLong(4, rows - 1);
      try (ResultSet row = sql.executeQuery()) {
        if (!row.next()) {
          throw new IllegalStateException("fewer than " + rows + " OPEN leads: use more --leads");
        }
        LeadState lead = SingleObjectCodec.of(LeadState.class).decode(row.getBytes(1));
        return lead.getLastUpdatedAtMillis() + ":" + lead.getId();
      }
    }
  }

  /** Runs wrk twice (a warm-up, then the measured run) and reads its rate, latency percentiles and CPU cost. */
  private Wrk wrk(Get get) throws Exception {
    exec(wrkCommand(get, 5));
    long ticksBefore = get.server().cpu().ticks();
    String out = exec(wrkCommand(get, options.seconds()));
    long ticks = get.server().cpu().ticks() - ticksBefore;
    if (out.contains("Non-2xx") || out.contains("Socket errors")) {
      throw new IllegalStateException("wrk saw errors on " + get + ":\n" + out);
    }
    double requests = number(out, "([0-9]+) requests in");
    return new Wrk(number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"), millis(out, "99%"),
        ticks / MachineSample.TICKS_PER_SECOND * 1e6 / requests);
  }

  private List<String> wrkCommand(Get get, int seconds) throws IOException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + options.connections(), "-d" + seconds + "s",
        "--latency", "-H", "Authorization: " + AUTH));
    if (get.lua()) {
      Path script = work.resolve("wrk-" + Math.abs(get.path().hashCode()) + ".lua");
      Files.writeString(script, "request = function()\n  return wrk.format(\"GET\", \"" + get.path() + "\")\nend\n");
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(get.server().base() + (get.lua() ? "" : get.path()));
    return command;
  }

  /**
   * Before the first measurement, every read of both servers runs untimed for {@code --jvm-warmup}
   * seconds per server: a JVM compiles its hot paths over the first tens of thousands of requests,
   * and on a busy machine a server measured cold paid for its compiler in its figures (the peer's
   * first lookups cost ten times the CPU of later ones).
   */
  private void warmUp(List<Get> gets, long servers) throws Exception {
    int each = (int) Math.max(5, options.jvmWarmup() * servers / gets.size());
    for (Get get : gets) {
      exec(wrkCommand(get, each));
    }
  }

  /** This JVM's CPU time and that of the PostgreSQL server processes of the peer's connections. */
  private static long peerTicks() throws SQLException {
    long ticks = MachineSample.processTicks("self");
    try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, "");
        PreparedStatement sql = connection.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      sql.setString(1, PostgresPeer.APPLICATION_NAME);
      try (ResultSet backends = sql.executeQuery()) {
        while (backends.next()) {
          ticks += MachineSample.processTicks(Integer.toString(backends.getInt(1)));
        }
      }
    }
    return ticks;
  }

  // ---- the peer's SQL alone

  private record PgResult(double tps, double p50Ms, double p99Ms) {
    String describe() {
      return "%,.0f q/s, p50 %.2f ms, p99 %.2f ms".formatted(tps, p50Ms, p99Ms);
    }
  }

  private void databaseAlone(String deepKey) throws Exception {
    String org = "'" + ORG + "'";
    String lastDay = "'" + Instant.now().plus(Duration.ofDays(1)) + "'";
    String[] key = deepKey.split(":");
    String keyTime = "'" + Instant.ofEpochMilli(Long.parseLong(key[0])) + "'";
    String search = table.search(true, SortBy.LAST_UPDATED_ON, SortOrder.DESC, Page.CREATED_AFTER);
    var scripts = new LinkedHashMap<String, String>();
    scripts.put("lookup", "\\set id random(1, " + options.leads() + ")\n" + PeerTable.inline(table.lookup(), org, ":id"));
    scripts.put("search, page 1", PeerTable.inline(search, org, "'OPEN'", "0", "20"));
    scripts.put("search, offset=" + DEEP + " (id > " + DEEP + ")", PeerTable.inline(search, org, "'OPEN'",
        Integer.toString(DEEP), "20"));
    scripts.put("search, SQL OFFSET " + DEEP, PeerTable.inline(
        table.search(true, SortBy.LAST_UPDATED_ON, SortOrder.DESC, Page.ROWS_SKIPPED), org, "'OPEN'", "20",
        Integer.toString(DEEP)));
    scripts.put("search, keyset " + DEEP + " rows deep", PeerTable.inline(
        table.search(true, SortBy.LAST_UPDATED_ON, SortOrder.DESC, Page.AFTER_KEY), org, "'OPEN'", keyTime, key[1],
        "20"));
    scripts.put("due follow-ups", PeerTable.inline(table.due(), org, "'" + Instant.EPOCH + "'", lastDay, "20", "0"));
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      rows.add(new String[] {"  the peer's SQL alone (pgbench): " + script.getKey(), "",
          pgbench(script.getKey(), script.getValue() + ";\n").describe(), "", "", ""});
    }
  }

  private PgResult pgbench(String name, String sql) throws Exception {
    String id = name.replaceAll("[^a-z0-9]+", "-");
    Path file = work.resolve(id + ".sql");
    Files.writeString(file, sql);
    Path logs = work.resolve("pglog-" + id);
    Files.createDirectories(logs);
    String clients = Integer.toString(options.connections());
    String threads = Integer.toString(Math.min(options.connections(), 2));
    exec(List.of("pgbench", "-h", "127.0.0.1", "-U", PG_USER, "-n", "-c", clients, "-j", threads, "-T", "5", "-f",
        file.toString(), "test"));
    String out = exec(List.of("pgbench", "-h", "127.0.0.1", "-U", PG_USER, "-n", "-c", clients, "-j", threads, "-T",
        Integer.toString(options.seconds()), "-f", file.toString(), "-l", "--log-prefix", logs.resolve("log").toString(),
        "test"));
    List<Long> micros = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.toList()) {
        for (String line : Files.readAllLines(log)) {
          micros.add(Long.parseLong(line.split(" ")[2]));
        }
      }
    }
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    return new PgResult(number(out, "tps = ([0-9.]+)"), sorted[sorted.length / 2] / 1e3,
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e3);
  }

  // ---- writes

  /**
   * Writes at a fixed rate, each answered after its transaction committed; latency from the
   * intended send time. As each read, after a 5 s warm-up at the same rate; LMS, then the peer
   * (null for none).
   */
  private void writes(Server lmsServer, Server peerServer, int rate) throws Exception {
    fixedRateWrites(lmsServer, rate, 5);
    WriteRun lms = fixedRateWrites(lmsServer, rate, Math.max(10, options.seconds()));
    WriteRun peer = null;
    if (peerServer != null) {
      fixedRateWrites(peerServer, rate, 5);
      peer = fixedRateWrites(peerServer, rate, Math.max(10, options.seconds()));
    }
    String interval = System.getenv().getOrDefault("LMS_COMMIT_INTERVAL_MS", "100");
    row("writes (POST followup) at " + rate + "/s, answered after commit (commit.interval.ms " + interval + ")",
        lms.summary(), peer == null ? "" : peer.summary(),
        peer == null ? "" : "p99 %.1fx the peer's".formatted(lms.p99() / peer.p99()),
        "p99 < %.0f ms".formatted(WRITE_P99_TARGET_MS), verdict(lms.p99() < WRITE_P99_TARGET_MS && lms.failures() == 0));
  }

  /**
   * Latencies in nanoseconds, the writes not answered 200, and the server's CPU time over the run
   * in clock ticks (the peer's includes this JVM's, so the writer's too).
   */
  private record WriteRun(List<Long> latencies, int failures, long cpuTicks) {
    private double percentile(double fraction) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted[Math.max(0, (int) Math.ceil(sorted.length * fraction) - 1)] / 1e6;
    }

    double p99() {
      return percentile(0.99);
    }

    String summary() {
      return "p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed, %.2f CPU ms/write".formatted(percentile(0.5), p99(),
          percentile(1.0), failures, cpuTicks / MachineSample.TICKS_PER_SECOND * 1e3 / latencies.size());
    }
  }

  private WriteRun fixedRateWrites(Server server, int rate, int seconds) throws Exception {
    String base = server.base();
    int total = rate * seconds;
    var pool = Executors.newFixedThreadPool(WRITE_CLIENT_THREADS, r -> {
      Thread thread = new Thread(r, "http-bench");
      thread.setDaemon(true);
      return thread;
    });
    HttpClient client = HttpClient.newBuilder().executor(pool).build();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    Random random = new Random(7);
    long ticksBefore = server.cpu().ticks();
    long start = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < total; i++) {
      long intended = start + i * 1_000_000_000L / rate;
      long lead = 1 + random.nextInt(options.leads());
      String body = "{\"followedUpOn\":\"" + Instant.now().atOffset(ZoneOffset.UTC) + "\",\"notes\":\"bench\"}";
      CompletableFuture<Void> done = new CompletableFuture<>();
      pending.add(done);
      ticker.schedule(() -> client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v2/leads/" + lead + "/followup"))
              .header("Authorization", AUTH).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null || response.statusCode() != 200) {
              failures.incrementAndGet();
            }
            latencies.add(System.nanoTime() - intended);
            done.complete(null);
          }), intended - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    // The last write is sent `seconds` after the first: a fixed bound would cut a long warm-up short.
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(seconds + ANSWER_GRACE_SECONDS, TimeUnit.SECONDS);
    long ticks = server.cpu().ticks() - ticksBefore;
    ticker.shutdown();
    pool.shutdown();
    return new WriteRun(List.copyOf(latencies), failures.get(), ticks);
  }

  // ---- plumbing

  private void row(String what, String lms, String peer, String ratio, String target, String verdict) {
    rows.add(new String[] {what, lms, peer, ratio, target, verdict});
    System.out.printf("%s: %s%s%n", what, lms, peer.isEmpty() ? "" : "   peer: " + peer);
  }

  private void print() {
    System.out.println();
    String format = "%-74s | %-62s | %-62s | %-40s | %-50s | %s%n";
    System.out.printf(format, "measure", "LMS", "peer (Javalin + JDBC + PostgreSQL)", "LMS / peer", "target", "");
    for (String[] row : rows) {
      System.out.printf(format, (Object[]) row);
    }
    System.out.printf("load average at the end: %s%n", loadAverage());
  }

  private static String verdict(boolean pass) {
    return pass ? "PASS" : "FAIL";
  }

  /** Waits for the service's readiness; if it dies or never gets there, fails with the end of its log. */
  private void awaitReady(Process app, String base, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && app.isAlive()) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    List<String> log = Files.readAllLines(work.resolve("app.log"));
    throw new IllegalStateException("the service " + (app.isAlive() ? "was not ready within " + timeout : "exited")
        + "; the end of its log:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
  }

  private static long residentKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(line -> line.startsWith("model name")).findFirst()
          .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("CPU ?");
    } catch (IOException e) {
      return "CPU ?";
    }
  }

  private static String memTotal() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines.filter(line -> line.startsWith("MemTotal:")).findFirst()
          .map(line -> "%.1f GiB".formatted(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String exec(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in:\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }

  /** A wrk latency percentile line such as {@code 99%    3.21ms} or {@code 99%  812.00us}. */
  private static double millis(String wrkOutput, String percentile) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(wrkOutput);
    if (!m.find()) {
      throw new IllegalStateException("no " + percentile + " in:\n" + wrkOutput);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void deleteWork() throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
