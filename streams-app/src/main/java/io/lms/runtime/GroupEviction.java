package io.lms.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What moves a dead instance's tasks at once ({@link PeerWatch.Eviction}), through the Admin API:
 *
 * <ol>
 *   <li>its stream threads are found in the group: the members holding any of its active
 *       partitions, and every other thread of the same Kafka Streams client (their client ids
 *       share the part before {@code -StreamThread-});
 *   <li>their producers are fenced, which aborts the transactions the crash left open: until then
 *       every read_committed reader of the partitions they wrote (the command results the HTTP
 *       layer waits for, the new owner's restore) waits for the transaction timeout. Kafka
 *       Streams names a thread's producer {@code <application.id>-<process id>-<thread index>}
 *       and its consumer {@code <application.id>-<process id>-StreamThread-<thread index>-consumer}
 *       unless {@code client.id} is set; with another client id nothing is fenced and the
 *       transactions time out as usual;
 *   <li>the static members are removed, which starts the rebalance that hands their tasks to the
 *       standbys.
 * </ol>
 *
 * <p>Never its own members: the local threads' consumer client ids are left out, whatever the
 * assignment says.
 */
final class GroupEviction implements PeerWatch.Eviction {
  private static final Logger log = LoggerFactory.getLogger(GroupEviction.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern STREAMS_CONSUMER = Pattern.compile("(.+)-StreamThread-(\\d+)-consumer");
  private static final Pattern PROCESS_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Supplier<Admin> admins;
  private final String applicationId;
  private final Supplier<Set<String>> ownConsumerClientIds;

  GroupEviction(Supplier<Admin> admins, String applicationId, Supplier<Set<String>> ownConsumerClientIds) {
    this.admins = admins;
    this.applicationId = applicationId;
    this.ownConsumerClientIds = ownConsumerClientIds;
  }

  /** The members of a dead instance, and the transactional ids of their producers where known. */
  record Departed(Set<String> groupInstanceIds, Set<String> transactionalIds) {
    boolean isEmpty() {
      return groupInstanceIds.isEmpty();
    }
  }

  @Override
  public boolean evict(HostInfo peer, Set<TopicPartition> activePartitions) {
    try (Admin admin = admins.get()) {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups()
          .get(applicationId).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Departed departed = departed(applicationId, group.members(), activePartitions, ownConsumerClientIds.get());
      if (departed.isEmpty()) {
        log.info("Instance {}:{} has no member left in group {}: nothing to evict", peer.host(), peer.port(),
            applicationId);
        return true;
      }
      if (!departed.transactionalIds().isEmpty()) {
        admin.fenceProducers(departed.transactionalIds()).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(
              departed.groupInstanceIds().stream().map(MemberToRemove::new).toList()))
          .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.warn("Evicted instance {}:{}: fenced producers {} and removed members {} from group {}, so that its tasks"
          + " move to their standbys now", peer.host(), peer.port(), departed.transactionalIds(),
          departed.groupInstanceIds(), applicationId);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("Could not evict instance {}:{} ({}): its tasks move when its session times out, unless the next try"
          + " succeeds", peer.host(), peer.port(), e.getCause() != null ? e.getCause().toString() : e.toString());
      return false;
    }
  }

  /** The members of the instance holding {@code activePartitions}: pure, for tests. */
  static Departed departed(String applicationId, Collection<MemberDescription> members,
      Set<TopicPartition> activePartitions, Set<String> ownConsumerClientIds) {
    Set<String> ownClients = new TreeSet<>();
    ownConsumerClientIds.forEach(id -> client(id).ifPresent(ownClients::add));
    Set<String> deadClients = new TreeSet<>();
    for (MemberDescription member : members) {
      Optional<String> client = client(member.clientId());
      if (client.isPresent() && !ownClients.contains(client.get())
          && !Collections.disjoint(member.assignment().topicPartitions(), activePartitions)) {
        deadClients.add(client.get());
      }
    }
    Set<String> instanceIds = new TreeSet<>();
    Set<String> transactionalIds = new TreeSet<>();
    for (MemberDescription member : members) {
      Matcher consumer = STREAMS_CONSUMER.matcher(member.clientId());
      if (!consumer.matches() || !deadClients.contains(consumer.group(1)) || member.groupInstanceId().isEmpty()) {
        continue;
      }
      instanceIds.add(member.groupInstanceId().get());
      String client = consumer.group(1);
      String prefix = applicationId + "-";
      if (client.startsWith(prefix) && PROCESS_ID.matcher(client.substring(prefix.length())).matches()) {
        transactionalIds.add(client + "-" + consumer.group(2));
      }
    }
    return new Departed(instanceIds, transactionalIds);
  }

  private static Optional<String> client(String consumerClientId) {
    Matcher consumer = STREAMS_CONSUMER.matcher(consumerClientId);
    return consumer.matches() ? Optional.of(consumer.group(1)) : Optional.empty();
  }
}
