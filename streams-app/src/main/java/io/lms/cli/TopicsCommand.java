package io.lms.cli;

import io.lms.runtime.InvalidSettingException;
import io.lms.runtime.KafkaAuthenticationFailure;
import io.lms.runtime.KafkaClientSettings;
import io.lms.runtime.TopicProvisioner;
import io.lms.runtime.TopicProvisioner.TopicStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lms topics}: the LMS topics, created where missing. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Creates the LMS topics that are missing and reports those that exist.",
      "",
      "Streams (commands, events, results, dead letters) get cleanup.policy=delete, tables (leads,"
          + " reasons, substatuses) are compacted, and min.insync.replicas is 2 when the replication"
          + " factor is 3 or more. Safe to run again: an existing topic is never changed (more"
          + " partitions would move orgs between partitions), only reported when it differs. Waits"
          + " for enough brokers to hold the replicas. Kafka Streams creates its own changelog topics"
          + " when the service starts."
    })
final class TopicsCommand implements Callable<Integer> {
  @ParentCommand LmsCli parent;
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ClusterOptions cluster;

  @Option(names = "--partitions", paramLabel = "<n>",
      description = "Partitions of new topics (default: $LMS_PARTITIONS, else 6)")
  Integer partitions;

  @Option(names = "--replication-factor", paramLabel = "<n>",
      description = "Replicas of new topics (default: $LMS_REPLICATION_FACTOR, else 1)")
  Short replicationFactor;

  @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "PT2M",
      description = "How long to wait for the brokers and the topics' leaders (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    LmsCli.quietLogs();
    ClusterOptions.Cluster target = cluster.resolve(parent);
    int wantedPartitions = partitions != null ? partitions : target.settings().partitions();
    short wantedReplicas = replicationFactor != null ? replicationFactor : target.settings().replicationFactor();
    if (wantedPartitions < 1 || wantedReplicas < 1) {
      throw new InvalidSettingException("--partitions and --replication-factor must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long deadline = System.nanoTime() + timeout.toNanos();

    List<TopicStatus> statuses;
    try (Admin admin = target.admin()) {
      awaitBrokers(admin, wantedReplicas, deadline, target.bootstrapServers(), err);
      Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(10).toNanos()));
      statuses = new TopicProvisioner(admin, wantedPartitions, wantedReplicas, left).ensure(target.topics());
    } catch (IllegalStateException e) {
      throw new ToolFailure(e.getMessage());
    }
    int width = statuses.stream().mapToInt(s -> s.name().length()).max().orElse(0);
    for (TopicStatus status : statuses) {
      String state = status.created() ? "created" : status.differences().isEmpty() ? "exists" : "differs";
      out.printf(Locale.ROOT, "%-8s %-" + width + "s  %3d partitions  replication %d  cleanup.policy=%s%s%n",
          state, status.name(), status.partitions(), status.replicationFactor(), status.cleanupPolicy(),
          status.differences().isEmpty() ? "" : "   " + String.join("; ", status.differences()) + " (left as it is)");
    }
    return 0;
  }

  /** A topic with more replicas than live brokers cannot be created: wait for them to join. */
  private static void awaitBrokers(Admin admin, int needed, long deadline, String bootstrap, PrintWriter err)
      throws InterruptedException {
    boolean told = false;
    while (true) {
      int live = 0;
      try {
        long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        live = admin.describeCluster().nodes().get(Math.min(waitMs, ClusterOptions.API_TIMEOUT_MS),
            TimeUnit.MILLISECONDS).size();
        if (live >= needed) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        // Not reachable yet: brokers starting beside this tool, say in a compose project. Refused
        // credentials stay refused: waiting out the timeout would only hide why.
        KafkaAuthenticationFailure.throwIfIn(e);
      }
      if (System.nanoTime() > deadline) {
        throw new ToolFailure(live == 0
            ? "Kafka at " + bootstrap + " did not answer: " + KafkaClientSettings.WHEN_KAFKA_DOES_NOT_ANSWER
            : "Only " + live + " of the " + needed + " brokers the replication factor needs are up");
      }
      if (!told) {
        err.printf("lms topics: waiting for %d broker(s) at %s%n", needed, bootstrap);
        err.flush();
        told = true;
      }
      Thread.sleep(1000);
    }
  }
}
