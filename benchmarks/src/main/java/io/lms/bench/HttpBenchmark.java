package io.lms.bench;

import io.lms.schema.ConfigureReasons;
import io.lms.schema.CommandResult;
import io.lms.schema.CreateLead;
import io.lms.schema.LeadCommand;
import io.lms.schema.RecordFollowUp;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * The HTTP figures of the Leads v2 API, each beside its reference measured in the same run: the
 * service (the real jar, started as its own process on its embedded default) is loaded with one
 * org of N leads, then {@code wrk} measures a lead lookup beside the same server's trivial
 * endpoint, the searches and the due-follow-ups list; a fixed-rate client measures writes answered
 * after commit; PostgreSQL on the same machine holds the same leads and pgbench runs the same
 * queries. Start-to-ready time and resident memory of the embedded default come first.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -Xmx1g -cp "benchmarks/target/lms-benchmarks.jar:benchmarks/target/lib/*" io.lms.bench.HttpBenchmark --leads 1000000
 * </pre>
 */
public final class HttpBenchmark {
  private static final String ORG = "demo";
  private static final String AUTH = "Basic " + Base64.getEncoder()
      .encodeToString("demo:demo-password".getBytes(StandardCharsets.UTF_8));
  private static final Instant NOW = Instant.now();

  private final int leads;
  private final int seconds;
  private final int connections;
  private final boolean postgres;
  private final Path work;
  private final List<String[]> rows = new ArrayList<>();

  private HttpBenchmark(int leads, int seconds, int connections, boolean postgres) throws IOException {
    this.leads = leads;
    this.seconds = seconds;
    this.connections = connections;
    this.postgres = postgres;
    this.work = Files.createTempDirectory("lms-http-bench");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    HttpBenchmark benchmark = new HttpBenchmark(
        Integer.parseInt(options.getOrDefault("leads", "1000000")),
        Integer.parseInt(options.getOrDefault("seconds", "15")),
        Integer.parseInt(options.getOrDefault("connections", "8")),
        !options.containsKey("skip-postgres"));
    try {
      benchmark.run(Path.of(options.getOrDefault("jar", "streams-app/target/lms-streams.jar")));
    } finally {
      benchmark.deleteWork();
    }
  }

  private void run(Path jar) throws Exception {
    int brokerPort = freePort();
    int httpPort = freePort();
    String base = "http://127.0.0.1:" + httpPort;
    System.out.printf("machine: %d cores, load %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());

    long start = System.nanoTime();
    ProcessBuilder service = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("app.log").toFile())
        .directory(work.toFile());
    service.environment().putAll(Map.of(
        "LMS_EMBEDDED_PORT", Integer.toString(brokerPort),
        "LMS_HTTP_PORT", Integer.toString(httpPort),
        "LMS_RATE_LIMIT_PER_ORG", "1000000",
        "LMS_RATE_LIMIT_BURST", "1000000"));
    Process app = service.start();
    try {
      awaitReady(base, Duration.ofSeconds(60));
      double readySeconds = (System.nanoTime() - start) / 1e9;
      long rssAtReady = residentKb(app.pid());
      row("embedded default: start to ready", "%.1f s".formatted(readySeconds), "", "target < 15 s",
          verdict(readySeconds < 15));
      row("embedded default: resident memory when ready", "%d MiB".formatted(rssAtReady / 1024), "",
          "target < 1024 MiB", verdict(rssAtReady < 1024 * 1024));

      load("127.0.0.1:" + brokerPort);
      long rssLoaded = residentKb(app.pid());
      row("resident memory with " + leads + " leads", "%d MiB".formatted(rssLoaded / 1024), "", "", "");

      Wrk trivial = wrk(base + "/health/live", null);
      Wrk lookup = wrk(base, "/v2/leads/\" .. math.random(1, " + leads + ") .. \"");
      row("GET /v2/leads/{id}, " + connections + " connections", lookup.describe(),
          "trivial endpoint: " + trivial.describe(),
          "target >= 60% of trivial, p99 < 5 ms",
          verdict(lookup.rate >= 0.6 * trivial.rate && lookup.p99Ms < 5));
      searchRow(base, "search status=OPEN, sortBy=lastUpdatedOn, limit=20, offset=0",
          "/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20", "search0");
      searchRow(base, "search status=OPEN, sortBy=lastUpdatedOn, limit=20, offset=10000",
          "/v2/leads?status=OPEN&sortBy=lastUpdatedOn&limit=20&offset=10000", "search10k");
      searchRow(base, "due follow-ups (earliest first), limit=20",
          "/v2/leads/followups/due?limit=20", "due");
      if (postgres) {
        rows.add(new String[] {"  PostgreSQL: lookup by (org, id), " + connections + " clients",
            pgbench("lookup").describe(), "", "", ""});
        rows.add(new String[] {"  PostgreSQL: the search with SQL OFFSET 10000 instead, 1 client",
            pgbench("search_offset", 1).describe(), "", "", ""});
      }
      writes(base);
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
      if (postgres) {
        psql("DROP SCHEMA IF EXISTS bench_lms CASCADE");
      }
    }
    print();
  }

  // ---- loading

  private void load(String bootstrap) throws Exception {
    SingleObjectCodec<LeadCommand> codec = SingleObjectCodec.of(LeadCommand.class);
    Random random = new Random(42);
    String[] statuses = {"OPEN", "OPEN", "OPEN", "ON_HOLD", "ON_HOLD", "WON", "LOST"};
    long started = System.nanoTime();
    int commands = 0;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
      // Within the topics' retention: a record older than retention.ms (7 days) may be deleted
      // before anyone reads it, and outputs carry their command's timestamp.
      Instant issued = NOW.minus(Duration.ofDays(1));
      send(producer, codec, new LeadCommand("load-reasons", ORG, 1L, issued,
          new ConfigureReasons(List.of("Item not available in store", "Best price elsewhere"))));
      commands++;
      for (int i = 1; i <= leads; i++) {
        // Leads are created over the last day, so lastUpdatedOn spreads like a real org's.
        Instant at = issued.plusMillis((long) i * Duration.ofHours(20).toMillis() / leads);
        String nextFollowUp = NOW.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 60) - 60 * 24 * 30))
            .atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
        CreateLead create = CreateLead.newBuilder()
            .setType(i % 10 == 0 ? "BRAND" : "SKU").setLeadFor("sku-" + random.nextInt(5000))
            .setIdType("EMAIL").setIdentifier("customer" + random.nextInt(leads / 3 + 1) + "@example.com")
            .setStatus(statuses[random.nextInt(statuses.length)]).setNextFollowUp(nextFollowUp)
            .setOwner("staff" + random.nextInt(50))
            .setExtendedFields(Map.of("trial_status", "Not Done", "store", "store-" + random.nextInt(300),
                "channel", "in-store", "campaign", "winter-" + random.nextInt(20)))
            .build();
        send(producer, codec, new LeadCommand("load-" + i, ORG, 1L, at, create));
        commands++;
        if (i % 5 == 0) {
          // Some leads are followed up later: they move in lastUpdatedOn order.
          long lead = 1 + random.nextInt(i);
          send(producer, codec, new LeadCommand("load-f-" + i, ORG, 1L, at.plusSeconds(1),
              new RecordFollowUp(lead, at.atOffset(ZoneOffset.UTC).toString(), null, null,
                  NOW.plus(Duration.ofDays(random.nextInt(30))).atOffset(ZoneOffset.UTC).toString(), "called", null)));
          commands++;
        }
      }
      producer.flush();
    }
    awaitResults(bootstrap, commands);
    double secondsTaken = (System.nanoTime() - started) / 1e9;
    row("load: " + commands + " commands into one org (one partition)",
        "%,.0f commands/s".formatted(commands / secondsTaken), "", "end to end, read_committed results", "");
  }

  private static void send(KafkaProducer<String, byte[]> producer, SingleObjectCodec<LeadCommand> codec,
      LeadCommand command) {
    producer.send(new ProducerRecord<>("lms.lead-commands", null, command.getIssuedAt().toEpochMilli(),
        command.getOrgId(), codec.encode(command)));
  }

  private static void awaitResults(String bootstrap, int expected) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor("lms.command-results").stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
      int seen = 0;
      int rejected = 0;
      while (seen < expected) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          if (!(results.decode(record.value()).getOutcome() instanceof io.lms.schema.Accepted)) {
            rejected++;
          }
        }
      }
      if (rejected > 0) {
        System.out.println("warning: " + rejected + " load commands were rejected");
      }
    }
  }

  // ---- HTTP measurements

  private record Wrk(double rate, double p50Ms, double p99Ms) {
    String describe() {
      return "%,.0f req/s, p50 %.2f ms, p99 %.2f ms".formatted(rate, p50Ms, p99Ms);
    }
  }

  private void searchRow(String base, String label, String path, String pgScript) throws Exception {
    Wrk http = wrk(base + path, null);
    row(label + ", " + connections + " connections", http.describe(), "", "target p99 < 5 ms", verdict(http.p99Ms < 5));
    if (postgres) {
      rows.add(new String[] {"  PostgreSQL, same data and query, " + connections + " clients", pgbench(pgScript).describe(),
          "", "", ""});
    }
  }

  /** Runs wrk twice (a warm-up, then the measured run) and reads its rate and latency percentiles. */
  private Wrk wrk(String url, String luaPath) throws Exception {
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
        "--latency", "-H", "Authorization: " + AUTH));
    if (luaPath != null) {
      Path script = work.resolve("wrk-" + Math.abs(luaPath.hashCode()) + ".lua");
      Files.writeString(script, "request = function()\n  return wrk.format(\"GET\", \"" + luaPath + "\")\nend\n");
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(url);
    List<String> warmUp = new ArrayList<>(command);
    warmUp.set(3, "-d5s");
    exec(warmUp);
    String out = exec(command);
    if (out.contains("Non-2xx")) {
      throw new IllegalStateException("wrk saw errors on " + url + ":\n" + out);
    }
    return new Wrk(number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"), millis(out, "99%"));
  }

  /** Writes at a fixed rate, each answered after its transaction committed; latency from the intended send time. */
  private void writes(String base) throws Exception {
    int rate = 200;
    int total = rate * Math.max(10, seconds);
    var pool = Executors.newFixedThreadPool(8, r -> {
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
    long start = System.nanoTime() + 100_000_000L;
    for (int i = 0; i < total; i++) {
      long intended = start + i * 1_000_000_000L / rate;
      long lead = 1 + random.nextInt(leads);
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
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    ticker.shutdown();
    pool.shutdown();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double p50 = sorted[sorted.length / 2] / 1e6;
    double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
    row("writes (POST followup) at " + rate + "/s, answered after commit",
        "p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed".formatted(p50, p99, sorted[sorted.length - 1] / 1e6, failures.get()),
        "commit.interval.ms 100", "target p99 < 250 ms", verdict(p99 < 250 && failures.get() == 0));
  }

  // ---- PostgreSQL

  private record PgResult(double tps, double p50Ms, double p99Ms) {
    String describe() {
      return "%,.0f queries/s, p50 %.2f ms, p99 %.2f ms".formatted(tps, p50Ms, p99Ms);
    }
  }

  private boolean pgLoaded;

  private PgResult pgbench(String script) throws Exception {
    return pgbench(script, connections);
  }

  private PgResult pgbench(String script, int clients) throws Exception {
    if (!pgLoaded) {
      loadPostgres();
      pgLoaded = true;
    }
    Map<String, String> queries = Map.of(
        "lookup", "\\set id random(1, " + leads + ")\nSELECT doc FROM bench_lms.leads WHERE org = 'demo' AND id = :id;\n",
        "search0", "SELECT doc FROM bench_lms.leads WHERE org = 'demo' AND status = 'OPEN' ORDER BY last_updated_on DESC, id DESC LIMIT 20;\n",
        "search10k", "SELECT doc FROM bench_lms.leads WHERE org = 'demo' AND status = 'OPEN' AND id > 10000 ORDER BY last_updated_on DESC, id DESC LIMIT 20;\n",
        "search_offset", "SELECT doc FROM bench_lms.leads WHERE org = 'demo' AND status = 'OPEN' ORDER BY last_updated_on DESC, id DESC LIMIT 20 OFFSET 10000;\n",
        "due", "SELECT doc FROM bench_lms.leads WHERE org = 'demo' AND status IN ('OPEN', 'ON_HOLD') AND next_follow_up < now() + interval '1 day' ORDER BY next_follow_up, id LIMIT 20;\n");
    Path file = work.resolve(script + ".sql");
    Files.writeString(file, queries.get(script));
    Path logs = work.resolve("pglog-" + script);
    Files.createDirectories(logs);
    exec(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", Integer.toString(clients), "-j",
        Integer.toString(Math.min(clients, 2)), "-T", "5", "-f", file.toString(), "test"));
    String out = exec(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-n", "-c", Integer.toString(clients), "-j",
        Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds), "-f", file.toString(), "-l",
        "--log-prefix", logs.resolve("log").toString(), "test"));
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

  private void loadPostgres() throws Exception {
    long started = System.nanoTime();
    psql("DROP SCHEMA IF EXISTS bench_lms CASCADE");
    psql("CREATE SCHEMA bench_lms");
    psql("""
        CREATE UNLOGGED TABLE bench_lms.leads (org text NOT NULL, id bigint NOT NULL, user_id bigint NOT NULL,
          type text NOT NULL, lead_for text NOT NULL, status text NOT NULL, owner text,
          created_on timestamptz NOT NULL, last_updated_on timestamptz NOT NULL, next_follow_up timestamptz,
          doc text NOT NULL, PRIMARY KEY (org, id))""");
    psql("""
        INSERT INTO bench_lms.leads
        SELECT 'demo', i, 1 + (random() * %d)::bigint, CASE WHEN i %% 10 = 0 THEN 'BRAND' ELSE 'SKU' END,
          'sku-' || (random() * 5000)::int,
          (ARRAY['OPEN','OPEN','OPEN','ON_HOLD','ON_HOLD','WON','LOST'])[1 + (random() * 6)::int],
          'staff' || (random() * 50)::int,
          now() - interval '1 day' + (i * interval '20 hours' / %d),
          now() - interval '1 day' + (i * interval '20 hours' / %d) + (random() * interval '1 hour'),
          now() + (random() * interval '60 days') - interval '30 days',
          repeat(md5(i::text), 26)
        FROM generate_series(1, %d) AS i""".formatted(leads / 3, leads, leads, leads));
    psql("CREATE INDEX ON bench_lms.leads (org, status, last_updated_on, id)");
    psql("CREATE INDEX ON bench_lms.leads (org, user_id)");
    psql("CREATE INDEX ON bench_lms.leads (org, next_follow_up)");
    psql("VACUUM ANALYZE bench_lms.leads");
    System.out.printf("PostgreSQL loaded with %d leads (about 830 bytes a row) in %.0f s%n", leads,
        (System.nanoTime() - started) / 1e9);
  }

  private static void psql(String sql) throws Exception {
    exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1", "-qc", sql));
  }

  // ---- plumbing

  private void row(String what, String figure, String reference, String target, String verdict) {
    rows.add(new String[] {what, figure, reference, target, verdict});
    System.out.printf("%s: %s %s%n", what, figure, reference);
  }

  private void print() {
    System.out.println();
    System.out.printf("%-78s | %-52s | %-48s | %-38s | %s%n", "measure", "LMS", "reference in the same run", "target", "");
    for (String[] row : rows) {
      System.out.printf("%-78s | %-52s | %-48s | %-38s | %s%n", (Object[]) row);
    }
    System.out.printf("load average at the end: %s%n", loadAverage());
  }

  private static String verdict(boolean pass) {
    return pass ? "PASS" : "FAIL";
  }

  private static void awaitReady(String base, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
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
    throw new IllegalStateException("the service was not ready within " + timeout);
  }

  private static long residentKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
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

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        options.put(name, args[++i]);
      } else {
        options.put(name, "true");
      }
    }
    return options;
  }

  private void deleteWork() throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
