package io.lms.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.lms.chaos.SteadyLoad.Attempt;
import io.lms.chaos.SteadyLoad.Created;
import io.lms.chaos.SteadyLoad.Kind;
import io.lms.schema.LeadCreated;
import io.lms.schema.LeadEvent;
import io.lms.schema.codec.SingleObjectCodec;
import io.lms.topology.LmsTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment of {@code docker-compose.yml} without Docker: three Kafka nodes as processes
 * ({@link KafkaNodes}: broker and controller each, replication 3, {@code min.insync.replicas} 2)
 * and two LMS instances with a standby of every task, under HTTP writes and reads. Two faults, one
 * after the other:
 *
 * <ol>
 *   <li>a Kafka node killed with SIGKILL, then started again: reads go on, writes wait out the
 *       node's fencing, nothing is lost or applied twice;
 *   <li>an LMS instance killed with SIGKILL: the other evicts it ({@code PeerWatch}) and takes its
 *       orgs over from the standbys. How long the orgs it owned could not be read and written is
 *       printed beside the targets (reads under 5 s, writes under 10 s); the test fails when it
 *       comes near the 45 s that waiting for the dead instance's session would cost.
 * </ol>
 *
 * <p>Then the killed instance starts again and takes its tasks back; what that costs is printed.
 * The survivor takes the tasks over without indexing their leads again: its standbys' indexes
 * follow their leads.
 * {@code -Dlms.cluster.peer-gone-after=PT0S} runs the same without the eviction.
 */
class ClusterIT {
  private static final List<ChaosOrg> ORGS = ChaosOrg.onEveryPartition(ChaosCluster.PARTITIONS, 1);
  private static final LmsTopics TOPICS = LmsTopics.withPrefix(ChaosCluster.TOPIC_PREFIX);
  static final Duration READ_TARGET = Duration.ofSeconds(5);
  static final Duration WRITE_TARGET = Duration.ofSeconds(10);
  /** Far above the targets (a loaded CI machine), far below the 45 s session timeout. */
  private static final double FAILOVER_CEILING_SECONDS = 20;

  private Path dir;
  private KafkaNodes kafka;
  private final List<LmsProcess> instances = new ArrayList<>();
  private boolean passed;
  private final List<String> failures = new ArrayList<>();

  @Test
  void aKafkaNodeAndThenAnInstanceKilledUnderLoad() throws Exception {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    dir = Files.createTempDirectory("lms-cluster");
    kafka = KafkaNodes.prepare(dir, target.resolve("lib"));
    // Maven may end the test JVM (Ctrl-C, a fork timeout) without running @AfterEach.
    Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "cluster-kill"));
    kafka.startAndAwait(Duration.ofSeconds(120));
    Path credentials = dir.resolve("credentials.properties");
    Files.write(credentials, ORGS.stream().map(ChaosOrg::credentialsLine).toList(), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>(ChaosCluster.instanceEnvironment(kafka.bootstrapServers(), credentials, 3));
    env.put("LMS_APPLICATION_ID", "lms-cluster");
    // As docker-compose.yml: a write outlasts the stall of a Kafka node's death (its 9 s session).
    env.put("LMS_WRITE_TIMEOUT", "PT15S");
    // PT0S shows what a crash costs without PeerWatch: a wait for the dead instance's session.
    String goneAfter = System.getProperty("lms.cluster.peer-gone-after");
    if (goneAfter != null) {
      env.put("LMS_PEER_GONE_AFTER", goneAfter);
    }
    System.out.println("cluster: instances evict a dead peer after "
        + (goneAfter != null ? goneAfter : "the default (LMS_PEER_GONE_AFTER unset)"));
    for (int i = 1; i <= 2; i++) {
      LmsProcess instance = new LmsProcess(i, target.resolve("lms-streams.jar"), dir, env);
      instance.start();
      instances.add(instance);
    }
    ChaosCluster.await("both instances ready", Duration.ofSeconds(180),
        () -> instances.stream().allMatch(LmsProcess::isReady));
    LmsProcess survivor = instances.get(0);
    LmsProcess victim = instances.get(1);
    Set<LmsProcess> down = ConcurrentHashMap.newKeySet();

    long nodeKilled;
    long nodeBack;
    long instanceKilled;
    long victimStarted;
    long instanceBack;
    List<Attempt> attempts;
    SteadyLoad load = new SteadyLoad(ORGS, () -> instances.stream().filter(i -> !down.contains(i)).toList());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      load.start(20, 40);
      // Long enough for the instances' JVMs to load and compile the request paths: cold, on two
      // cores shared with five JVMs, some reads took over 5 s, whatever the fault.
      TimeUnit.SECONDS.sleep(30);

      JavaProcess node = kafka.node(2);
      nodeKilled = System.nanoTime();
      node.kill();
      TimeUnit.SECONDS.sleep(20);
      node.start();
      ChaosCluster.await("every partition with three replicas in sync again", Duration.ofSeconds(120),
          () -> fullyReplicated(admin));
      nodeBack = System.nanoTime();
      TimeUnit.SECONDS.sleep(10);

      List<Attempt> duringNodeLoss = within(load.attempts(), nodeKilled, System.nanoTime());
      System.out.printf("cluster: Kafka node 2 killed for 20 s, all replicas in sync %.1f s after the kill; %s%n",
          (nodeBack - nodeKilled) / 1e9, describe(duringNodeLoss, nodeKilled));

      down.add(victim);
      instanceKilled = System.nanoTime();
      victim.kill();
      System.out.println("cluster: " + java.time.Instant.now() + " LMS instance 2 killed");
      try {
        ChaosCluster.await("the survivor serving every org", Duration.ofSeconds(120),
            () -> servesEveryOrgSince(load.attempts(), survivor,
                Math.max(instanceKilled, System.nanoTime() - TimeUnit.SECONDS.toNanos(3))));
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
      TimeUnit.SECONDS.sleep(5);
      victimStarted = System.nanoTime();
      System.out.println("cluster: " + java.time.Instant.now() + " LMS instance 2 starting again");
      victim.start();
      ChaosCluster.await("the killed instance ready again", Duration.ofSeconds(180), victim::isReady);
      down.remove(victim);
      instanceBack = System.nanoTime();
      TimeUnit.SECONDS.sleep(10);
    } finally {
      load.close();
    }
    attempts = load.attempts();

    // 1. The Kafka node: reads never fail; a write may wait out the node's fencing and, past the
    // write timeout, answer 503, and is then applied once when sent again with its key (below).
    List<Attempt> readsDuringNodeLoss = within(attempts, nodeKilled, instanceKilled).stream()
        .filter(a -> a.kind() == Kind.READ).toList();
    long failedReadsDuringNodeLoss = readsDuringNodeLoss.stream().filter(a -> !a.succeeded()).count();

    // 2. The instance: how long its orgs answered nothing but errors or slow answers.
    Map<String, Double> readGaps = unavailable(attempts, Kind.READ, instanceKilled, victimStarted);
    Map<String, Double> writeGaps = unavailable(attempts, Kind.WRITE, instanceKilled, victimStarted);
    double worstRead = readGaps.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double worstWrite = writeGaps.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    System.out.printf("cluster: LMS instance 2 killed; unavailable per org, reads %s (worst %.1f s, target < %d s),"
            + " writes %s (worst %.1f s, target < %d s); %s%n", readGaps, worstRead, READ_TARGET.toSeconds(),
        writeGaps, worstWrite, WRITE_TARGET.toSeconds(), describe(within(attempts, instanceKilled, victimStarted),
            instanceKilled));
    System.out.printf("cluster: LMS instance 2 started again, ready after %.1f s; %s%n",
        (instanceBack - victimStarted) / 1e9, describe(within(attempts, victimStarted, Long.MAX_VALUE), victimStarted));

    System.out.println("cluster: failed answers, a few of each kind: " + load.failureSamples());

    assertThat(failures).as("the survivor served every org again").isEmpty();
    // The targets are printed above; what fails the test is a wait of the order of the session
    // timeout (45 s), which is what a crash costs when the dead instance is not evicted.
    assertThat(worstRead).as("seconds the dead instance's orgs could not be read").isLessThan(FAILOVER_CEILING_SECONDS);
    assertThat(worstWrite).as("seconds the dead instance's orgs could not be written").isLessThan(FAILOVER_CEILING_SECONDS);
    // Nothing lost, nothing twice: every creation answered, read back, once in the outputs.
    assertThat(load.unanswered()).as("writes never answered").isEmpty();
    assertThat(load.wrongReads()).as("reads of answered leads that said 404 or another lead").isEmpty();
    // Reads come from the instances' own stores, yet a node's loss costs some: a stream thread
    // whose producer the coordinator's move fenced closes and reopens its tasks (503 meanwhile),
    // and reads slow down on two cores shared with five JVMs. 0 to 7 % failed in the runs recorded
    // in RELIABILITY.md: counted and printed. The floor is liveness: most reads go on.
    assertThat(readsDuringNodeLoss).as("reads while a Kafka node was down").hasSizeGreaterThan(100);
    assertThat(failedReadsDuringNodeLoss).as("reads that failed while a Kafka node was down")
        .isLessThanOrEqualTo(readsDuringNodeLoss.size() / 5);
    Map<String, List<Created>> created = load.created();
    Map<String, Long> createdEvents = leadCreatedEventsPerOrg();
    Map<String, Set<Long>> leadsTopic = leadIdsOnTheLeadsTopic();
    for (ChaosOrg org : ORGS) {
      List<Long> ids = created.get(org.id()).stream().map(Created::id).sorted().toList();
      assertThat(ids).as("lead ids of %s: each answered once, dense from 1", org.id())
          .isEqualTo(LongStream.rangeClosed(1, ids.size()).boxed().toList());
      assertThat(createdEvents.getOrDefault(org.id(), 0L)).as("LeadCreated events of %s", org.id())
          .isEqualTo(ids.size());
      assertThat(leadsTopic.getOrDefault(org.id(), Set.of())).as("leads of %s on %s", org.id(), TOPICS.leads().name())
          .isEqualTo(new HashSet<>(ids));
    }
    // Standbys keep their indexes with their leads (IndexedLeads): the survivor takes the dead
    // instance's tasks over without indexing their leads again, which at a million leads held a
    // task's commands for 13 s or more. (The killed instance may: a kill between its stores'
    // local commits leaves indexes it cannot trust, and it builds them again.)
    assertThat(reindexed(survivor)).as("tasks the survivor indexed again, by its log").isEmpty();
    passed = true;
  }

  private static List<String> reindexed(LmsProcess instance) throws IOException {
    try (Stream<String> log = Files.lines(instance.log())) {
      // "Task 0_3: indexed N leads in T ms", by the stream thread or by a restore.
      return log.filter(line -> line.contains(": indexed ") && line.contains(" leads in ")).toList();
    }
  }

  private boolean fullyReplicated(Admin admin) {
    try {
      Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
      return topics.values().stream().flatMap(t -> t.partitions().stream()).allMatch(p -> p.isr().size() == 3);
    } catch (Exception e) {
      return false;
    }
  }

  /** Every org answered at least one read and one write on {@code instance} since {@code since}. */
  private static boolean servesEveryOrgSince(List<Attempt> attempts, LmsProcess instance, long since) {
    Set<String> read = new HashSet<>();
    Set<String> written = new HashSet<>();
    for (Attempt a : attempts) {
      if (a.startNanos() >= since && a.succeeded() && a.instance().equals(instance.toString())) {
        (a.kind() == Kind.READ ? read : written).add(a.org());
      }
    }
    return read.size() == ORGS.size() && written.size() == ORGS.size();
  }

  private static List<Attempt> within(List<Attempt> attempts, long from, long to) {
    return attempts.stream().filter(a -> a.startNanos() >= from && a.startNanos() < to).toList();
  }

  /**
   * Per org, the seconds from {@code fault} until the end of the last request of {@code kind}
   * started before {@code until} that failed or took more than a second: how long a client of that
   * org waited or got errors.
   */
  static Map<String, Double> unavailable(List<Attempt> attempts, Kind kind, long fault, long until) {
    Map<String, Double> gaps = new java.util.TreeMap<>();
    ORGS.forEach(org -> gaps.put(org.id(), 0.0));
    for (Attempt a : attempts) {
      boolean bad = !a.succeeded() || a.endNanos() - a.startNanos() > TimeUnit.SECONDS.toNanos(1);
      if (a.kind() == kind && a.startNanos() >= fault && a.startNanos() < until && bad) {
        gaps.merge(a.org(), Math.round((a.endNanos() - fault) / 1e8) / 10.0, Math::max);
      }
    }
    return gaps;
  }

  private static String describe(List<Attempt> attempts, long origin) {
    var out = new StringBuilder();
    for (Kind kind : Kind.values()) {
      List<Attempt> ofKind = attempts.stream().filter(a -> a.kind() == kind).toList();
      Map<Integer, Long> byStatus = ofKind.stream()
          .collect(Collectors.groupingBy(Attempt::status, java.util.TreeMap::new, Collectors.counting()));
      double slowest = ofKind.stream().mapToLong(a -> a.endNanos() - a.startNanos()).max().orElse(0) / 1e9;
      long overASecond = ofKind.stream().filter(a -> a.endNanos() - a.startNanos() > 1_000_000_000L).count();
      String firstFailure = ofKind.stream().filter(a -> !a.succeeded()).min(Comparator.comparingLong(Attempt::startNanos))
          .map(a -> String.format(", first failure at +%.1f s", (a.startNanos() - origin) / 1e9)).orElse("");
      out.append(String.format("%s%s: %,d requests by status %s, %,d over 1 s, slowest %.2f s%s",
          out.isEmpty() ? "" : "; ", kind.name().toLowerCase(java.util.Locale.ROOT), ofKind.size(), byStatus,
          overASecond, slowest, firstFailure));
    }
    return out.toString();
  }

  private Map<String, Long> leadCreatedEventsPerOrg() {
    SingleObjectCodec<LeadEvent> codec = SingleObjectCodec.of(LeadEvent.class);
    Map<String, Long> counts = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : TopicSnapshot.read(kafka.bootstrapServers(), TOPICS.events().name(), true).all()) {
      LeadEvent event = codec.decode(record.value());
      assertThat(eventIds.add(event.getEventId())).as("event %s once", event.getEventId()).isTrue();
      if (event.getPayload() instanceof LeadCreated) {
        counts.merge(event.getOrgId(), 1L, Long::sum);
      }
    }
    return counts;
  }

  private Map<String, Set<Long>> leadIdsOnTheLeadsTopic() {
    Map<String, Set<Long>> ids = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : TopicSnapshot.read(kafka.bootstrapServers(), TOPICS.leads().name(), true).all()) {
      int colon = record.key().lastIndexOf(':');
      ids.computeIfAbsent(record.key().substring(0, colon), org -> new HashSet<>())
          .add(Long.parseLong(record.key().substring(colon + 1)));
    }
    return ids;
  }

  /** Kills every process the test started; never throws. */
  private void killAll() {
    Killable.killEach(instances);
    if (kafka != null) {
      kafka.close();
    }
  }

  @AfterEach
  void tearDown() throws IOException {
    killAll();
    if (dir == null) {
      return;
    }
    if (passed && !Boolean.getBoolean("lms.cluster.keep")) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } else {
      Path logs = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-logs");
      Files.createDirectories(logs);
      List<Path> all = new ArrayList<>(kafka.logs());
      instances.forEach(i -> all.add(i.log()));
      for (Path log : all) {
        if (Files.exists(log)) {
          Files.copy(log, logs.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.out.println("cluster: logs in " + logs + ", data in " + dir);
    }
  }
}
