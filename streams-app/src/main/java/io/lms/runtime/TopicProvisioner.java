package io.lms.runtime;

import io.lms.topology.LmsTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the LMS topics that do not exist yet: streams with {@code cleanup.policy=delete},
 * tables compacted. A topic that exists is never changed (repartitioning would move every org to
 * another partition); a difference from what LMS would create is only logged.
 */
public final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final int partitions;
  private final short replicationFactor;
  private final Duration timeout;

  public TopicProvisioner(Admin admin, int partitions, short replicationFactor, Duration timeout) {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be positive");
    }
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
  }

  /**
   * Creates what is missing and returns once every partition of every LMS topic has a leader:
   * producing before that once lost records (NOT_LEADER, then endless OutOfOrderSequence).
   *
   * @return the names of the topics created now
   */
  public Set<String> provision(LmsTopics topics) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> wanted = wantedPolicies(topics);
    Map<String, TopicDescription> existing = describeExisting(wanted.keySet());
    warnAboutDifferences(existing, wanted);

    var missing = new ArrayList<NewTopic>();
    wanted.forEach(
        (name, policy) -> {
          if (!existing.containsKey(name)) {
            missing.add(newTopic(name, policy));
          }
        });
    Set<String> created = create(missing);
    awaitLeaders(wanted.keySet(), deadline);
    if (!created.isEmpty()) {
      log.info(
          "Created topics {} with {} partitions, replication factor {}",
          created,
          partitions,
          replicationFactor);
    }
    return created;
  }

  private static Map<String, String> wantedPolicies(LmsTopics topics) {
    var wanted = new LinkedHashMap<String, String>();
    topics.streamTopics().forEach(name -> wanted.put(name, TopicConfig.CLEANUP_POLICY_DELETE));
    topics.tableTopics().forEach(name -> wanted.put(name, TopicConfig.CLEANUP_POLICY_COMPACT));
    return wanted;
  }

  private NewTopic newTopic(String name, String cleanupPolicy) {
    // One replica may be down with rf 3 and writes go on; with less there is no spare to allow.
    int minInsync = replicationFactor >= 3 ? 2 : 1;
    return new NewTopic(name, partitions, replicationFactor)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsync)));
  }

  private Map<String, TopicDescription> describeExisting(Set<String> names) throws InterruptedException {
    var existing = new LinkedHashMap<String, TopicDescription>();
    for (var entry : admin.describeTopics(names).topicNameValues().entrySet()) {
      try {
        existing.put(entry.getKey(), await(entry.getValue()));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw failure("describe topic " + entry.getKey(), e);
        }
      }
    }
    return existing;
  }

  private void warnAboutDifferences(Map<String, TopicDescription> existing, Map<String, String> wanted)
      throws InterruptedException {
    if (existing.isEmpty()) {
      return;
    }
    existing.values().stream()
        .filter(d -> d.partitions().size() != partitions)
        .forEach(
            d ->
                log.warn(
                    "Topic {} has {} partitions, not the configured {}: left as it is",
                    d.name(),
                    d.partitions().size(),
                    partitions));

    var resources =
        existing.keySet().stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = await(admin.describeConfigs(resources).all());
    } catch (ExecutionException e) {
      throw failure("describe the configs of " + existing.keySet(), e);
    }
    configs.forEach(
        (resource, config) -> {
          ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
          String expected = wanted.get(resource.name());
          if (policy != null && !expected.equals(policy.value())) {
            log.warn(
                "Topic {} has cleanup.policy={}, not {}: left as it is",
                resource.name(),
                policy.value(),
                expected);
          }
        });
  }

  private Set<String> create(List<NewTopic> missing) throws InterruptedException {
    var created = new TreeSet<String>();
    if (missing.isEmpty()) {
      return created;
    }
    for (var entry : admin.createTopics(missing).values().entrySet()) {
      try {
        await(entry.getValue());
        created.add(entry.getKey());
      } catch (ExecutionException e) {
        // Another instance starting at the same moment created it first: that is the goal.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw failure("create topic " + entry.getKey(), e);
        }
      }
    }
    return created;
  }

  private void awaitLeaders(Set<String> names, long deadline) throws InterruptedException {
    List<String> leaderless = List.of();
    while (true) {
      try {
        leaderless = leaderlessPartitions(await(admin.describeTopics(names).allTopicNames()));
        if (leaderless.isEmpty()) {
          return;
        }
      } catch (ExecutionException e) {
        // Right after creation the metadata may not have reached the broker answering yet.
        log.debug("Topics not described yet: {}", e.getCause().toString());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "No leader after " + timeout.toSeconds() + " s for "
                + (leaderless.isEmpty() ? names : leaderless));
      }
      Thread.sleep(100);
    }
  }

  private static List<String> leaderlessPartitions(Map<String, TopicDescription> descriptions) {
    var leaderless = new ArrayList<String>();
    descriptions.values().forEach(
        d -> {
          for (TopicPartitionInfo p : d.partitions()) {
            if (p.leader() == null || p.leader().isEmpty()) {
              leaderless.add(d.name() + "-" + p.partition());
            }
          }
        });
    return leaderless;
  }

  private <T> T await(KafkaFuture<T> future) throws ExecutionException, InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
    }
  }

  private static IllegalStateException failure(String action, ExecutionException e) {
    return new IllegalStateException("Could not " + action + ": " + e.getCause().getMessage(), e.getCause());
  }
}
