package io.lms.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Injects one fault at a time, at random intervals, cycling through every kind so that a short run
 * still sees each of them. Each fault ends with the system whole again (the killed process started
 * again, the frozen one resumed), but nothing waits for it to recover before the next fault.
 */
final class FaultInjector {
  private static final Duration FAILOVER = Duration.ofSeconds(10);
  enum Fault {
    /** SIGKILL of an instance mid-transaction, then a restart on the same state directory. */
    INSTANCE_KILLED(FAILOVER),
    /**
     * SIGKILL of the broker (a combined broker and controller, as the embedded default and
     * docker-compose.yml run), then a restart on the same log directory.
     */
    BROKER_KILLED(Duration.ofSeconds(15)),
    /** SIGSTOP of an instance past the session timeout, then SIGCONT: a zombie that must be fenced. */
    INSTANCE_FROZEN(FAILOVER),
    /** SIGKILL of an instance, its state directory deleted, a restart that restores everything. */
    INSTANCE_STATE_LOST(FAILOVER),
    /** A new instance joins, then the oldest leaves with SIGTERM. */
    INSTANCE_REPLACED(FAILOVER);

    /**
     * How long after the fault's end (the process started again, resumed or gone) requests may
     * still fail: RELIABILITY.md's targets, writes answered again within 10 s of a failover and the
     * embedded broker ready within 15 s of its restart.
     */
    final Duration allowance;

    Fault(Duration allowance) {
      this.allowance = allowance;
    }
  }

  /** A fault: when it began and ended, relative to the run's start and in {@link System#nanoTime()}. */
  record Injected(Duration at, Fault fault, String target, long startNanos, long endNanos) {
    /** From the fault's start to the end of its allowance: requests sent then may fail. */
    Liveness.Window window() {
      return new Liveness.Window(startNanos, endNanos + fault.allowance.toNanos());
    }
  }

  private final ChaosCluster cluster;
  private final Random random;
  private final Duration minInterval;
  private final Duration maxInterval;
  private final List<Injected> injected = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  FaultInjector(ChaosCluster cluster, Random random, Duration minInterval, Duration maxInterval) {
    this.cluster = cluster;
    this.random = random;
    this.minInterval = minInterval;
    this.maxInterval = maxInterval;
  }

  /**
   * Injects faults until {@code runFor} has passed and every kind was injected at least once, so
   * a short run may go on a little longer than asked. The run ends with one more gap without a
   * fault, as it began.
   */
  void run(Duration runFor) throws InterruptedException, IOException {
    long end = System.nanoTime() + runFor.toNanos();
    Fault[] kinds = Fault.values();
    for (int next = 0; next < kinds.length || System.nanoTime() < end; next++) {
      long gap = gap();
      if (next >= kinds.length && System.nanoTime() + Duration.ofMillis(gap).toNanos() > end) {
        break;
      }
      Thread.sleep(gap);
      inject(kinds[next % kinds.length]);
    }
    Thread.sleep(gap());
  }

  private long gap() {
    return minInterval.toMillis() + random.nextLong(maxInterval.toMillis() - minInterval.toMillis() + 1);
  }

  /** The clock of {@link Injected#at}: when this injector was made ({@link System#nanoTime()}). */
  long startNanos() {
    return startNanos;
  }

  /** The time each fault injected so far may cost. */
  List<Liveness.Window> windows() {
    return injected.stream().map(Injected::window).toList();
  }

  List<Injected> injected() {
    return List.copyOf(injected);
  }

  Map<Fault, Long> countsByKind() {
    return injected.stream().collect(Collectors.groupingBy(Injected::fault, TreeMap::new, Collectors.counting()));
  }

  private void inject(Fault fault) throws InterruptedException, IOException {
    long faultStart = System.nanoTime();
    Duration at = Duration.ofNanos(faultStart - startNanos);
    String target;
    switch (fault) {
      case INSTANCE_KILLED -> {
        LmsProcess instance = anyInstance();
        target = instance.toString();
        instance.kill();
        Thread.sleep(500 + random.nextInt(2_000));
        instance.start();
      }
      case BROKER_KILLED -> {
        target = "broker";
        cluster.broker().process().kill();
        // Back at once, as an operator or a supervisor restarts it, within the registration the
        // dead incarnation left: the case that can leave a hanging transaction (see BrokerProcess).
        Thread.sleep(500 + random.nextInt(2_000));
        cluster.broker().startAndAwait(Duration.ofSeconds(90));
      }
      case INSTANCE_FROZEN -> {
        LmsProcess instance = anyInstance();
        target = instance.toString();
        instance.pause();
        Thread.sleep(ChaosCluster.SESSION_TIMEOUT.toMillis() + 3_000);
        instance.resume();
      }
      case INSTANCE_STATE_LOST -> {
        LmsProcess instance = anyInstance();
        target = instance.toString();
        instance.kill();
        instance.deleteState();
        instance.start();
      }
      case INSTANCE_REPLACED -> {
        LmsProcess oldest = cluster.instances().get(0);
        LmsProcess added = cluster.addInstance();
        target = "+" + added + " -" + oldest;
        // Give the new instance the time to join before the old one leaves (bounded: it may not).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!added.isReady() && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
        cluster.removeInstance(oldest);
      }
      default -> throw new IllegalStateException(fault.toString());
    }
    injected.add(new Injected(at, fault, target, faultStart, System.nanoTime()));
    System.out.printf("chaos: %5.1f s %s %s%n", at.toMillis() / 1000.0, fault, target);
  }

  private LmsProcess anyInstance() {
    List<LmsProcess> instances = cluster.instances();
    return instances.get(random.nextInt(instances.size()));
  }
}
