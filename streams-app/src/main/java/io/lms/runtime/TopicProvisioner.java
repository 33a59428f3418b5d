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
 * another partition); a difference from what LMS would create is reported and logged.
 */
public final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final int partitions;
  private final short replicationFactor;
  private final Duration timeout;

  /**
   * What one LMS topic looks like after provisioning.
   *
   * @param created whether it was created now
   * @param differences how an existing topic differs from what LMS would create, e.g.
   *     {@code "3 partitions, not 6"}; empty when it does not
   */
  public record TopicStatus(
      String name, boolean created, int partitions, int replicationFactor, String cleanupPolicy,
      List<String> differences) {
    public TopicStatus {
      differences = List.copyOf(differences);
    }
  }

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
    var created = new TreeSet<String>();
    for (TopicStatus status : ensure(topics)) {
      if (status.created()) {
        created.add(status.name());
      }
    }
    return created;
  }

  /** {@link #provision}, telling for every LMS topic whether it was created or how it differs. */
  public List<TopicStatus> ensure(LmsTopics topics) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> wanted = wantedPolicies(topics);
    Map<String, TopicDescription> existing = describeExisting(wanted.keySet());
    Map<String, Config> configs = configsOf(existing.keySet());

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

    var statuses = new ArrayList<TopicStatus>();
    wanted.forEach(
        (name, policy) -> {
          TopicDescription description = existing.get(name);
          if (description == null) {
            // Created now, or by another instance in the same moment: either way as LMS wants it.
            statuses.add(new TopicStatus(name, created.contains(name), partitions, replicationFactor, policy, List.of()));
          } else {
            statuses.add(statusOf(description, configs.get(name), policy));
          }
        });
    return statuses;
  }

  private TopicStatus statusOf(TopicDescription description, Config config, String wantedPolicy) {
    String name = description.name();
    int actualPartitions = description.partitions().size();
    int actualReplicas = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
    String policy = valueOf(config, TopicConfig.CLEANUP_POLICY_CONFIG);
    String minInsync = valueOf(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    var differences = new ArrayList<String>();
    if (actualPartitions != partitions) {
      differences.add(actualPartitions + " partitions, not " + partitions);
    }
    if (actualReplicas != replicationFactor) {
      differences.add("replication factor " + actualReplicas + ", not " + replicationFactor);
    }
    if (policy != null && !policy.equals(wantedPolicy)) {
      differences.add("cleanup.policy=" + policy + ", not " + wantedPolicy);
    }
    if (minInsync != null && !minInsync.equals(Integer.toString(minInsyncReplicas()))) {
      differences.add("min.insync.replicas=" + minInsync + ", not " + minInsyncReplicas());
    }
    differences.forEach(d -> log.warn("Topic {} has {}: left as it is", name, d));
    return new TopicStatus(name, false, actualPartitions, actualReplicas, policy, differences);
  }

  private static String valueOf(Config config, String name) {
    ConfigEntry entry = config == null ? null : config.get(name);
    return entry == null ? null : entry.value();
  }

  /** One replica may be down with rf 3 and writes go on; with less there is no spare to allow. */
  private int minInsyncReplicas() {
    return replicationFactor >= 3 ? 2 : 1;
  }

  private static Map<String, String> wantedPolicies(LmsTopics topics) {
    var wanted = new LinkedHashMap<String, String>();
    topics.streamTopics().forEach(name -> wanted.put(name, TopicConfig.CLEANUP_POLICY_DELETE));
    topics.tableTopics().forEach(name -> wanted.put(name, TopicConfig.CLEANUP_POLICY_COMPACT));
    return wanted;
  }

  private NewTopic newTopic(String name, String cleanupPolicy) {
    return new NewTopic(name, partitions, replicationFactor)
        .configs(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas())));
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

  private Map<String, Config> configsOf(Set<String> names) throws InterruptedException {
    if (names.isEmpty()) {
      return Map.of();
    }
    var resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    try {
      var configs = new LinkedHashMap<String, Config>();
      await(admin.describeConfigs(resources).all()).forEach((resource, config) -> configs.put(resource.name(), config));
      return configs;
    } catch (ExecutionException e) {
      throw failure("describe the configs of " + names, e);
    }
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
        KafkaAuthenticationFailure.throwIfIn(e);
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
      throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s: "
          + KafkaClientSettings.WHEN_KAFKA_DOES_NOT_ANSWER, e);
    }
  }

  /** Why an admin call failed: a refused credential as such, anything else with what was being done. */
  private static RuntimeException failure(String action, ExecutionException e) {
    KafkaAuthenticationFailure.throwIfIn(e);
    return new IllegalStateException("Could not " + action + ": " + e.getCause().getMessage(), e.getCause());
  }
}
