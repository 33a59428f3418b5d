package io.lms.bench;

import static io.lms.bench.RecoveryBenchmark.READY_TIMEOUT;
import static io.lms.bench.RecoveryBenchmark.awaitReady;
import static io.lms.bench.RecoveryBenchmark.create;
import static io.lms.bench.RecoveryBenchmark.freePort;
import static io.lms.bench.RecoveryBenchmark.get;
import static io.lms.bench.RecoveryBenchmark.load;

import io.lms.bench.RecoveryBenchmark.Answer;
import io.lms.bench.RecoveryBenchmark.Indexed;
import io.lms.bench.RecoveryBenchmark.Writer;
import io.lms.bench.RecoveryBenchmark.Written;
import io.lms.runtime.EmbeddedKafka;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * How long one org is unavailable when the LMS instance that owns it is killed ({@code kill -9})
 * and a second instance, which holds a standby replica of its state, takes over. Per state size N:
 * a broker in this JVM, two instances of {@code java -jar lms-streams.jar} on it (one standby
 * replica, each its own directory), N leads in the org ({@link LeadLoad}); once the standby has
 * caught up, writes at 50/s, a lookup and a search every 50 ms, all sent to the survivor only (it
 * forwards reads to the owner while the owner lives); after 3 s the owner is killed. Measured from
 * the moment it is gone, for each kind of request: until the end of the last answer that was not a
 * 200 or took over a second. Every write answered 200 is read back afterwards: a lost one fails the
 * run.
 */
final class Failover {
  /** Between two lookups, and between two searches. */
  static final Duration READ_PERIOD = Duration.ofMillis(50);
  /** The default of both instances: they form one application, one consumer group. */
  private static final String APPLICATION_ID = "lms-streams";
  private static final String COMMANDS = "lms.lead-commands";
  private static final String LEADS_CHANGELOG = APPLICATION_ID + "-leads-store-changelog";
  /** Instances joining a cluster sign the reads they forward to each other: the same secret for both. */
  private static final String INSTANCE_SECRET = "recovery-benchmark-failover-secret-0123456789";
  /** An answer slower than this counts as unavailable, as a failed one does. */
  private static final Duration SLOW = Duration.ofSeconds(1);
  /** How long every kind of request must have been answered well before the takeover counts as over. */
  private static final Duration SETTLED = Duration.ofSeconds(10);
  private static final Pattern RECORDS_LAG = Pattern.compile(
      "^kafka_consumer_fetch_manager_records_lag\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
  private static final Pattern TAG = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private record Instance(String name, int httpPort, Process process, Path log) {
    String base() {
      return "http://127.0.0.1:" + httpPort;
    }

    /** Its group.instance.id before Kafka Streams adds each thread's index (LmsConfig#instanceId). */
    String instanceId() {
      return "127.0.0.1-" + httpPort;
    }
  }

  private record Result(String leads, double lookupSeconds, double searchSeconds, double writeSeconds, long indexed,
      long indexMillis, int writesBefore, int lostBefore, int writesAfter, int lostAfter) {}

  private final Path jar;
  /** The build both instances start on, the standby's restarted on {@link #jar} (a rolling upgrade); null for none. */
  private final Path upgradeFrom;
  private final List<Result> results = new ArrayList<>();

  Failover(Path jar, Path upgradeFrom) {
    this.jar = jar;
    this.upgradeFrom = upgradeFrom;
  }

  boolean anyLost() {
    return results.stream().anyMatch(r -> r.lostBefore() + r.lostAfter() > 0);
  }

  void measure(int leads) throws Exception {
    Path work = Files.createTempDirectory("lms-failover-");
    try (EmbeddedKafka broker = EmbeddedKafka.start(work.resolve("kafka"), 0);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      String bootstrap = broker.bootstrapServers();
      List<Instance> instances = new ArrayList<>();
      try {
        // One after the other: the first creates the topics, the second finds them.
        for (String name : List.of("a", "b")) {
          Instance instance = start(work, name, bootstrap, upgradeFrom != null ? upgradeFrom : jar, freePort());
          instances.add(instance);
          awaitReady(instance.base(), Instant.now());
        }
        for (Instance instance : instances) {
          awaitReady(instance.base(), Instant.now());
        }
        if (leads > 0) {
          long started = System.nanoTime();
          int commands = load(bootstrap, leads);
          System.out.printf("%,d leads: loaded %,d commands in %.0f s%n", leads, commands,
              (System.nanoTime() - started) / 1e9);
        }
        int partitions = admin.describeTopics(List.of(COMMANDS)).allTopicNames().get().get(COMMANDS).partitions().size();
        int partition = Utils.toPositive(Utils.murmur2(LeadLoad.ORG.getBytes(StandardCharsets.UTF_8))) % partitions;
        Instance owner = owner(admin, new TopicPartition(COMMANDS, partition), instances);
        Instance survivor = instances.get(0) == owner ? instances.get(1) : instances.get(0);
        System.out.printf("org %s: partition %d of %s, owned by %s (%s), standby on %s (%s)%n", LeadLoad.ORG, partition,
            COMMANDS, owner.name(), owner.instanceId(), survivor.name(), survivor.instanceId());
        if (upgradeFrom != null) {
          awaitStandbyCaughtUp(survivor, partition);
          // A rolling upgrade: the standby's instance stops and starts again on its state, on the build measured.
          survivor.process().destroy();
          survivor.process().waitFor(60, TimeUnit.SECONDS);
          Instance upgraded = start(work, survivor.name(), bootstrap, jar, survivor.httpPort());
          instances.set(instances.indexOf(survivor), upgraded);
          survivor = upgraded;
          awaitReady(survivor.base(), Instant.now());
          if (owner(admin, new TopicPartition(COMMANDS, partition), instances) != owner) {
            throw new IllegalStateException("the org's task moved to the upgraded instance: run again");
          }
          System.out.printf("standby %s restarted on %s%n", survivor.name(), jar);
        }
        awaitStandbyCaughtUp(survivor, partition);
        results.add(failover(leads, owner, survivor));
      } finally {
        for (Instance instance : instances) {
          instance.process().destroy();
          if (!instance.process().waitFor(60, TimeUnit.SECONDS)) {
            instance.process().destroyForcibly().waitFor();
          }
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Result failover(int leads, Instance owner, Instance survivor) throws Exception {
    String base = survivor.base();
    long lead = createLead(base);
    Writer writer = new Writer(base);
    Prober lookups = new Prober("lookups", () -> get(base + "/v2/leads/" + lead).statusCode());
    Prober searches = new Prober("searches", () -> get(base + "/v2/leads?status=OPEN&limit=20").statusCode());
    List<Thread> load = List.of(writer, lookups, searches);
    load.forEach(Thread::start);
    Thread.sleep(3_000);
    long logBefore = Files.size(survivor.log());
    owner.process().destroyForcibly();
    owner.process().waitFor();
    long gone = System.nanoTime();
    awaitSettled(gone, writer.answers, lookups.answers, searches.answers);
    writer.finish();
    lookups.finish();
    searches.finish();

    int writesBefore = 0;
    int lostBefore = 0;
    int writesAfter = 0;
    int lostAfter = 0;
    for (Written write : writer.accepted) {
      boolean lost = get(base + "/v2/leads/" + write.id()).statusCode() != 200;
      if (write.answeredNanos() < gone) {
        writesBefore++;
        lostBefore += lost ? 1 : 0;
      } else {
        writesAfter++;
        lostAfter += lost ? 1 : 0;
      }
    }
    // Only what the survivor logged after the kill: its indexing on taking the task over.
    Indexed indexing = Indexed.in(readFrom(survivor.log(), logBefore));
    long indexed = indexing.leads();
    long indexMillis = indexing.millis();
    String label = String.format("%,d", leads) + (upgradeFrom != null ? ", standby upgraded from " + upgradeFrom : "");
    Result result = new Result(label, unavailable(lookups.answers, gone), unavailable(searches.answers, gone),
        unavailable(writer.answers, gone), indexed, indexMillis, writesBefore, lostBefore, writesAfter, lostAfter);
    System.out.printf("%,d leads, kill -9 of the owner: lookups unavailable for %.1f s, searches %.1f s, writes %.1f s;"
        + " %,d leads indexed on takeover (%d ms); %d of %d writes answered before the kill lost, %d of %d after%n",
        leads, result.lookupSeconds(), result.searchSeconds(), result.writeSeconds(), indexed, indexMillis, lostBefore,
        writesBefore, lostAfter, writesAfter);
    return result;
  }

  private static Instance start(Path work, String name, String bootstrap, Path jar, int httpPort) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Path log = work.resolve(name + ".log");
    ProcessBuilder service = new ProcessBuilder("java", "-jar", jar.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        // Its state in ./data under its own directory.
        .directory(dir.toFile());
    service.environment().putAll(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
        "LMS_HTTP_PORT", Integer.toString(httpPort),
        // Its group.instance.id and the address the other forwards reads to (the bind host's default).
        "LMS_HTTP_ADVERTISED_HOST", "127.0.0.1",
        "LMS_NUM_STANDBY_REPLICAS", "1",
        "LMS_INSTANCE_SECRET", INSTANCE_SECRET,
        // The writer's 50/s and the reads stay far below it; the benchmark's own loading goes through Kafka.
        "LMS_RATE_LIMIT_PER_ORG", "500"));
    return new Instance(name, httpPort, service.start(), log);
  }

  /**
   * The instance whose stream thread is assigned {@code partition}: each member of the group is a
   * stream thread, its group.instance.id the instance's followed by the thread's index.
   */
  private static Instance owner(Admin admin, TopicPartition partition, List<Instance> instances) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    String members = "";
    while (Instant.now().isBefore(deadline)) {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID))
          .describedGroups().get(APPLICATION_ID).get(10, TimeUnit.SECONDS);
      members = group.members().stream()
          .map(m -> m.groupInstanceId().orElse(m.consumerId()) + " " + m.assignment().topicPartitions().stream()
              .filter(tp -> tp.topic().equals(COMMANDS)).map(TopicPartition::partition).sorted().toList())
          .collect(Collectors.joining(", "));
      List<MemberDescription> owners = group.members().stream()
          .filter(m -> m.assignment().topicPartitions().contains(partition)).toList();
      // In a rebalance the assignment may be on its way: only a stable group tells.
      if (group.groupState() == GroupState.STABLE && owners.size() == 1) {
        String id = owners.get(0).groupInstanceId().orElse("");
        for (Instance instance : instances) {
          if (id.startsWith(instance.instanceId() + "-")) {
            System.out.printf("group %s: %s%n", APPLICATION_ID, members);
            return instance;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("cannot tell which instance owns " + partition + "; members of " + APPLICATION_ID
        + " (group.instance.id and " + COMMANDS + " partitions): " + members);
  }

  /**
   * Waits until the survivor's standby of the org's task has read the changelogs to their end, so
   * that the takeover measured is a standby's and not a restore. Told by its restore consumer's
   * records-lag (the last committed offset minus its position) for that partition of every
   * changelog, on the Prometheus endpoint: 0 on two scrapes a second apart, the leads store's among them.
   * Micrometer binds a new Kafka metric only when it next refreshes its list, so on a fresh instance
   * these lines appear about a minute late (50 s with no leads): time spent waiting, not measured.
   */
  private static void awaitStandbyCaughtUp(Instance survivor, int partition) throws Exception {
    Instant since = Instant.now();
    Instant deadline = since.plus(READY_TIMEOUT);
    int caughtUp = 0;
    Map<String, Double> lags = Map.of();
    while (Instant.now().isBefore(deadline)) {
      lags = standbyLags(get(survivor.base() + "/metrics").body(), partition);
      boolean zero = lags.containsKey(LEADS_CHANGELOG) && lags.values().stream().allMatch(lag -> lag == 0);
      caughtUp = zero ? caughtUp + 1 : 0;
      if (caughtUp == 2) {
        System.out.printf("standby on %s caught up in %.1f s: records-lag 0 on partition %d of %s%n", survivor.name(),
            RecoveryBenchmark.seconds(since), partition, String.join(", ", lags.keySet()));
        return;
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("the standby on " + survivor.instanceId() + " did not catch up in " + READY_TIMEOUT
        + "; its restore consumer's records-lag on partition " + partition + ": " + lags);
  }

  /** The restore consumers' records-lag on {@code partition} of each changelog, by topic. */
  private static Map<String, Double> standbyLags(String metrics, int partition) {
    Map<String, Double> lags = new TreeMap<>();
    Matcher line = RECORDS_LAG.matcher(metrics);
    while (line.find()) {
      Map<String, String> tags = new HashMap<>();
      Matcher tag = TAG.matcher(line.group(1));
      while (tag.find()) {
        tags.put(tag.group(1), tag.group(2));
      }
      if (tags.getOrDefault("client_id", "").endsWith("restore-consumer")
          && tags.getOrDefault("topic", "").endsWith("-changelog")
          && tags.getOrDefault("partition", "").equals(Integer.toString(partition))) {
        // NaN until the first fetch: never 0.
        lags.merge(tags.get("topic"), Double.parseDouble(line.group(2)), Math::max);
      }
    }
    return lags;
  }

  /** The id of a lead created through {@code base}: the one the lookups read. */
  private static long createLead(String base) throws Exception {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      var response = create(base);
      Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(response.body());
      if (response.statusCode() == 200 && id.find()) {
        return Long.parseLong(id.group(1));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no lead created through " + base + " in " + READY_TIMEOUT);
  }

  /**
   * Waits until every kind of request has been answered well for {@link #SETTLED}: no bad answer in
   * that time, and the last one good and recent (a request hanging now is not yet an answer).
   */
  @SafeVarargs
  private static void awaitSettled(long gone, Collection<Answer>... kinds) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      boolean settled = true;
      for (Collection<Answer> answers : kinds) {
        Answer last = null;
        long lastBad = gone;
        for (Answer answer : answers) {
          if (last == null || answer.answeredNanos() > last.answeredNanos()) {
            last = answer;
          }
          if (!good(answer)) {
            lastBad = Math.max(lastBad, answer.answeredNanos());
          }
        }
        settled &= last != null && good(last) && now - last.answeredNanos() < SLOW.toNanos()
            && now - lastBad >= SETTLED.toNanos();
      }
      if (settled) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the survivor did not answer every kind of request well for " + SETTLED
        + " within " + READY_TIMEOUT + " of the kill");
  }

  private static boolean good(Answer answer) {
    return answer.status() == 200 && answer.answeredNanos() - answer.sentNanos() <= SLOW.toNanos();
  }

  /** Seconds from {@code gone} to the end of the last bad answer after it; 0 when there was none. */
  private static double unavailable(Collection<Answer> answers, long gone) {
    long lastBad = gone;
    for (Answer answer : answers) {
      if (answer.answeredNanos() > gone && !good(answer)) {
        lastBad = Math.max(lastBad, answer.answeredNanos());
      }
    }
    return (lastBad - gone) / 1e9;
  }

  private static String readFrom(Path file, long offset) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.max(0, in.length() - offset)];
      in.seek(offset);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Sends one request every {@link #READ_PERIOD} and keeps every answer. */
  private static final class Prober extends Thread {
    private final Callable<Integer> request;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    Prober(String name, Callable<Integer> request) {
      super(name);
      this.request = request;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running.get()) {
        long sent = System.nanoTime();
        int status = -1;
        try {
          status = request.call();
        } catch (Exception e) {
          // no answer: the owner is gone and the survivor could not tell
        }
        answers.add(new Answer(sent, System.nanoTime(), status));
        try {
          Thread.sleep(READ_PERIOD.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void finish() throws InterruptedException {
      running.set(false);
      join(20_000);
    }
  }

  void print() {
    System.out.println();
    System.out.println("| leads in one org | lookups unavailable | searches unavailable | writes unavailable |"
        + " target (reads < 5 s, writes < 10 s) | leads indexed on takeover | writes lost |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Result r : results) {
      boolean pass = Math.max(r.lookupSeconds(), r.searchSeconds()) < 5 && r.writeSeconds() < 10;
      System.out.printf("| %s | %.1f s | %.1f s | %.1f s | %s | %,d (%d ms) | %d of %d before the kill, %d of %d after |%n",
          r.leads(), r.lookupSeconds(), r.searchSeconds(), r.writeSeconds(), pass ? "PASS" : "FAIL", r.indexed(),
          r.indexMillis(), r.lostBefore(), r.writesBefore(), r.lostAfter(), r.writesAfter());
    }
  }
}
