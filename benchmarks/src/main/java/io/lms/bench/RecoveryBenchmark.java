package io.lms.bench;

import io.lms.schema.Accepted;
import io.lms.schema.CommandResult;
import io.lms.schema.LeadCommand;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * How long the embedded default is unavailable after a crash and after a clean stop, with real
 * state: {@code java -jar lms-streams.jar} as a user runs it, filled with N leads in one org
 * ({@link LeadLoad}), written to over HTTP all along; then {@code kill -9} and the same command on
 * the same directory, then SIGTERM and the same again. Measured from the moment the old process
 * is gone: when {@code /health/ready} first answers 200, and when a write is first answered 200.
 * Every write answered 200 before a fault is read back after it: a lost one fails the run.
 *
 * <p>With {@code --failover}, two instances on one cluster instead, and the one that owns the org
 * killed: how long the org is unavailable until the other takes over from its standby ({@link
 * Failover}).
 *
 * <pre>
 * java -cp "benchmarks/target/lms-benchmarks.jar:benchmarks/target/lib/*" io.lms.bench.RecoveryBenchmark \
 *     [--failover] --leads 0,200000,1000000
 * </pre>
 */
public final class RecoveryBenchmark {
  private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
      "demo:demo-password".getBytes(StandardCharsets.UTF_8));
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  /** The writes going on while the service runs, and in the fault. */
  private static final int WRITES_PER_SECOND = 50;
  private static final Pattern INDEXED = Pattern.compile("indexed (\\d+) leads in (\\d+) ms");

  private record Fault(String name, boolean kill) {}

  private record Recovery(long leads, String fault, double readySeconds, double writeSeconds, long indexed,
      long indexMillis, long corruptionLines, int writesBefore, int lost) {}

  private final Path jar;
  private final List<Recovery> results = new ArrayList<>();

  private RecoveryBenchmark(Path jar) {
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(0, 200_000, 1_000_000);
    Path jar = Path.of("streams-app/target/lms-streams.jar");
    boolean failover = false;
    Path upgradeFrom = null;
    // --failover is a flag; the others take a value.
    for (int i = 0; i < args.length; i++) {
      boolean valued = i + 1 < args.length;
      switch (args[i]) {
        case "--failover" -> failover = true;
        case "--leads" -> sizes = valued ? Stream.of(args[++i].split(",")).map(Integer::parseInt).toList() : usage();
        case "--jar" -> jar = valued ? Path.of(args[++i]) : usage();
        case "--upgrade-from" -> upgradeFrom = valued ? Path.of(args[++i]) : usage();
        default -> usage();
      }
    }
    if (failover) {
      System.out.printf("machine: %d cores, load average %s; service: two instances of java -jar %s on one broker"
          + " (in this JVM), one standby replica; against the survivor: writes at %d/s, a lookup and a search every"
          + " %d ms%n", Runtime.getRuntime().availableProcessors(), loadAverage(), jar, WRITES_PER_SECOND,
          Failover.READ_PERIOD.toMillis());
      Failover benchmark = new Failover(jar, upgradeFrom);
      for (int leads : sizes) {
        benchmark.measure(leads);
      }
      benchmark.print();
      System.exit(benchmark.anyLost() ? 1 : 0);
    }
    System.out.printf("machine: %d cores, load average %s; service: java -jar %s (embedded default), writes at %d/s"
        + " over HTTP throughout%n", Runtime.getRuntime().availableProcessors(), loadAverage(), jar, WRITES_PER_SECOND);
    RecoveryBenchmark benchmark = new RecoveryBenchmark(jar);
    for (int leads : sizes) {
      benchmark.measure(leads);
    }
    benchmark.print();
    System.exit(benchmark.results.stream().anyMatch(r -> r.lost() > 0) ? 1 : 0);
  }

  private static <T> T usage() {
    System.err.println("usage: RecoveryBenchmark [--failover [--upgrade-from old-lms-streams.jar]]"
        + " [--leads 0,200000,1000000] [--jar streams-app/target/lms-streams.jar]");
    System.exit(2);
    throw new AssertionError("exited");
  }

  private void measure(int leads) throws Exception {
    Path work = Files.createTempDirectory("lms-recovery-");
    try {
      int brokerPort = freePort();
      int httpPort = freePort();
      String base = "http://127.0.0.1:" + httpPort;
      Process app = start(work, brokerPort, httpPort, "start");
      awaitReady(base, Instant.now());
      if (leads > 0) {
        long started = System.nanoTime();
        int commands = load("127.0.0.1:" + brokerPort, leads);
        System.out.printf("%,d leads: loaded %,d commands in %.0f s%n", leads, commands, (System.nanoTime() - started) / 1e9);
      }
      for (Fault fault : List.of(new Fault("kill -9", true), new Fault("SIGTERM", false))) {
        app = fault(work, app, base, brokerPort, httpPort, leads, fault);
      }
      app.destroy();
      app.waitFor(60, TimeUnit.SECONDS);
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Process fault(Path work, Process app, String base, int brokerPort, int httpPort, int leads, Fault fault)
      throws Exception {
    Writer writer = new Writer(base);
    writer.start();
    Thread.sleep(3_000);
    if (fault.kill()) {
      app.destroyForcibly();
    } else {
      app.destroy();
    }
    app.waitFor();
    Instant gone = Instant.now();
    int writesBefore = writer.finish();
    String log = "after-" + fault.name().replaceAll("[^a-zA-Z0-9]", "") + ".log";
    Process restarted = start(work, brokerPort, httpPort, log);
    double ready = awaitReady(base, gone);
    double written = firstWrite(base, gone);
    int lost = 0;
    for (Written write : writer.accepted) {
      if (get(base + "/v2/leads/" + write.id()).statusCode() != 200) {
        lost++;
      }
    }
    String text = Files.readString(work.resolve(log));
    Indexed indexing = Indexed.in(text);
    long indexed = indexing.leads();
    long indexMillis = indexing.millis();
    long corruption = text.lines().filter(line -> line.toLowerCase().contains("corrupt")).count();
    results.add(new Recovery(leads, fault.name(), ready, written, indexed, indexMillis, corruption, writesBefore, lost));
    System.out.printf("%,d leads, %s: ready after %.1f s, first write after %.1f s, %,d leads indexed (%d ms),"
        + " %d lines about corruption, %d of %d writes lost%n", leads, fault.name(), ready, written, indexed, indexMillis,
        corruption, lost, writesBefore);
    return restarted;
  }

  private Process start(Path work, int brokerPort, int httpPort, String log) throws IOException {
    ProcessBuilder service = new ProcessBuilder("java", "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(log).toFile())
        .directory(work.toFile());
    service.environment().putAll(Map.of(
        "LMS_EMBEDDED_PORT", Integer.toString(brokerPort),
        "LMS_HTTP_PORT", Integer.toString(httpPort),
        // The writer's 50/s stay far below it; the benchmark's own loading goes through Kafka.
        "LMS_RATE_LIMIT_PER_ORG", "500"));
    return service.start();
  }

  /** Seconds from {@code since} until /health/ready answers 200. */
  static double awaitReady(String base, Instant since) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (get(base + "/health/ready").statusCode() == 200) {
          return seconds(since);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("not ready after " + READY_TIMEOUT);
  }

  /** Seconds from {@code since} until a write is answered 200. */
  private static double firstWrite(String base, Instant since) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (create(base).statusCode() == 200) {
          return seconds(since);
        }
      } catch (IOException notYet) {
        // not listening
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no write answered after " + READY_TIMEOUT);
  }

  /** The leads a service's log says it indexed again ("Task 0_3: indexed N leads in T ms"), and the time it took. */
  record Indexed(long leads, long millis) {
    static Indexed in(String log) {
      long leads = 0;
      long millis = 0;
      Matcher matcher = INDEXED.matcher(log);
      while (matcher.find()) {
        leads += Long.parseLong(matcher.group(1));
        millis += Long.parseLong(matcher.group(2));
      }
      return new Indexed(leads, millis);
    }
  }

  /** One request: when it was sent and answered ({@link System#nanoTime}), and its status; -1 when no answer came. */
  record Answer(long sentNanos, long answeredNanos, int status) {}

  /** A lead whose creation was answered 200, and when ({@link System#nanoTime}). */
  record Written(long id, long answeredNanos) {}

  /** Writes at a steady rate and keeps the id of every lead whose creation was answered 200. */
  static final class Writer extends Thread {
    private final String base;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    final ConcurrentLinkedQueue<Written> accepted = new ConcurrentLinkedQueue<>();
    /** Every attempt, for how long writes were unavailable in a failover. */
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    Writer(String base) {
      super("writer");
      this.base = base;
      setDaemon(true);
    }

    @Override
    public void run() {
      long periodNanos = TimeUnit.SECONDS.toNanos(1) / WRITES_PER_SECOND;
      long next = System.nanoTime();
      while (running.get()) {
        long sent = System.nanoTime();
        int status = -1;
        try {
          HttpResponse<String> response = create(base);
          status = response.statusCode();
          if (status == 200) {
            Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(response.body());
            if (id.find()) {
              accepted.add(new Written(Long.parseLong(id.group(1)), System.nanoTime()));
            }
            answered.incrementAndGet();
          }
        } catch (IOException | InterruptedException e) {
          // the fault: the service is gone
        }
        answers.add(new Answer(sent, System.nanoTime(), status));
        next += periodNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(sleep);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    int finish() throws InterruptedException {
      running.set(false);
      join(10_000);
      return answered.get();
    }
  }

  static HttpResponse<String> create(String base) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/leads"))
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", AUTH)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"type\":\"SKU\",\"leadFor\":\"sku-1\",\"idType\":\"EMAIL\",\"identifier\":\"recovery@example.com\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
        .header("Authorization", AUTH).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the leads' commands to the command topic and waits until all have results. */
  static int load(String bootstrap, int leads) {
    SingleObjectCodec<LeadCommand> codec = SingleObjectCodec.of(LeadCommand.class);
    int commands;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
      commands = new LeadLoad(leads, 42, Instant.now()).forEach(command -> producer.send(new ProducerRecord<>(
          "lms.lead-commands", null, command.getIssuedAt().toEpochMilli(), command.getOrgId(), codec.encode(command))));
      producer.flush();
    }
    SingleObjectCodec<CommandResult> results = SingleObjectCodec.of(CommandResult.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor("lms.command-results").stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      int seen = 0;
      while (seen < commands) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (results.decode(record.value()).getOutcome() instanceof Accepted) {
            seen++;
          } else {
            throw new IllegalStateException("a load command was rejected");
          }
        }
      }
    }
    return commands;
  }

  private void print() {
    System.out.println();
    System.out.println("| leads in one org | fault | ready after | first write answered after | target |"
        + " leads indexed again | lines about corruption | writes answered before the fault, lost |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Recovery r : results) {
      String target = r.fault().equals("kill -9") ? "< 15 s" : "< 10 s";
      double limit = r.fault().equals("kill -9") ? 15 : 10;
      System.out.printf("| %,d | %s | %.1f s | %.1f s | %s %s | %,d (%d ms) | %d | %d, %d |%n", r.leads(), r.fault(),
          r.readySeconds(), r.writeSeconds(), target, Math.max(r.readySeconds(), r.writeSeconds()) < limit ? "PASS" : "FAIL",
          r.indexed(), r.indexMillis(), r.corruptionLines(), r.writesBefore(), r.lost());
    }
  }

  static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
